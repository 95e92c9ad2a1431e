"""Store and read documents: the XML goes to the blob store, the metadata into ``documents``; invoice
numbers come from the account's gap-free series in the same transaction."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.rows import one_or_raise
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


def ensure_blob(session: Session, sha256: str, size: int) -> None:
    """The row of a blob just written (in a savepoint: a concurrent writer of the same bytes wins)."""
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


#: The fields of a new document stored as they are, each in the column of its name (the others are
#: derived: the XML goes to the blob store, the amount is kept as a decimal string, the approval only
#: on a final document).
_COPIED: tuple[str, ...] = tuple(
    f.name for f in fields(NewDocument) if f.name not in ("xml", "payable", "approved_by")
)


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
    ensure_blob(session, sha, len(new.xml))
    final = new.status == "final"
    document = Document(
        **{name: getattr(new, name) for name in _COPIED},
        uuid=str(uuidlib.uuid4()),
        sha256=sha,
        size=len(new.xml),
        payable=str(new.payable),
        created_at=now,
        approved_at=now if final else None,
        approved_by=new.approved_by if final else None,
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
    return one_or_raise(session, stmt, lambda: not_found(document_id), lock=lock)


def read_xml(blobs: BlobStore, document: Document) -> bytes:
    """The document's XML, its hash checked; a changed or missing blob is a 500 problem, never served."""
    try:
        return blobs.get(document.sha256)
    except (BlobCorrupt, BlobMissing) as exc:
        corrupt = isinstance(exc, BlobCorrupt)
        raise NordublError.of(
            "store.blob_corrupt" if corrupt else "store.blob_missing",
            title="The stored document is corrupt" if corrupt else "The stored document is missing",
            status=500,
            document_id=str(document.id),
            sha256=document.sha256,
            # a corrupt blob's bytes hash to another value: named, to find what overwrote it
            **({"actual": str(exc.actual)} if isinstance(exc, BlobCorrupt) else {}),
        ) from None
    except BlobError as exc:
        raise blob_store_unreadable(exc) from None


def blob_store_unreadable(exc: BlobError) -> NordublError:
    """503: the blob store itself failed (unreachable, refused), not one blob of it."""
    return NordublError.of(
        "store.unavailable",
        "id",
        title="The blob store cannot be read",
        status=503,
        variant="read",
        detail=str(exc),
    )
