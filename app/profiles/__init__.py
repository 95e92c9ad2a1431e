"""The profile presets and their registry: one module per profile (``peppol``, ``ehf``, ``oioubl``).

Each module under this package that defines ``PRESET`` (a :class:`~app.profiles.base.Preset`) is a
profile: the registry finds it, and its name feeds the settings' and the routes' enums (``ProfileName``),
the CLI's choices and the choice per seller and buyer (:func:`choose`). Adding a profile is one module
here plus its templates in ``app/ubl/templates/`` (``docs/architecture.md``).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.accounts.profile import SellerProfile
from app.document.buyer import BuyerIdentity
from app.document.model import DocumentKind
from app.errors import NordublError
from app.profiles.base import DocumentType, Preset

__all__ = [
    "NAMES",
    "PRESETS",
    "DocumentType",
    "Preset",
    "ProfileChoice",
    "ProfileName",
    "candidates",
    "document_type",
    "names_for",
    "preset",
]


def _discover() -> dict[str, Preset]:
    found: dict[str, Preset] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        candidate = getattr(module, "PRESET", None)
        if isinstance(candidate, Preset):
            found[candidate.name] = candidate
    return dict(sorted(found.items(), key=lambda kv: (kv[1].priority, kv[0])))


#: Every preset, in the order they are asked to choose (the last one, Peppol, chooses everything).
PRESETS: dict[str, Preset] = _discover()
NAMES: tuple[str, ...] = tuple(PRESETS)

if TYPE_CHECKING:
    ProfileName = str
else:
    #: The profile names as a ``Literal`` for pydantic settings and FastAPI query parameters (OpenAPI enum).
    ProfileName = Literal[NAMES]


@dataclass(frozen=True)
class ProfileChoice:
    """Which profile a document is written in, and why."""

    profile: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"profile": self.profile, "reason": self.reason}


def names_for(kind: DocumentKind) -> tuple[str, ...]:
    """The profiles that write documents of ``kind``."""
    return tuple(name for name, p in PRESETS.items() if kind in p.documents)


def preset(name: str) -> Preset:
    return PRESETS[name]


def _unknown(name: str, kind: DocumentKind) -> NordublError:
    return NordublError.of(
        "input.profile",
        title="Unknown profile",
        status=400,
        value=name[:100],
        profiles=", ".join(names_for(kind)),
        variant=kind,  # the document kind in words: "No credit note profile …"
    )


def document_type(name: str, kind: DocumentKind) -> DocumentType:
    """The document type ``kind`` of profile ``name``; an unknown name is refused (400, field ``profile``)."""
    found = PRESETS.get(name)
    if found is None or kind not in found.documents:
        raise _unknown(name, kind)
    return found.documents[kind]


def candidates(
    seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind, forced: str | None = None
) -> list[ProfileChoice]:
    """The profiles for this seller, buyer and document, best first: the forced one alone (refused with an
    issue naming what the buyer lacks for it), else every preset that chooses, in priority order."""
    if forced:
        document_type(forced, kind)
        lacking = PRESETS[forced].refuses(seller, buyer, kind)
        if lacking is not None:
            raise NordublError("The form cannot become a valid document", [lacking])
        return [ProfileChoice(forced, f"profile {forced} requested by the caller")]
    out = []
    for name, p in PRESETS.items():
        if kind not in p.documents:
            continue
        reason = p.chooses(seller, buyer, kind)
        if reason:
            out.append(ProfileChoice(name, reason))
    return out
