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

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.store.models import Document, OutboxEntry

OutboxKind = Literal["mail", "webhook"]
OutboxStatus = Literal["queued", "sending", "sent", "failed", "unknown"]


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
    existing = entry_for(session, document.id, kind)
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
        return session.scalars(_of(document.id, kind)).one()
    return entry


def _of(document_id: int, kind: OutboxKind) -> Select[OutboxEntry]:
    return select(OutboxEntry).where(OutboxEntry.document_id == document_id, OutboxEntry.kind == kind)


def entry_for(session: Session, document_id: int, kind: OutboxKind) -> OutboxEntry | None:
    return session.scalars(_of(document_id, kind)).one_or_none()
