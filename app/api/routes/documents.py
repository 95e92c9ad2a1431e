"""The document store over HTTP: list, read metadata, read the XML (hash-checked), approve a draft.
The PDF of an invoice or credit note is in :mod:`app.api.routes.pdf_download`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from app.api.deps import ProcessorDep
from app.api.disposition import content_disposition
from app.api.document_views import DocumentOut, DocumentPage, documents_page, views
from app.api.openapi import headers
from app.api.problems import CREDENTIALS_REFUSED, Problem, problem_answers
from app.api.stored import IdempotencyKeyHeader, request_path, run_idempotent
from app.processing import invoicing
from app.processing.context import Context
from app.store.documents import get_document, read_xml

router = APIRouter(
    prefix="/v1/documents",
    tags=["documents"],
    responses=CREDENTIALS_REFUSED,
)


@router.get("", response_model=DocumentPage, summary="The calling account's documents, newest first")
def list_documents(
    processor: ProcessorDep,
    kind: Literal["order", "invoice", "creditnote"] | None = None,
    status: Literal["draft", "final"] | None = None,
    order_id: Annotated[str | None, Query(max_length=100, description="The shop's order id")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    return processor.query(lambda ctx: documents_page(ctx, kind, status, order_id, limit, offset))


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
        return views(ctx, [get_document(ctx.session, ctx.account.id, document_id)])[0]


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
    responses=problem_answers(404, 409),
)
def approve_document(
    request: Request, processor: ProcessorDep, document_id: int, key: IdempotencyKeyHeader = None
) -> Response:
    def work(ctx: Context) -> Response:
        document, _ = invoicing.approve(ctx, document_id)
        out = views(ctx, [document])[0]
        return JSONResponse(DocumentOut.model_validate(out).model_dump(mode="json"))

    with processor.open() as ctx:
        lock = processor.settings.idempotency_lock_seconds
        return run_idempotent(ctx, request.method, request_path(request), key, b"", work, lock)
