"""Which official rule set applies to a document: root element, CustomizationID and ProfileID.

The rule sets are one table, :data:`KINDS` (data, not code): each row names the document's root
element(s), its exact CustomizationID, the ProfileIDs of the specification, the UBL version of its XSD
and the compiled stylesheets to run. docs/validation.md shows the table, written from it
(``python -m app.validation.rulesets`` rewrites the generated part; ``tests/validation/test_rulesets.py``
fails when the page is out of date).

Detection (:func:`detect`):

1. the rows whose roots include the document's root and whose CustomizationID is the document's, exactly;
   where two rows share both (EHF Ordering and EHF Advanced Ordering), the ProfileID chooses
   (``by_profile`` rows match only their own ProfileIDs; the other row takes the rest, and its rules then
   report a wrong ProfileID);
2. otherwise a known specialisation of a row: the row's CustomizationID followed by ``#compliant#``,
   ``#conformant#`` or ``:restrictive:`` and a national part (the Italian CIUS on Peppol BIS Billing,
   ``…:trns:order:3:restrictive:urn:www.agid.gov.it:…``): checked by that row's rules, with the warning
   ``ruleset.partial`` that the national rules were not run;
3. otherwise :class:`UnsupportedDocument`, naming what the document is where :data:`KNOWN_OTHERS`
   recognises it (XRechnung, Peppol PINT, OIOUBL 3.0, NLCIUS …). The engine then runs only the XSD and
   reports ``ruleset.unsupported``: such a document never reads as valid.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
UBL_NS_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"

PEPPOL = "peppol-2026.5/xslt/"
EHF = "ehf-2023-02/xslt/"
OIO = "oioubl-1.17.2/xslt/"

# Identifier parts (standards README, "Document types"): Peppol post-award transactions and profiles,
# the EHF extension suffix and the EHF G3 profiles.
TRNS = "urn:fdc:peppol.eu:poacc:trns:"
BIS = "urn:fdc:peppol.eu:poacc:bis:"
EHF_SPEC = ":extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
PEPPOL_BILLING_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_SELF_BILLING_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"


def _g3(n: str) -> str:
    return f"urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:{n}:1.0"


# EHF Advanced Ordering (EHF-P09) profile; EHF Ordering is profile 02.
EHF_ADVANCED_PROFILE_SUFFIX = ":09:1.0"

#: How a national specification extends or restricts a supported CustomizationID (EN 16931 §6 "compliant"
#: CIUS and "conformant" extension; the Peppol post-award ":restrictive:" form).
SPECIALISATION_MARKERS = ("#compliant#", "#conformant#", ":restrictive:")


@dataclass(frozen=True)
class RuleSet:
    name: str
    release: str
    #: Root element's local name (``Invoice``) the XSD is chosen by.
    document: str
    #: UBL version of the XSD: 2.2 for EHF, 2.3 for Peppol T114-T116, 2.1 for the rest.
    ubl_version: str
    #: Compiled XSLT files (relative to the standards folder), run in this order; all must run.
    stylesheets: tuple[str, ...]
    #: A national specialisation checked by these rules only (``ruleset.partial``): what it is.
    partial: str | None = None

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

    @property
    def eager(self) -> bool:
        """Compiled at warm-up (else on first use): see :data:`KINDS`."""
        kind = KIND_BY_NAME.get(self.name)
        return kind is not None and kind.eager


@dataclass(frozen=True)
class Kind:
    """One row of the rule-set table: a document type and the official rules that check it."""

    name: str
    #: What the specification is called (docs, the supported list of ``ruleset.unsupported``).
    title: str
    release: str
    roots: tuple[str, ...]
    customization: str
    #: The specification's ProfileIDs (documentation; the rules check them).
    profiles: tuple[str, ...]
    ubl_version: str
    #: ``{root}`` stands for the root element's name (OIOUBL has one stylesheet per document type).
    stylesheets: tuple[str, ...]
    #: Chosen only for one of ``profiles`` (where another row has the same root and CustomizationID).
    by_profile: bool = False
    #: Compiled at start-up (the types most users send) rather than on first use: docs/performance.md.
    eager: bool = False
    family: str = field(default="peppol")

    def ruleset(self, root: str, partial: str | None = None) -> RuleSet:
        sheets = tuple(s.format(root=root) for s in self.stylesheets)
        name = self.name.format(root=root.lower())
        return RuleSet(name, self.release, root, self.ubl_version, sheets, partial)


def _peppol(
    name: str, title: str, root: str, trns: str, profiles: tuple[str, ...], sheet: str, ubl: str = "2.1"
) -> Kind:
    return Kind(
        name,
        title,
        "2026.5",
        (root,),
        f"{TRNS}{trns}:3",
        tuple(BIS + p for p in profiles),
        ubl,
        (PEPPOL + sheet,),
    )


def _ehf(
    name: str,
    title: str,
    root: str,
    trns: str,
    profile: str,
    sheet: str,
    by_profile: bool = False,
    eager: bool = False,
) -> Kind:
    return Kind(
        name,
        title,
        "2023-02",
        (root,),
        f"{TRNS}{trns}:3{EHF_SPEC}",
        (_g3(profile),),
        "2.2",
        (EHF + sheet,),
        by_profile=by_profile,
        eager=eager,
    )


OIOUBL_DOCUMENTS = (
    "Invoice",
    "CreditNote",
    "Order",
    "OrderResponse",
    "OrderResponseSimple",
    "OrderChange",
    "OrderCancellation",
    "ApplicationResponse",
)

CEN = f"{PEPPOL}CEN-EN16931-UBL.xslt"
ADV = f"{EHF}advanced-ordering-3.0/EHF-P09-3.0-"

#: Every rule set: Peppol 2026.5 and EHF 2023-02 as in the standards README's type table, and OIOUBL 2.1.
KINDS: tuple[Kind, ...] = (
    # Peppol BIS Billing 3.0 = EN 16931 (CEN) + Peppol rules; EHF Billing 3.0 is the same rule set
    # (NO-R-*, DK-R-* are inside the Peppol stylesheet).
    Kind(
        "peppol-billing",
        "Peppol BIS Billing 3.0 (EHF Billing 3.0)",
        "2026.5",
        ("Invoice", "CreditNote"),
        PEPPOL_BILLING_ID,
        ("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",),
        "2.1",
        (CEN, f"{PEPPOL}PEPPOL-EN16931-UBL.xslt"),
        eager=True,
    ),
    Kind(
        "peppol-self-billing",
        "Peppol BIS Self-Billing 3.0",
        "2026.5",
        ("Invoice", "CreditNote"),
        PEPPOL_SELF_BILLING_ID,
        ("urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0",),
        "2.1",
        (CEN, f"{PEPPOL}PEPPOL-EN16931-UBL-SB.xslt"),
    ),
    Kind(
        "peppol-order",
        "Peppol BIS Order (T01)",
        "2026.5",
        ("Order",),
        f"{TRNS}order:3",
        tuple(BIS + p for p in ("order_only:3", "ordering:3", "advanced_ordering:3")),
        "2.1",
        (f"{PEPPOL}PEPPOLBIS-T01.xslt",),
        eager=True,
    ),
    _peppol(
        "peppol-despatch-advice",
        "Peppol BIS Despatch Advice (T16)",
        "DespatchAdvice",
        "despatch_advice",
        ("despatch_advice:3",),
        "PEPPOLBIS-T16.xslt",
    ),
    _peppol(
        "peppol-catalogue",
        "Peppol BIS Catalogue (T19)",
        "Catalogue",
        "catalogue",
        ("catalogue_only:3", "catalogue_wo_response:3"),
        "PEPPOLBIS-T19.xslt",
    ),
    _peppol(
        "peppol-catalogue-response",
        "Peppol BIS Catalogue Response (T58)",
        "ApplicationResponse",
        "catalogue_response",
        ("catalogue_only:3",),
        "PEPPOLBIS-T58.xslt",
    ),
    _peppol(
        "peppol-mlr",
        "Peppol BIS Message Level Response (T71)",
        "ApplicationResponse",
        "mlr",
        ("mlr:3",),
        "PEPPOLBIS-T71.xslt",
    ),
    Kind(
        "peppol-order-response",
        "Peppol BIS Order Response (T76)",
        "2026.5",
        ("OrderResponse",),
        f"{TRNS}order_response:3",
        (f"{BIS}ordering:3",),
        "2.1",
        (f"{PEPPOL}PEPPOLBIS-T76.xslt",),
        eager=True,
    ),
    _peppol(
        "peppol-punch-out",
        "Peppol BIS Punch Out (T77)",
        "Catalogue",
        "punch_out",
        ("punch_out:3",),
        "PEPPOLBIS-T77.xslt",
    ),
    _peppol(
        "peppol-order-agreement",
        "Peppol BIS Order Agreement (T110)",
        "OrderResponse",
        "order_agreement",
        ("order_agreement:3",),
        "PEPPOLBIS-T110.xslt",
    ),
    _peppol(
        "peppol-invoice-response",
        "Peppol BIS Invoice Response (T111)",
        "ApplicationResponse",
        "invoice_response",
        ("invoice_response:3",),
        "PEPPOLBIS-T111.xslt",
    ),
    _peppol(
        "peppol-order-change",
        "Peppol BIS Order Change (T114)",
        "OrderChange",
        "order_change",
        ("advanced_ordering:3",),
        "PEPPOLBIS-T114.xslt",
        "2.3",
    ),
    _peppol(
        "peppol-order-cancellation",
        "Peppol BIS Order Cancellation (T115)",
        "OrderCancellation",
        "order_cancellation",
        ("advanced_ordering:3",),
        "PEPPOLBIS-T115.xslt",
        "2.3",
    ),
    _peppol(
        "peppol-order-response-advanced",
        "Peppol BIS Order Response Advanced (T116)",
        "OrderResponse",
        "order_response_advanced",
        ("advanced_ordering:3",),
        "PEPPOLBIS-T116.xslt",
        "2.3",
    ),
    _ehf(
        "ehf-catalogue",
        "EHF Catalogue 3.0",
        "Catalogue",
        "catalogue",
        "01",
        "catalogue-3.0/EHF-CATALOGUE-3.0.xslt",
    ),
    _ehf(
        "ehf-catalogue-response",
        "EHF Catalogue Response 3.0",
        "ApplicationResponse",
        "catalogue_response",
        "01",
        "catalogue-3.0/EHF-CATALOGUE-RESPONSE-3.0.xslt",
    ),
    _ehf(
        "ehf-order",
        "EHF Ordering 3.0: Order",
        "Order",
        "order",
        "02",
        "ordering-3.0/EHF-ORDER-3.0.xslt",
        eager=True,
    ),
    _ehf(
        "ehf-order-response",
        "EHF Ordering 3.0: Order Response",
        "OrderResponse",
        "order_response",
        "02",
        "ordering-3.0/EHF-ORDER-RESPONSE-3.0.xslt",
        eager=True,
    ),
    _ehf(
        "ehf-order-agreement",
        "EHF Order Agreement 3.0",
        "OrderResponse",
        "order_agreement",
        "03",
        "order-agreement-3.0/EHF-ORDER-AGREEMENT-3.0.xslt",
    ),
    _ehf(
        "ehf-punch-out",
        "EHF Punch Out 3.0",
        "Catalogue",
        "punch_out",
        "04",
        "punch-out-3.0/EHF-PUNCH-OUT-3.0.xslt",
    ),
    _ehf(
        "ehf-despatch-advice",
        "EHF Despatch Advice 3.0",
        "DespatchAdvice",
        "despatch_advice",
        "05",
        "despatch-advice-3.0/EHF-DESPATCH-ADVICE-3.0.xslt",
    ),
    Kind(
        "ehf-reminder",
        "EHF Reminder 3.0",
        "2023-02",
        ("Invoice",),
        f"{PEPPOL_BILLING_ID}#conformant#urn:fdc:anskaffelser.no:2019:ehf:reminder:3.0",
        (_g3("06"),),
        "2.2",
        tuple(
            f"{EHF}reminder-3.0/{s}.xslt"
            for s in ("REMINDER-CEN-EN16931-UBL", "REMINDER-PEPPOL-EN16931-UBL", "EHF-P06-3.0-REMINDER")
        ),
    ),
    Kind(
        "ehf-payment-request",
        "EHF Payment Request 3.0",
        "2023-02",
        ("Invoice",),
        "urn:fdc:anskaffelser.no:2019:ehf:spec:payment-request:3.0",
        (_g3("07"),),
        "2.2",
        (f"{EHF}payment-request-3.0/EHF-P07-3.0-PAYMENT-REQUEST-3.0.xslt",),
    ),
    Kind(
        "ehf-forward-billing",
        "EHF Forward Billing 3.0",
        "2023-02",
        ("Invoice", "CreditNote"),
        f"{PEPPOL_BILLING_ID}#conformant#urn:fdc:anskaffelser.no:2019:ehf:forward-billing:3.0",
        (_g3("08"),),
        "2.2",
        tuple(f"{EHF}forward-billing-3.0/FORWARD-BILLING-{s}-EN16931-UBL.xslt" for s in ("CEN", "PEPPOL")),
    ),
    _ehf(
        "ehf-advanced-order",
        "EHF Advanced Ordering 3.0: Order",
        "Order",
        "order",
        "09",
        "advanced-ordering-3.0/EHF-P09-3.0-ORDER-INITIATION.xslt",
        by_profile=True,
        eager=True,
    ),
    _ehf(
        "ehf-advanced-order-response",
        "EHF Advanced Ordering 3.0: Order Response",
        "OrderResponse",
        "order_response",
        "09",
        "advanced-ordering-3.0/EHF-P09-3.0-ORDER-RESPONSE.xslt",
        by_profile=True,
        eager=True,
    ),
    Kind(
        "ehf-advanced-order-change",
        "EHF Advanced Ordering 3.0: Order Change",
        "2023-02",
        ("OrderChange",),
        "urn:fdc:anskaffelser.no:2019:ehf:spec:adv-order-change:3.0",
        (_g3("09"),),
        "2.2",
        (f"{ADV}ORDER-CHANGE.xslt",),
        eager=True,
    ),
    Kind(
        "ehf-advanced-order-cancellation",
        "EHF Advanced Ordering 3.0: Order Cancellation",
        "2023-02",
        ("OrderCancellation",),
        "urn:fdc:anskaffelser.no:2019:ehf:spec:adv-order-cancellation:3.0",
        (_g3("09"),),
        "2.2",
        (f"{ADV}ORDER-CANCELLATION.xslt",),
        eager=True,
    ),
    # OIOUBL 2.1 (schematron 1.17.2): one stylesheet per document type; its rules check the ProfileID.
    Kind(
        "oioubl-{root}",
        "OIOUBL 2.1: " + ", ".join(OIOUBL_DOCUMENTS),
        "1.17.2",
        OIOUBL_DOCUMENTS,
        "OIOUBL-2.1",
        (),
        "2.1",
        (OIO + "OIOUBL_{root}_Schematron.xslt",),
        eager=True,
        family="oioubl",
    ),
)

KIND_BY_NAME: dict[str, Kind] = {
    kind.name.format(root=root.lower()): kind for kind in KINDS for root in kind.roots
}
_BY_KEY: dict[tuple[str, str], list[Kind]] = {}
for _kind in KINDS:
    for _root in _kind.roots:
        _BY_KEY.setdefault((_root, _kind.customization), []).append(_kind)

#: Specifications recognised by their identifiers but not installed: (field, pattern, name). The name may
#: use the pattern's groups (``{1}``). The first match names the document in ``ruleset.unsupported``.
#: Identifiers as in the public test files of phax/phive-rules @ 432f0e9 (``test-files/``).
KNOWN_OTHERS: tuple[tuple[str, str, str], ...] = (
    ("customization", r"xrechnung_(\d+\.\d+)", "XRechnung {1} (Germany)"),
    ("customization", r"^urn:peppol:pint:[\w-]+@([\w-]+)", "Peppol PINT ({1})"),
    ("customization", r"^urn:peppol:pint:", "Peppol PINT"),
    ("customization", r"^urn:peppol:taxdata:", "Peppol Tax Data"),
    ("customization", r"^urn:fdc:peppol:jp:", "JP BIS Billing (Japan)"),
    ("customization", r"nen\.nl:nlcius", "NLCIUS (Netherlands)"),
    ("customization", r"simplerinvoicing", "SI-UBL 1.x (Netherlands)"),
    ("customization", r"CIUS-RO:([\d.]+)", "CIUS-RO {1} (Romania)"),
    ("customization", r"CIUS-PT", "CIUS-PT (Portugal)"),
    ("customization", r"(?i)urn:UBL\.BE:", "UBL.BE (Belgium)"),
    ("customization", r"mfin\.gov\.rs", "SRBDT (Serbia)"),
    ("customization", r"oioubl\.dk:", "OIOUBL 3.0 (Denmark)"),
    ("customization", r"^OIOUBL-2\.0", "OIOUBL 2.0 (Denmark, superseded by OIOUBL 2.1)"),
    ("customization", r"^OIOUBL-2\.1$", "OIOUBL 2.1 (Denmark), a document type with no official rules"),
    ("customization", r"agid\.gov\.it", "Italian CIUS (AgID)"),
    ("customization", r"international:aunz", "Peppol BIS Billing A-NZ (Australia, New Zealand)"),
    ("customization", r"international:sg", "Peppol BIS Billing (Singapore)"),
    ("customization", r"^TR1\.", "UBL-TR (Turkey)"),
    ("customization", r"difi\.no:ehf", "EHF 2.x (Norway, withdrawn)"),
    ("customization", r"^urn:www\.cenbii\.eu:", "CEN BII 2 / Peppol BIS 2 (withdrawn)"),
    ("profile", r"^reporting:1\.0$", "ZATCA e-invoice (Saudi Arabia)"),
    ("customization", r"^urn:cen\.eu:en16931:2017$", "EN 16931 without a CIUS"),
    (
        "customization",
        r"^urn:cen\.eu:en16931:2017#(?:compliant|conformant)#(.+)$",
        "an EN 16931 specification ({1})",
    ),
    ("customization", r"^urn:fdc:peppol\.eu:poacc:trns:(\w+):3", "a Peppol BIS {1} specification"),
)
_KNOWN = tuple((f, re.compile(p), name) for f, p, name in KNOWN_OTHERS)


def recognise(customization: str, profile: str, specific: bool = False) -> str | None:
    """What a document no rule set checks is, in words, where its identifiers say it; else None. With
    ``specific``, the generic names (``an EN 16931 specification (…)``) do not count."""
    for fieldname, pattern, name in _KNOWN:
        if specific and name.startswith(("a ", "an ")):
            continue
        m = pattern.search(customization if fieldname == "customization" else profile)
        if m:
            return name.format(*([m.group(0), *m.groups()]))
    return None


def supported_list() -> str:
    """The installed rule sets in words (the hint of ``ruleset.unsupported``)."""
    return "; ".join(kind.title for kind in KINDS)


class UnsupportedDocument(Exception):
    """The document's root, CustomizationID and ProfileID match no installed rule set."""

    def __init__(self, root_name: str, customization: str, profile: str = "") -> None:
        super().__init__(root_name)
        self.root_name = root_name
        self.customization = customization
        self.profile = profile
        #: What it is, where its identifiers say (``XRechnung 3.0 (Germany)``); else None.
        self.what = recognise(customization, profile)


