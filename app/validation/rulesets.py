"""Which official rule set applies to a document: root element, CustomizationID and ProfileID."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
UBL_NS_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"

PEPPOL = "peppol-2026.5/xslt/"
EHF = "ehf-2023-02/xslt/"
OIO = "oioubl-1.17.2/xslt/"

# EHF Advanced Ordering (EHF-P09) profile; EHF Ordering is profile 02.
EHF_ADVANCED_PROFILE_SUFFIX = ":09:1.0"


@dataclass(frozen=True)
class RuleSet:
    name: str
    release: str
    #: Root element's local name (``Invoice``) the XSD is chosen by.
    document: str
    #: UBL version of the XSD: EHF ordering documents are checked against UBL 2.2, the rest 2.1.
    ubl_version: str
    #: Compiled XSLT files (relative to the standards folder), run in this order; all must run.
    stylesheets: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name} {self.release}"

    @property
    def family(self) -> str:
        """``oioubl`` or ``peppol`` (Peppol BIS and EHF): validation workers can be split by family."""
        return "oioubl" if self.name.startswith("oioubl") else "peppol"

    @property
    def xsd(self) -> str:
        return f"ubl-{self.ubl_version}/maindoc/UBL-{self.document}-{self.ubl_version}.xsd"


PEPPOL_BILLING = ("peppol-billing", "2026.5")
OIOUBL_DOCUMENTS = {
    "Invoice",
    "CreditNote",
    "Order",
    "OrderResponse",
    "OrderResponseSimple",
    "OrderChange",
    "OrderCancellation",
    "ApplicationResponse",
}


class UnsupportedDocument(Exception):
    """No official rule set is mirrored for this document type."""

    def __init__(self, root_name: str, customization: str) -> None:
        super().__init__(root_name)
        self.root_name = root_name
        self.customization = customization


def _text(root: etree._Element, name: str) -> str:
    el = root.find(f"{{{CBC}}}{name}")
    return (el.text or "").strip() if el is not None else ""


def detect(root: etree._Element) -> RuleSet:
    """Pick the rule set; raises :class:`UnsupportedDocument` when none applies."""
    local = etree.QName(root).localname
    cust = _text(root, "CustomizationID")
    prof = _text(root, "ProfileID")
    if cust.startswith("OIOUBL-2"):
        if local not in OIOUBL_DOCUMENTS:
            raise UnsupportedDocument(local, cust)
        return RuleSet(
            f"oioubl-{local.lower()}", "1.17.2", local, "2.1", (f"{OIO}OIOUBL_{local}_Schematron.xslt",)
        )
    if local in ("Invoice", "CreditNote"):
        # Peppol BIS Billing 3.0 = EN 16931 (CEN) + Peppol rules; EHF Billing 3.0 is the same rule set
        # (NO-R-*, DK-R-* are inside the Peppol stylesheet).
        return RuleSet(
            "peppol-billing",
            "2026.5",
            local,
            "2.1",
            (f"{PEPPOL}CEN-EN16931-UBL.xslt", f"{PEPPOL}PEPPOL-EN16931-UBL.xslt"),
        )
    ehf = "anskaffelser.no" in cust
    advanced = ehf and prof.endswith(EHF_ADVANCED_PROFILE_SUFFIX)
    if local == "Order":
        if advanced:
            sheet = f"{EHF}advanced-ordering-3.0/EHF-P09-3.0-ORDER-INITIATION.xslt"
            return RuleSet("ehf-advanced-order", "2023-02", local, "2.2", (sheet,))
        if ehf:
            return RuleSet("ehf-order", "2023-02", local, "2.2", (f"{EHF}ordering-3.0/EHF-ORDER-3.0.xslt",))
        return RuleSet("peppol-order", "2026.5", local, "2.1", (f"{PEPPOL}PEPPOLBIS-T01.xslt",))
    if local == "OrderResponse":
        if advanced:
            sheet = f"{EHF}advanced-ordering-3.0/EHF-P09-3.0-ORDER-RESPONSE.xslt"
            return RuleSet("ehf-advanced-order-response", "2023-02", local, "2.2", (sheet,))
        if ehf:
            sheet = f"{EHF}ordering-3.0/EHF-ORDER-RESPONSE-3.0.xslt"
            return RuleSet("ehf-order-response", "2023-02", local, "2.2", (sheet,))
        return RuleSet("peppol-order-response", "2026.5", local, "2.1", (f"{PEPPOL}PEPPOLBIS-T76.xslt",))
    if ehf and local == "OrderChange":
        sheet = f"{EHF}advanced-ordering-3.0/EHF-P09-3.0-ORDER-CHANGE.xslt"
        return RuleSet("ehf-advanced-order-change", "2023-02", local, "2.2", (sheet,))
    if ehf and local == "OrderCancellation":
        sheet = f"{EHF}advanced-ordering-3.0/EHF-P09-3.0-ORDER-CANCELLATION.xslt"
        return RuleSet("ehf-advanced-order-cancellation", "2023-02", local, "2.2", (sheet,))
    raise UnsupportedDocument(local, cust)


FAMILIES = ("peppol", "oioubl")

_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_CUSTOMIZATION = re.compile(rb"CustomizationID[^>]*>([^<]{0,300})<")
_PROFILE = re.compile(rb"ProfileID[^>]*>([^<]{0,300})<")
#: How far into a document :func:`head_fields` looks.
HEAD_SCAN = 8192


def head_fields(data: bytes) -> tuple[bytes, bytes, bytes]:
    """Root element name, CustomizationID and ProfileID as they stand in the first bytes of a document
    (no parsing: for guesses that steer work, never for a verdict); empty where not found."""
    head = data[:HEAD_SCAN]
    root, customization, profile = (
        m.group(1) if m else b""
        for m in (_ROOT.search(head), _CUSTOMIZATION.search(head), _PROFILE.search(head))
    )
    return root, customization.strip(), profile.strip()


@functools.lru_cache(maxsize=256)
def guess(root: bytes, customization: bytes, profile: bytes) -> RuleSet | None:
    """The rule set :func:`detect` would pick for these :func:`head_fields`, or None (not UBL, not
    decodable, unsupported). A guess from the first bytes: a wrong one may cost a compilation or a
    detour to another worker, never a wrong verdict (the engine detects again on the parsed document)."""
    try:
        local = root.decode("ascii")
        element = etree.Element(f"{{{UBL_NS_PREFIX}{local}-2}}{local}")
        etree.SubElement(element, f"{{{CBC}}}CustomizationID").text = customization.decode("utf-8")
        etree.SubElement(element, f"{{{CBC}}}ProfileID").text = profile.decode("utf-8")
        return detect(element)
    except (UnsupportedDocument, ValueError):  # not UBL, not decodable, not a valid XML name
        return None


def all_rulesets() -> list[RuleSet]:
    """Every rule set the engine knows (for warm-up and the readiness check)."""
    out: dict[str, RuleSet] = {}
    samples = [
        ("Invoice", "urn:cen.eu:en16931:2017", ""),
        ("Order", "urn:fdc:peppol.eu:poacc:trns:order:3", ""),
        ("OrderResponse", "urn:fdc:peppol.eu:poacc:trns:order_response:3", ""),
        ("Order", "x:anskaffelser.no", "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0"),
        ("OrderResponse", "x:anskaffelser.no", ""),
        ("Order", "x:anskaffelser.no", "p" + EHF_ADVANCED_PROFILE_SUFFIX),
        ("OrderResponse", "x:anskaffelser.no", "p" + EHF_ADVANCED_PROFILE_SUFFIX),
        ("OrderChange", "x:anskaffelser.no", "p" + EHF_ADVANCED_PROFILE_SUFFIX),
        ("OrderCancellation", "x:anskaffelser.no", "p" + EHF_ADVANCED_PROFILE_SUFFIX),
    ] + [(d, "OIOUBL-2.1", "") for d in sorted(OIOUBL_DOCUMENTS)]
    for local, cust, prof in samples:
        root = etree.Element(f"{{{UBL_NS_PREFIX}{local}-2}}{local}")
        etree.SubElement(root, f"{{{CBC}}}CustomizationID").text = cust
        etree.SubElement(root, f"{{{CBC}}}ProfileID").text = prof
        rs = detect(root)
        out[rs.name] = rs
    return list(out.values())
