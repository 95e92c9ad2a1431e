"""The document store (app.store) as the worker's :class:`~app.mail.documents.DocumentSource`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NordublError
from app.mail.documents import DocumentMissing, StoredDocument
from app.store.blobs import BlobStore, get_blob_store
from app.store.documents import read_xml
from app.store.models import Document


class StoreDocumentSource:
    """Documents rows and their XML blobs. The recipient is the document's customer e-mail when it has
    one. The store keeps no rendered PDF, so the worker renders it from the XML."""

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
        return StoredDocument(document.id, document.account_id, xml, None, document.customer_email)
