"""What a profile preset is: its document types and the decisions that belong to the profile.

A preset is one module under :mod:`app.profiles` with a ``PRESET`` object; the registry
(:mod:`app.profiles`) finds it. A preset holds, per document kind, its CustomizationID, ProfileID and
template (:class:`DocumentType`), says whether it is the profile of choice for a seller and a buyer
(:meth:`Preset.chooses`), what it cannot carry (:meth:`Preset.preflight`, before any XML is written), the
values only its templates need (:meth:`Preset.extras`) and, for a forced profile, what the buyer must have
(:meth:`Preset.refuses`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from app.accounts.profile import SellerProfile
from app.document.buyer import BuyerIdentity
from app.document.model import BusinessDocument, DocumentKind
from app.issues import Issue


@dataclass(frozen=True)
class DocumentType:
    """One document type of a profile: what the template prints in CustomizationID and ProfileID."""

    name: str  # the preset's name ("ehf", "peppol", "oioubl")
    kind: DocumentKind
    template: str
    customization_id: str
    profile_id: str
    #: DeliveryTerms/ID when only free-text terms are known (EHF-T01 requires an ID in DeliveryTerms).
    delivery_terms_id: str = "Terms"


class Preset:
    """A profile. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]
    #: shown in choices and docs
    label: ClassVar[str]
    #: who is asked first when a profile is chosen (lower first); the last one chooses everything
    priority: ClassVar[int]
    documents: ClassVar[dict[DocumentKind, DocumentType]]

    def chooses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> str | None:
        """Why this profile is the one for ``buyer`` of ``seller`` (the reason, in words), or None."""
        return None

    def refuses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> Issue | None:
        """When the profile is forced: what the buyer lacks for it, or None."""
        return None

    def preflight(self, doc: BusinessDocument) -> list[Issue]:
        """What the profile cannot carry, found before any XML is written."""
        return []

    def extras(self, doc: BusinessDocument) -> dict[str, Any] | None:
        """Values only this profile's templates print (a namespace ``oio`` etc.), derived, no arithmetic."""
        return None
