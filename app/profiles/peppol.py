"""Peppol BIS 3: Billing 3.0 invoices and credit notes, Order only (T01). The profile of every buyer no
other preset claims: the last one asked."""

from __future__ import annotations

from typing import Any, ClassVar

from app.accounts.profile import SellerProfile
from app.document.buyer import BuyerIdentity
from app.document.model import DocumentKind
from app.profiles.base import DocumentType, Preset

# Peppol BIS Billing 3.0; EHF Billing 3.0 is the same specification with Norwegian conventions.
BILLING_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
BILLING_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"  # PEPPOL-EN16931-R007


class PeppolBis(Preset):
    """A Peppol BIS 3 profile: an order of its own (``order.xml``) and the invoice and credit note of Peppol
    BIS Billing 3.0 (EHF Billing 3.0 is the same specification, so the ids are shared)."""

    #: the order's CustomizationID and ProfileID
    order_ids: ClassVar[tuple[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.documents = {
            "order": DocumentType(cls.name, "order", "order.xml", *cls.order_ids),
            "invoice": DocumentType(
                cls.name, "invoice", "invoice.xml", BILLING_CUSTOMIZATION, BILLING_PROFILE
            ),
            "creditnote": DocumentType(
                cls.name, "creditnote", "invoice.xml", BILLING_CUSTOMIZATION, BILLING_PROFILE
            ),
        }


class Peppol(PeppolBis):
    name = "peppol"
    label = "Peppol BIS 3 (Billing 3.0, Order only T01)"
    priority = 100
    order_ids = ("urn:fdc:peppol.eu:poacc:trns:order:3", "urn:fdc:peppol.eu:poacc:bis:order_only:3")  # T01

    def chooses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> str | None:
        if kind == "order":
            return "a seller outside Norway: Peppol BIS Order only (T01)"
        return "no EAN, CVR or Norwegian organisation number: Peppol BIS Billing 3.0"


PRESET = Peppol()
