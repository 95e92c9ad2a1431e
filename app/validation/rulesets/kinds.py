"""The rule-set table, :data:`KINDS` (data, not code): each row names the document's root element(s), its
exact CustomizationID, the ProfileIDs of the specification, the UBL version of its XSD and the compiled
stylesheets to run; :class:`RuleSet` is one row for one root element."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _ehf_advanced(change: str, root: str, title: str) -> Kind:
    """An EHF Advanced Ordering 3.0 change of an order (P09: ``adv-order-{change}``), with its own
    CustomizationID and stylesheet."""
    return Kind(
        f"ehf-advanced-order-{change}",
        f"EHF Advanced Ordering 3.0: {title}",
        "2023-02",
        (root,),
        f"urn:fdc:anskaffelser.no:2019:ehf:spec:adv-order-{change}:3.0",
        (_g3("09"),),
        "2.2",
        (f"{ADV}ORDER-{change.upper()}.xslt",),
        eager=True,
    )


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
    _ehf_advanced("change", "OrderChange", "Order Change"),
    _ehf_advanced("cancellation", "OrderCancellation", "Order Cancellation"),
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