def _text(root: etree._Element, name: str) -> str:
    el = root.find(f"{{{CBC}}}{name}")
    return (el.text or "").strip() if el is not None else ""


def _choose(candidates: list[Kind], profile: str) -> Kind | None:
    for kind in candidates:
        if kind.by_profile and profile in kind.profiles:
            return kind
    return next((k for k in candidates if not k.by_profile), None)


def detect(root: etree._Element) -> RuleSet:
    """Pick the rule set (see the module docstring); raises :class:`UnsupportedDocument` when none applies."""
    local = etree.QName(root).localname
    cust = _text(root, "CustomizationID")
    prof = _text(root, "ProfileID")
    kind = _choose(_BY_KEY.get((local, cust), []), prof)
    if kind is not None:
        return kind.ruleset(local)
    for marker in SPECIALISATION_MARKERS:
        base, sep, national = cust.partition(marker)
        while sep:
            found = _choose(_BY_KEY.get((local, base), []), prof)
            if found is not None and national:
                return found.ruleset(local, partial=recognise(cust, prof, specific=True) or national)
            more, sep, national = national.partition(marker)
            base = f"{base}{marker}{more}"
    raise UnsupportedDocument(local, cust, prof)


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
    """Every rule set the engine knows, one per table row and root element (the readiness check, tests)."""
    return [kind.ruleset(root) for kind in KINDS for root in kind.roots]


