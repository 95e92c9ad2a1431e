"""A UBL document in a Standard Business Document Header (SBDH) envelope: the header checked, the payload
taken out for validation.

Peppol access points send every document inside a ``StandardBusinessDocument`` (UN/CEFACT SBDH 1.3, as
profiled by the Peppol Business Message Envelope specification). The engine validates the UBL payload
as if it had been sent alone, and checks the header first:

- the elements the envelope specification requires: ``HeaderVersion``, ``Sender/Identifier``,
  ``Receiver/Identifier``, ``DocumentIdentification`` (``Standard``, ``TypeVersion``,
  ``InstanceIdentifier``, ``Type``, ``CreationDateAndTime``) and the ``BusinessScope`` scopes
  ``DOCUMENTID`` and ``PROCESSID`` (``sbdh.missing``);
- that the header names the payload: ``Standard`` its namespace, ``Type`` its root element, the
  ``DOCUMENTID`` scope (``<namespace>::<root>##<CustomizationID>::<version>``) its root and
  CustomizationID, the ``PROCESSID`` scope its ProfileID where the payload has one (``sbdh.mismatch``);
- exactly one UBL payload after the header (``xml.not_ubl`` when there is none).

Each problem is an error of its own code, and every unwrapped document carries the note
``sbdh.unwrapped`` (a warning: it never fails the document) saying where the payload starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from app.codes import issue
from app.errors import NordublError
from app.issues import Issue
from app.validation.rulesets import CBC, UBL_NS_PREFIX

NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
ROOT = f"{{{NS}}}StandardBusinessDocument"
#: The header elements the Peppol envelope specification requires (paths below the header).
REQUIRED = (
    "HeaderVersion",
    "Sender/Identifier",
    "Receiver/Identifier",
    "DocumentIdentification/Standard",
    "DocumentIdentification/TypeVersion",
    "DocumentIdentification/InstanceIdentifier",
    "DocumentIdentification/Type",
    "DocumentIdentification/CreationDateAndTime",
)
SCOPES = ("DOCUMENTID", "PROCESSID")


@dataclass
class Envelope:
    """The payload's tree (its elements keep their lines in the whole file) and the header's issues."""

    tree: etree._ElementTree
    issues: list[Issue] = field(default_factory=list)


def is_envelope(root: etree._Element) -> bool:
    return root.tag == ROOT


def _line(el: etree._Element | None) -> int | None:
    line = el.sourceline if el is not None else None
    return line if isinstance(line, int) else None


def _q(path: str) -> str:
    return "/".join(f"{{{NS}}}{step}" for step in path.split("/"))


def _text(el: etree._Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def unwrap(root: etree._Element) -> Envelope:
    """The payload of an SBDH ``root`` and the header's issues; :class:`NordublError` (``xml.not_ubl``)
    when the envelope holds no UBL document."""
    header = root.find(f"{{{NS}}}StandardBusinessDocumentHeader")
    payloads = [
        c
        for c in root
        if isinstance(c.tag, str) and (etree.QName(c).namespace or "").startswith(UBL_NS_PREFIX)
    ]
    if len(payloads) != 1:
        params = {"variant": "envelope_many", "count": str(len(payloads))} if payloads else {}
        raise NordublError(
            title="The document was refused before validation",
            issues=[issue("xml.not_ubl", line=_line(root), params={"variant": "envelope_empty"} | params)],
        )
    payload = payloads[0]
    name = etree.QName(payload)
    issues: list[Issue] = []
    if header is None:
        issues.append(_issue("sbdh.missing", root, "header"))
    else:
        issues.extend(_check_header(header, payload))
    line = _line(payload)
    where = {"line": str(line)} if line else {"variant": "no_line"}
    issues.append(issue("sbdh.unwrapped", line=line, params={"element": name.localname} | where))
    return Envelope(etree.ElementTree(payload), issues)


def _issue(code: str, el: etree._Element | None, variant: str | None = None, **params: str) -> Issue:
    """An error of one catalogued ``sbdh.*`` code (app/codes/) at ``el``."""
    return issue(code, line=_line(el), params=params | ({"variant": variant} if variant else {}))


def _check_header(header: etree._Element, payload: etree._Element) -> list[Issue]:
    out: list[Issue] = []
    for path in REQUIRED:
        if not _text(header.find(_q(path))):
            out.append(_issue("sbdh.missing", header, path=path))
    scopes = {
        _text(s.find(_q("Type"))): s
        for s in header.iterfind(_q("BusinessScope/Scope"))
        if s.find(_q("Type")) is not None
    }
    for scope in SCOPES:
        if scope not in scopes:
            out.append(_issue("sbdh.missing", header, "scope", scope=scope))
    name = etree.QName(payload)
    ident = header.find(_q("DocumentIdentification"))
    standard, doc_type = (
        _text(header.find(_q("DocumentIdentification/Standard"))),
        _text(header.find(_q("DocumentIdentification/Type"))),
    )
    if standard and standard != name.namespace:
        out.append(_issue("sbdh.mismatch", ident, found=standard, namespace=name.namespace or ""))
    if doc_type and doc_type != name.localname:
        out.append(_issue("sbdh.mismatch", ident, "type", found=doc_type, element=name.localname))
    customization = _text(payload.find(f"{{{CBC}}}CustomizationID"))
    profile = _text(payload.find(f"{{{CBC}}}ProfileID"))
    if "DOCUMENTID" in scopes:
        entry = scopes["DOCUMENTID"]
        value = _text(entry.find(_q("InstanceIdentifier")))
        # Peppol Policy for use of identifiers §5: <root namespace>::<root name>##<CustomizationID>::<version>
        root_part, _, rest = value.partition("##")
        custom_part = rest.rsplit("::", 1)[0] if "::" in rest else rest
        if root_part != f"{name.namespace}::{name.localname}":
            out.append(
                _issue(
                    "sbdh.mismatch",
                    entry,
                    "documentid",
                    found=root_part,
                    namespace=name.namespace or "",
                    element=name.localname,
                )
            )
        elif customization and custom_part != customization:
            out.append(
                _issue(
                    "sbdh.mismatch", entry, "customization", found=custom_part, customization=customization
                )
            )
    if "PROCESSID" in scopes and profile:
        entry = scopes["PROCESSID"]
        value = _text(entry.find(_q("InstanceIdentifier")))
        if value != profile:
            out.append(_issue("sbdh.mismatch", entry, "processid", found=value, profile=profile))
    return out
