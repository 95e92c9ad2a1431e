"""Store and read documents: the XML goes to the blob store, the metadata into ``documents``; invoice
numbers come from the account's gap-free series in the same transaction."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import NordublError
from app.store.blobs import BlobCorrupt, BlobError, BlobMissing, BlobStore
from app.store.models import Blob, Document, InvoiceNumberSeries


def ensure_series(session: Session, account_id: int, prefix: str = "", start: int = 1) -> None:
    """Create the account's invoice-number series when it has none (in a savepoint: a concurrent
    creation wins and is kept)."""
    exists = session.scalar(
        select(InvoiceNumberSeries.account_id).where(InvoiceNumberSeries.account_id == account_id)
    )
    if exists is not None:
        return
    try:
        with session.begin_nested():
            session.execute(
                insert(InvoiceNumberSeries).values(account_id=account_id, prefix=prefix, next_value=start)
            )
    except IntegrityError:
        pass


def allocate_invoice_number(session: Session, account_id: int) -> str:
    """The series' next invoice number, taken in the caller's transaction.

    ``UPDATE ... RETURNING`` locks the series row until the transaction ends: numbers are handed out in
    order, and a rolled-back document gives its number back, so the numbers have no gaps and none is
    ever given twice.
    """
    ensure_series(session, account_id)
    stmt = (
        update(InvoiceNumberSeries)
        .where(InvoiceNumberSeries.account_id == account_id)
        .values(next_value=InvoiceNumberSeries.next_value + 1)
        .returning(InvoiceNumberSeries.prefix, InvoiceNumberSeries.next_value)
        .execution_options(synchronize_session="fetch")
    )
    prefix, next_value = session.execute(stmt).one()
    return f"{prefix}{next_value - 1}"


def highest_used(session: Session, account_id: int) -> int | None:
    """The last number the series gave (None: none yet)."""
    nxt = session.scalar(
        select(InvoiceNumberSeries.next_value).where(InvoiceNumberSeries.account_id == account_id)
    )
    return None if nxt is None or nxt <= 1 else int(nxt) - 1


def set_series(session: Session, account_id: int, prefix: str, next_value: int) -> None:
    """Set prefix and next number; a next number at or below one already given is refused (numbers are
    never reused)."""
    ensure_series(session, account_id, prefix, next_value)
    series = session.get(InvoiceNumberSeries, account_id, with_for_update=True)
    assert series is not None
    if next_value < series.next_value:
        raise NordublError.of(
            "invoice_numbers.reuse",
            title="Invoice numbers are never reused",
            status=409,
            value=str(next_value),
            next=str(series.next_value),
        )
    series.prefix = prefix
    series.next_value = next_value
    session.flush()


def _ensure_blob(session: Session, sha256: str, size: int) -> None:
    if session.get(Blob, sha256) is not None:
        return
    try:
        with session.begin_nested():
            session.add(Blob(sha256=sha256, size=size))
            session.flush()
    except IntegrityError:
        pass  # the same bytes were stored by a concurrent transaction


@dataclass(frozen=True)
class NewDocument:
    account_id: int
    kind: str
    number: str
    profile: str
    ruleset: str | None
    xml: bytes
    currency: str
    issue_date: date
    due_date: date | None
    payable: Decimal
    status: str
    order_id: int | None = None
    customer_id: int | None = None
    customer_number: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    credits_document_id: int | None = None
    approved_by: str | None = None
    source_hash: str | None = None


def store_document(session: Session, blobs: BlobStore, new: NewDocument, now: datetime) -> Document:
    """Write the XML to the blob store (idempotent: named by its hash) and add the document row in the
    caller's transaction (flushed; the caller commits). An unused blob left by a rolled-back transaction
    is harmless: the same bytes always get the same name."""
    try:
        sha = blobs.put(new.xml)
    except BlobError as exc:
        raise NordublError.of(
            "store.unavailable", title="The document store cannot be written", status=503, detail=str(exc)
        ) from None
    _ensure_blob(session, sha, len(new.xml))
    document = Document(
        uuid=str(uuidlib.uuid4()),
        account_id=new.account_id,
        order_id=new.order_id,
        kind=new.kind,
        number=new.number,
        profile=new.profile,
        ruleset=new.ruleset,
        status=new.status,
        sha256=sha,
        size=len(new.xml),
        currency=new.currency,
        issue_date=new.issue_date,
        due_date=new.due_date,
        payable=str(new.payable),
        customer_id=new.customer_id,
        customer_number=new.customer_number,
        customer_name=new.customer_name,
        customer_email=new.customer_email,
        credits_document_id=new.credits_document_id,
        source_hash=new.source_hash,
        created_at=now,
        approved_at=now if new.status == "final" else None,
        approved_by=new.approved_by if new.status == "final" else None,
    )
    session.add(document)
    session.flush()
    return document


def not_found(document_id: int | str) -> NordublError:
    return NordublError.of(
        "document.not_found", title="No such document", status=404, document_id=str(document_id)
    )


def get_document(session: Session, account_id: int, document_id: int, *, lock: bool = False) -> Document:
    """The account's document; another account's document answers like a missing one (404)."""
    stmt = select(Document).where(Document.id == document_id, Document.account_id == account_id)
    if lock:
        stmt = stmt.with_for_update()
    document = session.scalars(stmt).one_or_none()
    if document is None:
        raise not_found(document_id)
    return document


def read_xml(blobs: BlobStore, document: Document) -> bytes:
    """The document's XML, its hash checked; a changed or missing blob is a 500 problem, never served."""
    try:
        return blobs.get(document.sha256)
    except BlobCorrupt as exc:
        raise NordublError.of(
            "store.blob_corrupt",
            title="The stored document is corrupt",
            status=500,
            document_id=str(document.id),
            sha256=document.sha256,
            actual=str(exc.actual),
        ) from None
    except BlobMissing:
        raise NordublError.of(
            "store.blob_missing",
            title="The stored document is missing",
            status=500,
            document_id=str(document.id),
            sha256=document.sha256,
        ) from None
    except BlobError as exc:
        raise NordublError.of(
            "store.unavailable",
            "id",
            title="The blob store cannot be read",
            status=503,
            variant="read",
            detail=str(exc),
        ) from None
