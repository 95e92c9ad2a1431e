"""The document store (app.store) as the worker's :class:`~app.mail.documents.DocumentSource`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NordublError
from app.mail.documents import DocumentMissing, Renderer, StoredDocument
from app.store.blobs import BlobStore, get_blob_store
from app.store.documents import read_xml
from app.store.models import Document


class StoreDocumentSource:
    """Documents rows and their XML blobs. The recipient is the document's customer e-mail when it has
    one. The PDF comes from the PDF cache (``app.pdf.cache``): rendered on the first attempt, read back on
    a retry and by the download route (``GET /v1/documents/{id}.pdf``), and the other way round."""

    def __init__(self, blobs: BlobStore | None = None) -> None:
        self.blobs = blobs or get_blob_store()

    def load(self, session: Session, document_id: int) -> StoredDocument:
        document = session.get(Document, document_id)
        if document is None:
            raise DocumentMissing(document_id)
        try:
            xml = read_xml(self.blobs, document)
        except NordublError as exc:
            codes = {i.code for i in exc.issues}
            if codes & {"store.blob_missing", "store.blob_corrupt"}:
                raise DocumentMissing(f"document {document_id}: {exc}") from exc
            raise  # store.unavailable: tried again later
        return StoredDocument(document.id, document.account_id, xml, document.customer_email)

    def pdf(self, session: Session, document: StoredDocument, lang: str, renderer: Renderer) -> bytes:
        from app.pdf.cache import pdf_for  # the renderer's modules load on first use

        def render(xml: bytes, language: str, draft: bool) -> bytes:
            return renderer(xml, language, None)

        # Only final documents are mailed: the outbox gets a mail row when a document is sendable, a draft
        # when it is approved (app.processing.invoicing.approve), so the mail's PDF is the final one.
        return pdf_for(session, self.blobs, document.id, lang, document.xml, draft=False, render=render).pdf
