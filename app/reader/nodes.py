"""The primitives every reading of UBL XML shares: namespaced paths, text, identifiers, numbers and dates.

A strict reading (the business document, :mod:`app.reader.ubl`) refuses a number or date it cannot read
with a ``reader.*`` issue that names the element; a lenient one (the facts of an invoice mail) takes it as
absent, so a mail can still be written about a document the reader would refuse.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from lxml import etree

from app import codes
from app.document.model import Identifier
from app.errors import NordublError
from app.forms import identifiers

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC}
ZERO = Decimal("0")
#: OIOUBL party identifier schemes → the ISO 6523 ICD codes the business model uses (the one two-way table)
OIOUBL_SCHEMES = identifiers.ICD_BY_OIOUBL

T = TypeVar("T")


def refuse(
    code: str, node: etree._Element | None = None, value: str | None = None, **params: str
) -> NordublError:
    """The reader's refusal ``code`` (``reader.*``, :mod:`app.codes`) about ``node``."""
    line = node.sourceline if node is not None and isinstance(node.sourceline, int) else None
    xpath = node.getroottree().getpath(node) if node is not None else None
    return NordublError(
        "The document cannot be read as an invoice or credit note",
        [codes.issue(code, value=value, params=params, xpath=xpath, line=line)],
    )


def _finite(raw: str) -> Decimal:
    value = Decimal(raw)
    if not value.is_finite():
        raise ValueError(raw)
    return value


def _day(raw: str) -> datetime.date:
    return datetime.date.fromisoformat(raw[:10])  # xs:date may carry a time zone (2026-12-04+01:00)


class Nodes:
    """Reads the elements below ``root``; ``lenient``: a number or date it cannot read is absent."""

    def __init__(self, root: etree._Element, *, lenient: bool = False) -> None:
        self.root = root
        self.lenient = lenient
        self.oioubl = (self.text(root, "cbc:CustomizationID") or "").startswith("OIOUBL-2")

    @staticmethod
    def node(el: etree._Element | None, path: str) -> etree._Element | None:
        """The first element at ``path`` below ``el`` with text; None when absent or empty."""
        node = el.find(path, NS) if el is not None else None
        if node is None or not (node.text or "").strip():
            return None
        return node

    @classmethod
    def text(cls, el: etree._Element | None, path: str) -> str | None:
        """The stripped text at ``path`` below ``el``; None when absent or empty."""
        node = cls.node(el, path)
        return None if node is None else (node.text or "").strip()

    @staticmethod
    def texts(el: etree._Element, path: str) -> list[str]:
        return [n.text.strip() for n in el.findall(path, NS) if n.text and n.text.strip()]

    def ident(self, el: etree._Element | None, path: str) -> Identifier | None:
        node = self.node(el, path)
        return None if node is None else self.identifier(node)

    def identifier(self, node: etree._Element) -> Identifier:
        value, scheme = (node.text or "").strip(), node.get("schemeID")
        if self.oioubl and scheme in OIOUBL_SCHEMES:
            if scheme == "DK:CVR" and value.upper().startswith("DK"):
                value = value[2:]  # OIOUBL writes a CVR number with its country prefix
            scheme = OIOUBL_SCHEMES[scheme]
        return Identifier(value, scheme)

    def _parsed(self, el: etree._Element | None, path: str, parse: Callable[[str], T], code: str) -> T | None:
        node = self.node(el, path)
        if node is None:
            return None
        raw = (node.text or "").strip()
        try:
            return parse(raw)
        except (ValueError, InvalidOperation):
            if self.lenient:
                return None
            raise refuse(code, node, raw, element=etree.QName(node).localname) from None

    def decimal(self, el: etree._Element | None, path: str) -> Decimal | None:
        return self._parsed(el, path, _finite, "reader.number")

    def amount(self, el: etree._Element | None, path: str) -> Decimal:
        value = self.decimal(el, path)
        return ZERO if value is None else value

    def date(self, el: etree._Element | None, path: str) -> datetime.date | None:
        return self._parsed(el, path, _day, "reader.date")

    def required(self, path: str, variant: str) -> str:
        """The text at ``path``; refused as ``reader.missing`` of ``variant`` when there is none."""
        value = self.text(self.root, path)
        if value is None:
            raise refuse("reader.missing", self.root, variant=variant)
        return value

    # -- terms read the same way wherever they are read ---------------------------------------------------
    def party_name(self, el: etree._Element | None) -> str | None:
        """BT-27 / BT-44 party name, else BT-28 / BT-45 registration name."""
        return self.text(el, "cac:PartyName/cbc:Name") or self.text(
            el, "cac:PartyLegalEntity/cbc:RegistrationName"
        )

    def due_date(self) -> datetime.date | None:
        """BT-9: ``cbc:DueDate`` (Invoice), else (CreditNote, OIOUBL) the first payment means' due date."""
        due = self.date(self.root, "cbc:DueDate")
        if due is not None:
            return due
        return next(
            (
                d
                for pm in self.root.findall("cac:PaymentMeans", NS)
                if (d := self.date(pm, "cbc:PaymentDueDate"))
            ),
            None,
        )