def eager_rulesets() -> list[RuleSet]:
    """The rule sets compiled at warm-up; the others compile on first use (docs/performance.md)."""
    return [rs for rs in all_rulesets() if rs.eager]


def markdown_table() -> str:
    """The rule-set table of docs/validation.md, generated from :data:`KINDS`."""
    lines = [
        "| rule set | specification | release | root | CustomizationID | ProfileID | UBL | stylesheets | compiled |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        sheets = "<br>".join(f"`{s.rsplit('/', 1)[-1]}`" for s in kind.stylesheets)
        profiles = "<br>".join(f"`{p}`" for p in kind.profiles) or "(checked by the rules)"
        if kind.by_profile:
            profiles += " (chosen by it)"
        lines.append(
            f"| `{kind.name}` | {kind.title} | {kind.release} | {', '.join(kind.roots)} | `{kind.customization}` "
            f"| {profiles} | {kind.ubl_version} | {sheets} | {'at start-up' if kind.eager else 'on first use'} |"
        )
    return "\n".join(lines) + "\n"


def markdown_others() -> str:
    """The specifications :func:`recognise` names (docs/validation.md)."""
    lines = ["| identifier | pattern | named |", "|---|---|---|"]
    for fieldname, pattern, name in KNOWN_OTHERS:
        field_label = "CustomizationID" if fieldname == "customization" else "ProfileID"
        lines.append(f"| {field_label} | `{pattern.replace('|', chr(92) + '|')}` | {name} |")
    return "\n".join(lines) + "\n"


#: The generated part of docs/validation.md lies between these two lines.
DOCS_BEGIN = "<!-- generated by `python -m app.validation.rulesets`: edit app/validation/rulesets.py -->"
DOCS_END = "<!-- end of the generated part -->"


def render_docs(page: str) -> str:
    """``page`` (docs/validation.md) with its generated part written from the tables."""
    head, begin, rest = page.partition(DOCS_BEGIN)
    _, end, tail = rest.partition(DOCS_END)
    if not begin or not end:
        raise ValueError("the page has no generated part (its marker lines are missing)")
    body = (
        f"\n\n{markdown_table()}\n"
        f"Recognised but not installed (the first match names the document in `ruleset.unsupported`):\n\n"
        f"{markdown_others()}\n"
    )
    return f"{head}{DOCS_BEGIN}{body}{DOCS_END}{tail}"


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    from app.config import PROJECT_ROOT

    docs = PROJECT_ROOT / "docs" / "validation.md"
    docs.write_text(render_docs(docs.read_text(encoding="utf-8")), encoding="utf-8")
