"""The account's stored documents as the document routes show them: each with its order's id, its mail
and webhook deliveries and its URLs; a page of them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import func, select

from app.processing.context import Context
from app.store.models import Document, OrderRecord, OutboxEntry


class DeliveryOut(BaseModel):
    """The document's outbox row: the mail (filled in by the mail worker) or the webhook."""

    status: Literal["queued", "sending", "sent", "failed", "unknown"]
    attempts: int
    next_attempt_at: datetime
    message_id: str | None
    last_error: str | None
    updated_at: datetime


class DocumentOut(BaseModel):
    id: int
    uuid: str
    kind: Literal["order", "invoice", "creditnote"]
    number: str
    status: Literal["draft", "final"]
    profile: str
    ruleset: str | None
    order_id: str | None
    currency: str
    issue_date: date
    due_date: date | None
    payable: str
    customer_id: int | None
    customer_number: str | None
    customer_name: str | None
    customer_email: str | None
    credits_document_id: int | None
    sha256: str
    size: int
    created_at: datetime
    approved_at: datetime | None
    approved_by: str | None
    #: Placeholder until the mail worker has handled it: null when the document is not (yet) sendable.
    mail: DeliveryOut | None
    webhook: DeliveryOut | None
    xml_url: str
    #: ``/v1/documents/{id}.pdf`` for an invoice or credit note; null for an order (it has no PDF).
    pdf_url: str | None


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    total: int
    limit: int
    offset: int


def _delivery(entry: OutboxEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "status": entry.status,
        "attempts": entry.attempts,
        "next_attempt_at": entry.next_attempt_at,
        "message_id": entry.message_id,
        "last_error": entry.last_error,
        "updated_at": entry.updated_at,
    }


def _out(d: Document, order_key: str | None, outbox: dict[str, OutboxEntry]) -> dict[str, Any]:
    return {
        **{c: getattr(d, c) for c in DocumentOut.model_fields if hasattr(Document, c) and c != "order_id"},
        "order_id": order_key,
        "mail": _delivery(outbox.get("mail")),
        "webhook": _delivery(outbox.get("webhook")),
        "xml_url": f"/v1/documents/{d.id}.xml",
        "pdf_url": f"/v1/documents/{d.id}.pdf" if d.kind in ("invoice", "creditnote") else None,
    }


def views(ctx: Context, docs: list[Document]) -> list[dict[str, Any]]:
    """Each document as ``GET /v1/documents/{id}`` answers it: with its order's id and deliveries."""
    ids = [d.id for d in docs]
    orders = {d.order_id for d in docs if d.order_id is not None}
    keys: dict[int, str] = {
        oid: ext
        for oid, ext in ctx.session.execute(
            select(OrderRecord.id, OrderRecord.external_id).where(OrderRecord.id.in_(orders))
        )
    }
    boxes: dict[int, dict[str, OutboxEntry]] = {}
    for e in ctx.session.scalars(select(OutboxEntry).where(OutboxEntry.document_id.in_(ids))):
        boxes.setdefault(e.document_id, {})[e.kind] = e
    return [_out(d, keys.get(d.order_id) if d.order_id else None, boxes.get(d.id, {})) for d in docs]


def documents_page(
    ctx: Context,
    kind: str | None,
    status: str | None,
    order_id: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """``GET /v1/documents``: the account's documents, newest first, filtered by kind, status and the
    shop's order id."""
    where: list[Any] = [Document.account_id == ctx.account.id]
    if kind:
        where.append(Document.kind == kind)
    if status:
        where.append(Document.status == status)
    if order_id is not None:
        where.append(
            Document.order_id.in_(
                select(OrderRecord.id).where(
                    OrderRecord.account_id == ctx.account.id, OrderRecord.external_id == order_id
                )
            )
        )
    total = ctx.session.scalar(select(func.count()).select_from(Document).where(*where)) or 0
    docs = list(
        ctx.session.scalars(
            select(Document).where(*where).order_by(Document.id.desc()).limit(limit).offset(offset)
        )
    )
    return {"items": views(ctx, docs), "total": total, "limit": limit, "offset": offset}
