"""EHF (Norway): EHF Ordering 3.0 (Post-Award G3, profile 02) for orders of Norwegian sellers, and EHF
Billing 3.0 — Peppol BIS Billing 3.0 with Norwegian conventions (0192, ``NO…MVA``, "Foretaksregisteret",
NO-R-001/002), the same ids and rules — for Norwegian company buyers."""

from __future__ import annotations

from app.accounts.profile import SellerProfile
from app.codes import issue
from app.document.buyer import BuyerIdentity
from app.document.model import DocumentKind
from app.issues import Issue
from app.profiles.peppol import PeppolBis


class Ehf(PeppolBis):
    name = "ehf"
    label = "EHF 3.0 (Norway)"
    priority = 50
    #: EHF Ordering 3.0 (Post-Award G3, profile 02)
    order_ids = (
        "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0",
        "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0",
    )

    def chooses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> str | None:
        if kind == "order":
            return "a Norwegian seller: EHF Ordering 3.0" if seller.country == "NO" else None
        if buyer.kind == "company" and buyer.country == "NO":
            return "customer.org_number is a Norwegian organisation number: EHF"
        return None

    def refuses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> Issue | None:
        if kind == "order" and seller.country != "NO":
            # EHF-T01-B06901 / B03301: an EHF order's parties are identified by Norwegian org. numbers (0192)
            return issue(
                "input.profile", value="ehf", params={"variant": "ehf_order", "country": seller.country}
            )
        return None


PRESET = Ehf()
