"""The outbox: side effects (invoice mail, webhooks) written in the transaction of the document they are
about, and carried out later by a worker.

A row is written with its document or not at all, so a document is never sent without being stored and
never stored without its row. ``(document_id, kind)`` is unique: a document gets one mail row and one
webhook row at most, however often it is approved or retried.

Workers lease rows (``lease_owner``, ``lease_until``) before they act, and record the outcome:

=========  ==================================================================================
status     meaning
=========  ==================================================================================
queued     waiting; due at ``next_attempt_at``
sending    leased by ``lease_owner`` until ``lease_until``
sent       done (``message_id`` names the mail)
failed     given up after the last attempt (``last_error``)
unknown    the worker stopped while sending: whether it arrived is not known
=========  ==================================================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db.base import Base, UTCDateTime, utcnow
from app.store.models import Document

OutboxKind = Literal["mail", "webhook"]
OutboxStatus = Literal["queued", "sending", "sent", "failed", "unknown"]


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("kind IN ('mail', 'webhook')", name="kind"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'unknown')", name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        UniqueConstraint("document_id", "kind"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"OutboxEntry(id={self.id!r}, kind={self.kind!r}, document_id={self.document_id!r}, status={self.status!r})"


def message_id_for(document: Document) -> str:
    """RFC 5322 Message-ID of a document's mail: stable, derived from the document (never random)."""
    return f"<{document.uuid}@nordubl>"


def enqueue(
    session: Session, document: Document, kind: OutboxKind, now: datetime | None = None
) -> OutboxEntry:
    """The document's ``kind`` row, queued now, in the caller's transaction (flushed; the caller commits).

    A second call for the same document and kind answers the existing row instead of adding one.
    """
    if document.id is None:
        session.flush()
    existing = session.scalars(
        select(OutboxEntry).where(OutboxEntry.document_id == document.id, OutboxEntry.kind == kind)
    ).one_or_none()
    if existing is not None:
        return existing
    when = now or utcnow()
    entry = OutboxEntry(
        account_id=document.account_id,
        document_id=document.id,
        kind=kind,
        status="queued",
        attempts=0,
        next_attempt_at=when,
        message_id=message_id_for(document) if kind == "mail" else None,
        created_at=when,
        updated_at=when,
    )
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:
        # a concurrent transaction queued it first (unique document_id, kind)
        found = session.scalars(
            select(OutboxEntry).where(OutboxEntry.document_id == document.id, OutboxEntry.kind == kind)
        ).one()
        return found
    return entry


def entry_for(session: Session, document_id: int, kind: OutboxKind) -> OutboxEntry | None:
    return session.scalars(
        select(OutboxEntry).where(OutboxEntry.document_id == document_id, OutboxEntry.kind == kind)
    ).one_or_none()
