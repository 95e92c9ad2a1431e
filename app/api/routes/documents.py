"""The document store over HTTP: list, read metadata, read the XML (hash-checked), approve a draft.
The PDF of an invoice or credit note is in :mod:`app.api.routes.pdf_download`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import func, select

from app.api.deps import ProcessorDep
from app.api.disposition import content_disposition
from app.api.problems import Problem
from app.api.routes.processing import IdempotencyKeyHeader, request_path, run_idempotent
from app.ops.openapi import headers
from app.processing import invoicing
from app.processing.context import Context
from app.store.documents import get_document, read_xml
from app.store.models import Document, OrderRecord
from app.store.outbox import OutboxEntry

router = APIRouter(
    prefix="/v1/documents",
    tags=["documents"],
    responses={401: {"model": Problem, "description": "No or wrong client credentials"}},
)


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


def _page(ctx: Context, docs: list[Document]) -> list[dict[str, Any]]:
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


@router.get("", response_model=DocumentPage, summary="The calling account's documents, newest first")
def list_documents(
    processor: ProcessorDep,
    kind: Literal["order", "invoice", "creditnote"] | None = None,
    status: Literal["draft", "final"] | None = None,
    order_id: Annotated[str | None, Query(max_length=100, description="The shop's order id")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
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
        return {"items": _page(ctx, docs), "total": total, "limit": limit, "offset": offset}


@router.get(
    "/{document_id:int}",
    response_model=DocumentOut,
    summary="One document's metadata, with its mail status",
    responses={
        200: {"headers": headers("X-Nordubl-Sha256")},
        404: {"model": Problem, "description": "No such document for this account"},
    },
)
def read_document(processor: ProcessorDep, document_id: int) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        return _page(ctx, [get_document(ctx.session, ctx.account.id, document_id)])[0]


@router.get(
    "/{document_id:int}.xml",
    summary="The document's XML as stored (its SHA-256 checked on the way out)",
    responses={
        200: {"content": {"application/xml": {}}, "description": "The stored XML"},
        404: {"model": Problem},
        500: {"model": Problem, "description": "The stored blob was changed or lost (store.blob_corrupt)"},
    },
)
def read_document_xml(processor: ProcessorDep, document_id: int) -> Response:
    with processor.open(read_only=True) as ctx:
        document = get_document(ctx.session, ctx.account.id, document_id)
        xml = read_xml(ctx.blobs, document)
        return Response(
            xml,
            media_type="application/xml",
            headers={
                "X-Nordubl-Sha256": document.sha256,
                "Content-Disposition": content_disposition(f"{document.kind}-{document.number}.xml"),
            },
        )


@router.post(
    "/{document_id:int}/approve",
    response_model=DocumentOut,
    summary="Approve a draft invoice or credit note: it becomes final and its mail is queued",
    description="Source 003: during the trial period every invoice waits as a draft until the owner has "
    "checked it. Approving a final document changes nothing (200).",
    responses={404: {"model": Problem}, 409: {"model": Problem}},
)
def approve_document(
    request: Request, processor: ProcessorDep, document_id: int, key: IdempotencyKeyHeader = None
) -> Response:
    def work(ctx: Context) -> Response:
        document, _ = invoicing.approve(ctx, document_id)
        out = _page(ctx, [document])[0]
        return JSONResponse(DocumentOut.model_validate(out).model_dump(mode="json"))

    with processor.open() as ctx:
        lock = processor.settings.idempotency_lock_seconds
        return run_idempotent(ctx, request.method, request_path(request), key, b"", work, lock)
