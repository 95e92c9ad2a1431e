"""The explainers of the OIOUBL 2.1 calculation rules (the F-INV/F-CRN sum rules and F-LIB401)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from lxml import etree

from app.validation.calc import amounts
from app.validation.calc.amounts import Explanation, Rule
from app.validation.calc.en16931 import subtotal_tax


def _sum_rule(
    name: str, label: Callable[[etree._Element], str], values: Callable[[etree._Element], list[Decimal]]
) -> Rule:
    """A rule that the LegalMonetaryTotal's ``name`` is the sum of ``values`` of the document."""

    def explain(node: etree._Element) -> Explanation | None:
        root = amounts.document_root(node)
        total = amounts.legal_total(root)
        if total is None:
            return None
        found = values(root)
        text, value = amounts.sum_of(label(root), found)
        return amounts.against(total, name, text, value)

    return explain


def _charged_lines(root: etree._Element) -> list[Decimal]:
    """The LineExtensionAmount of each line not free of charge."""
    return [
        v
        for line in amounts.line_elements(root)
        if (line.findtext("cbc:FreeOfChargeIndicator", "false", amounts.NS) or "").strip() != "true"
        and (v := amounts.num(line, "cbc:LineExtensionAmount")) is not None
    ]


def _subtotal_vat(root: etree._Element) -> list[Decimal]:
    """The TaxAmount of each TaxSubtotal of the document."""
    return [
        v
        for st in root.findall("cac:TaxTotal/cac:TaxSubtotal", amounts.NS)
        if (v := amounts.num(st, "cbc:TaxAmount")) is not None
    ]


#: F-INV126, F-CRN072: LineExtensionAmount = the sum of the lines not free of charge.
_oio_lines = _sum_rule(
    "LineExtensionAmount",
    lambda root: f"{amounts.line_name(root)}/LineExtensionAmount (not free of charge)",
    _charged_lines,
)
#: F-INV127, F-CRN073: OIOUBL's TaxExclusiveAmount is the VAT total: the sum of the TaxSubtotals.
_oio_tax = _sum_rule("TaxExclusiveAmount", lambda _root: "TaxSubtotal/TaxAmount", _subtotal_vat)


def _oio_inclusive(node: etree._Element, payable: bool) -> Explanation | None:
    """F-INV128/F-CRN074: TaxInclusiveAmount = lines + VAT + charges − allowances + rounding; F-INV133/
    F-CRN079: PayableAmount = the same − PrepaidAmount."""
    root = amounts.document_root(node)
    total = amounts.legal_total(root)
    if total is None:
        return None
    vat = _subtotal_vat(root)
    parts: list[tuple[str, str, Decimal | None]] = [
        ("+", "LineExtensionAmount", amounts.num(total, "cbc:LineExtensionAmount")),
        ("+", "VAT of the TaxSubtotals", sum(vat, Decimal(0))),
        ("+", "ChargeTotalAmount", amounts.num(total, "cbc:ChargeTotalAmount")),
        ("-", "AllowanceTotalAmount", amounts.num(total, "cbc:AllowanceTotalAmount")),
    ]
    if payable:
        parts.append(("-", "PrepaidAmount", amounts.num(total, "cbc:PrepaidAmount")))
    parts.append(("+", "PayableRoundingAmount", amounts.num(total, "cbc:PayableRoundingAmount")))
    text, value = amounts.formula(*parts)
    name = "PayableAmount" if payable else "TaxInclusiveAmount"
    return amounts.against(total, name, text, value)


def _oio_sum(name: str, label: str, paths: Iterable[str]) -> Rule:
    """A total that is the sum of the amounts at ``paths`` (F-INV129 … F-INV132, F-CRN075 … F-CRN078)."""
    return _sum_rule(
        name,
        lambda _root: label,
        lambda root: [
            v for p in paths for el in root.findall(p, amounts.NS) if (v := amounts.dec(el.text)) is not None
        ],
    )


#: F-INV129/F-CRN075, F-INV130/F-CRN076, F-INV132/F-CRN078: a total is the sum of the amounts it totals
#: (the invoice's rule and the credit note's are the same).
_ALLOWANCES = _oio_sum(
    "AllowanceTotalAmount",
    "AllowanceCharge/Amount (allowances)",
    ["cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:Amount"],
)
_CHARGES = _oio_sum(
    "ChargeTotalAmount",
    "AllowanceCharge/Amount (charges)",
    ["cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:Amount"],
)
_ROUNDING = _oio_sum("PayableRoundingAmount", "TaxTotal/RoundingAmount", ["cac:TaxTotal/cbc:RoundingAmount"])

RULES: dict[str, Rule] = {
    "F-INV126": _oio_lines,
    "F-CRN072": _oio_lines,
    "F-INV127": _oio_tax,
    "F-CRN073": _oio_tax,
    "F-INV128": lambda n: _oio_inclusive(n, payable=False),
    "F-CRN074": lambda n: _oio_inclusive(n, payable=False),
    "F-INV133": lambda n: _oio_inclusive(n, payable=True),
    "F-CRN079": lambda n: _oio_inclusive(n, payable=True),
    "F-INV129": _ALLOWANCES,
    "F-CRN075": _ALLOWANCES,
    "F-INV130": _CHARGES,
    "F-CRN076": _CHARGES,
    "F-INV131": _oio_sum("PrepaidAmount", "PrepaidPayment/PaidAmount", ["cac:PrepaidPayment/cbc:PaidAmount"]),
    "F-INV132": _ROUNDING,
    "F-CRN078": _ROUNDING,
    "F-LIB401": subtotal_tax,
}
