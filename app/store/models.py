"""Tables of the document store: blobs, the shop's orders, documents, the invoice-number series, the
rendered PDFs kept for the documents and the outbox of their side effects (logic in :mod:`app.store.outbox`).

Nothing here is ever overwritten: a document row and its blob are written once; a correction is a new
document (a credit note). An order row keeps the form it was accepted with; its state only moves forward.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import AccountRow, Base, PerAccount, Timestamps, UTCDateTime, utcnow

DOCUMENT_KINDS = ("order", "invoice", "creditnote")
DOCUMENT_STATUSES = ("draft", "final")
ORDER_STATES = ("received", "blocked", "skipped", "accepted", "invoiced", "credited")


class Blob(Base):
    """One blob of the blob store, by the SHA-256 of its bytes (the bytes live in the folder or bucket)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OrderRecord(AccountRow, Timestamps, Base):
    """An order of the shop, by its own id (``external_id`` = the form's ``order_id``).

    ``(account_id, external_id)`` is unique: concurrent submissions of one order meet on this row, and the
    one that holds its lock processes the order while the others wait and then see the result.
    """

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("account_id", "external_id"),
        CheckConstraint(
            "state IN ('received', 'blocked', 'skipped', 'accepted', 'invoiced', 'credited')", name="state"
        ),
    )

    external_id: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the canonical JSON of the form (its status left out): "the same content".
    content_hash: Mapped[str | None] = mapped_column(String(64))
    #: The form as accepted (JSON), kept to build the invoice or credit note later.
    form: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The shop's own order status (source 003: booking is driven by it).
    shop_status: Mapped[str | None] = mapped_column(String(50))
    state: Mapped[str] = mapped_column(String(10), default="received")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))


class Document(AccountRow, Base):
    """A produced document: its metadata here, its XML in the blob store under ``sha256``."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("account_id", "kind", "number"),
        UniqueConstraint("uuid"),
        CheckConstraint("kind IN ('order', 'invoice', 'creditnote')", name="kind"),
        CheckConstraint("status IN ('draft', 'final')", name="status"),
        Index(None, "order_id"),
        Index("ix_documents_account_id_created_at", "account_id", "created_at"),
    )

    #: Public, stable identifier (the mail's Message-ID is derived from it).
    uuid: Mapped[str] = mapped_column(String(36))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    #: BT-1: the invoice / credit note number (the account's series), or the shop's order id.
    number: Mapped[str] = mapped_column(String(100))
    profile: Mapped[str] = mapped_column(String(10))
    ruleset: Mapped[str | None] = mapped_column(String(100))
    #: draft: waits for the owner (trial period, source 003); final: approved or automatic, sendable.
    status: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    #: BT-115 as a decimal string (exact on every database).
    payable: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    customer_number: Mapped[str | None] = mapped_column(String(80))
    customer_name: Mapped[str | None] = mapped_column(String(500))
    customer_email: Mapped[str | None] = mapped_column(String(500))
    #: SHA-256 of the form the document was built from (a retried partial credit note is found by it).
    source_hash: Mapped[str | None] = mapped_column(String(64))
    #: The invoice a credit note corrects (BG-3).
    credits_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: ``owner`` (approved draft) or ``automatic`` (automatic mode).
    approved_by: Mapped[str | None] = mapped_column(String(20))

    @property
    def sendable(self) -> bool:
        return self.kind in ("invoice", "creditnote") and self.status == "final"

    def __repr__(self) -> str:
        return f"Document(id={self.id!r}, kind={self.kind!r}, number={self.number!r}, status={self.status!r})"


class InvoiceNumberSeries(PerAccount, Base):
    """The account's invoice / credit note numbers: gap-free and never reused.

    Taken with ``UPDATE ... SET next_value = next_value + 1 RETURNING`` in the transaction that inserts the
    document (like the customer numbers of source 000): a rolled-back document gives its number back.
    """

    __tablename__ = "invoice_number_series"
    __table_args__ = (CheckConstraint("next_value >= 1", name="next_value"),)

    prefix: Mapped[str] = mapped_column(String(20), default="")
    next_value: Mapped[int] = mapped_column(BigInteger)


class PdfCacheEntry(Base):
    """A rendered PDF of a document, kept in the blob store (revisions 0004, 0007; logic in
    :mod:`app.pdf.cache`).

    One row per document, language, ``app.pdf.TEMPLATE_VERSION`` and draft mark: the PDF depends on nothing
    else (the document's XML never changes), so it is rendered once and every later download or mail reads
    the blob. A new template version is a new key: the PDF is rendered again on first use; older rows stay.
    An approved draft is a new key too (``draft`` false): its final PDF never is the draft's.
    """

    __tablename__ = "pdf_cache"
    __table_args__ = (PrimaryKeyConstraint("document_id", "lang", "template_version", "draft"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    #: nb, da, sv or en
    lang: Mapped[str] = mapped_column(String(2))
    template_version: Mapped[str] = mapped_column(String(40))
    #: Rendered with the draft mark (source 003: the document was a draft, not yet approved)
    draft: Mapped[bool] = mapped_column(Boolean, default=False)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return (
            f"PdfCacheEntry(document_id={self.document_id!r}, lang={self.lang!r}, "
            f"template_version={self.template_version!r}, draft={self.draft!r}, sha256={self.sha256!r})"
        )


class OutboxEntry(AccountRow, Timestamps, Base):
    """A side effect of a document (its mail, its webhook), carried out by a worker (:mod:`app.store.outbox`)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("kind IN ('mail', 'webhook')", name="kind"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'unknown')", name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        UniqueConstraint("document_id", "kind"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Mail: ``<{document uuid}@nordubl>``, the same on every attempt (a receiver can drop a duplicate).
    message_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"OutboxEntry(id={self.id!r}, kind={self.kind!r}, document_id={self.document_id!r}, status={self.status!r})"
