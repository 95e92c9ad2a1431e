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
