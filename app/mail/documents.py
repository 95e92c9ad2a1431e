"""Where the worker gets a document from: the store (``app.store``) behind a small protocol.

The worker needs the stored UBL XML, the account the document belongs to, and the document's PDF in the
account's language, which the store renders once and keeps (``app.pdf.cache``), so a retried mail is not
rendered again. Anything else it reads from the XML itself (``app.mail.facts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session


class DocumentMissing(LookupError):
    """The outbox names a document the store does not have (or no longer has)."""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: int
    account_id: int
    xml: bytes
    #: The recipient, when the store knows it; otherwise the buyer contact's e-mail in the XML (BT-58).
    recipient: str | None = None


#: ``render_pdf(xml, lang, logo)``: the PDF of a stored document (``app.pdf.render_pdf``).
Renderer = Callable[[bytes, str, bytes | None], bytes]


class DocumentSource(Protocol):
    def load(self, session: Session, document_id: int) -> StoredDocument:
        """The document with this id, or :class:`DocumentMissing`."""
        ...

    def pdf(self, session: Session, document: StoredDocument, lang: str, renderer: Renderer) -> bytes:
        """The document's PDF in ``lang``: the one kept from an earlier call, or rendered with ``renderer``
        (whose errors reach the caller unchanged) and kept. May commit ``session``."""
        ...


def default_renderer(xml: bytes, lang: str, logo: bytes | None = None) -> bytes:
    """:func:`app.pdf.render_pdf`, imported on first use (WeasyPrint is heavy)."""
    from app.pdf import render_pdf

    return render_pdf(xml, lang, logo)
