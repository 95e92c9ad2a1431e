"""Peppol BIS 3: Billing 3.0 invoices and credit notes, Order only (T01). The profile of every buyer no
other preset claims: the last one asked."""

from __future__ import annotations

from typing import ClassVar

from app.accounts.profile import SellerProfile
from app.document.buyer import BuyerIdentity
from app.document.model import DocumentKind
from app.profiles.base import DocumentType, Preset

# Peppol BIS Billing 3.0; EHF Billing 3.0 is the same specification with Norwegian conventions.
BILLING_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
BILLING_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"  # PEPPOL-EN16931-R007


def peppol_documents(
    name: str, order_customization: str, order_profile: str
) -> dict[DocumentKind, DocumentType]:
    """The document types of a Peppol BIS profile: its order (``order.xml``, with the profile's own
    customization and profile ids) and the invoice and credit note of Peppol BIS Billing 3.0 (EHF Billing
    3.0 is the same specification, so the ids are shared)."""
    return {
        "order": DocumentType(name, "order", "order.xml", order_customization, order_profile),
        "invoice": DocumentType(name, "invoice", "invoice.xml", BILLING_CUSTOMIZATION, BILLING_PROFILE),
        "creditnote": DocumentType(name, "creditnote", "invoice.xml", BILLING_CUSTOMIZATION, BILLING_PROFILE),
    }


class Peppol(Preset):
    name = "peppol"
    label = "Peppol BIS 3 (Billing 3.0, Order only T01)"
    priority = 100
    documents: ClassVar[dict[DocumentKind, DocumentType]] = peppol_documents(
        # Peppol BIS Order only 3 (T01)
        "peppol",
        "urn:fdc:peppol.eu:poacc:trns:order:3",
        "urn:fdc:peppol.eu:poacc:bis:order_only:3",
    )

    def chooses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> str | None:
        if kind == "order":
            return "a seller outside Norway: Peppol BIS Order only (T01)"
        return "no EAN, CVR or Norwegian organisation number: Peppol BIS Billing 3.0"


PRESET = Peppol()
