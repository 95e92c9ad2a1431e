"""Profiles are data: identifiers and conventions per document type. EHF and Peppol share templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProfileName = Literal["ehf", "peppol", "oioubl"]


@dataclass(frozen=True)
class Profile:
    name: ProfileName
    kind: str
    template: str
    customization_id: str
    profile_id: str
    #: DeliveryTerms/ID when only free-text terms are known (EHF-T01 requires an ID in DeliveryTerms).
    delivery_terms_id: str = "Terms"


ORDER_PROFILES: dict[str, Profile] = {
    # EHF Ordering 3.0 (EHF Post-Award G3, profile 02)
    "ehf": Profile(
        "ehf",
        "order",
        "order.xml",
        "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0",
        "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0",
    ),
    # Peppol BIS Order only 3 (T01)
    "peppol": Profile(
        "peppol",
        "order",
        "order.xml",
        "urn:fdc:peppol.eu:poacc:trns:order:3",
        "urn:fdc:peppol.eu:poacc:bis:order_only:3",
    ),
}

# Peppol BIS Billing 3.0; EHF Billing 3.0 is the same specification with Norwegian conventions.
PEPPOL_BILLING_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_BILLING_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"  # PEPPOL-EN16931-R007
# OIOUBL 2.1: Procurement-BilSim-1.0 (basic invoicing), from the OIOUBL profile code list
OIOUBL_CUSTOMIZATION = "OIOUBL-2.1"
OIOUBL_PROFILE = "Procurement-BilSim-1.0"
OIOUBL_ORDER_PROFILE = "Procurement-OrdSim-BilSim-1.0"
# OIOUBL 2.1 order (Danish EAN buyers order too)
ORDER_PROFILES["oioubl"] = Profile(
    "oioubl", "order", "oioubl_order.xml", OIOUBL_CUSTOMIZATION, OIOUBL_ORDER_PROFILE
)

INVOICE_PROFILES: dict[str, Profile] = {
    name: Profile(name, "invoice", "invoice.xml", PEPPOL_BILLING_CUSTOMIZATION, PEPPOL_BILLING_PROFILE)
    for name in ("ehf", "peppol")
} | {"oioubl": Profile("oioubl", "invoice", "oioubl_invoice.xml", OIOUBL_CUSTOMIZATION, OIOUBL_PROFILE)}

CREDIT_NOTE_PROFILES: dict[str, Profile] = {
    name: Profile(name, "creditnote", "invoice.xml", PEPPOL_BILLING_CUSTOMIZATION, PEPPOL_BILLING_PROFILE)
    for name in ("ehf", "peppol")
} | {"oioubl": Profile("oioubl", "creditnote", "oioubl_invoice.xml", OIOUBL_CUSTOMIZATION, OIOUBL_PROFILE)}

PROFILES_BY_KIND: dict[str, dict[str, Profile]] = {
    "order": ORDER_PROFILES,
    "invoice": INVOICE_PROFILES,
    "creditnote": CREDIT_NOTE_PROFILES,
}
