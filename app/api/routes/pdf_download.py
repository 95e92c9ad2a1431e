"""GET /v1/documents/{id}.pdf: a stored invoice or credit note as PDF/A-3b, rendered once per language,
template version and draft mark and then served from the blob store (:mod:`app.pdf.cache`). A draft's PDF
says so (UTKAST, KLADDE, DRAFT); once approved, the document's PDF is rendered again, final."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import ProcessorDep
from app.api.disposition import content_disposition
from app.api.openapi import headers
from app.api.problems import CREDENTIALS_REFUSED, Problem
from app.errors import NordublError
from app.mail.compose import file_name
from app.pdf.cache import pdf_for
from app.pdf.labels import LANGUAGES, Lang
from app.store.documents import get_document, read_xml

router = APIRouter(
    prefix="/v1/documents",
    tags=["documents"],
    responses=CREDENTIALS_REFUSED,
)

#: Document kinds that have a PDF (an order is answered ``document.no_pdf``).
PDF_KINDS = ("invoice", "creditnote")


def account_lang(language: str | None) -> Lang:
    """The account's language when a PDF can be written in it, else English."""
    return next((lang for lang in LANGUAGES if lang == language), "en")


def no_pdf(document_id: int, kind: str) -> NordublError:
    return NordublError.of(
        "document.no_pdf",
        title="This document has no PDF",
        status=422,
        value=kind,
        document_id=str(document_id),
    )


@router.get(
    "/{document_id:int}.pdf",
    summary="The invoice or credit note as PDF/A-3b (the XML embedded), rendered once and kept",
    description="Rendered from the stored XML on the first download in each language and template version, "
    "then read back from the blob store with its SHA-256 checked. A draft (not yet approved) is marked as "
    "one on every page (UTKAST, KLADDE, DRAFT in the PDF's language); after approval the PDF is rendered "
    "again without the mark. `X-Nordubl-Pdf-Cache` tells which: "
    "`hit` (kept PDF), `miss` (rendered now), `missing` or `corrupt` (the kept blob was lost or changed: "
    "rendered again; a changed blob is never served).",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}},
            "description": "The PDF/A-3b",
            "headers": headers("X-Nordubl-Sha256", "X-Nordubl-Template-Version", "X-Nordubl-Pdf-Cache"),
        },
        404: {"model": Problem, "description": "No such document for this account (document.not_found)"},
        413: {"model": Problem, "description": "Too many lines to render (pdf.too_large)"},
        422: {
            "model": Problem,
            "description": "An order (document.no_pdf), an unknown lang, or a render that timed out",
        },
        500: {
            "model": Problem,
            "description": "The stored XML was changed or lost (store.blob_corrupt), or the renderer failed",
        },
        503: {"model": Problem, "description": "The blob store cannot be read (store.unavailable)"},
    },
)
def download_pdf(
    processor: ProcessorDep,
    document_id: int,
    lang: Annotated[
        Lang | None,
        Query(description="nb, da, sv or en; default: the account's language"),
    ] = None,
) -> Response:
    with processor.open() as ctx:
        document = get_document(ctx.session, ctx.account.id, document_id)
        if document.kind not in PDF_KINDS:
            raise no_pdf(document_id, document.kind)
        language = lang or account_lang(ctx.account.language)
        blobs = ctx.blobs
        # source 003: a draft (trial period, not yet approved) is never shown as a final document
        draft = document.status == "draft"
        result = pdf_for(
            ctx.session, blobs, document.id, language, lambda: read_xml(blobs, document), draft=draft
        )
        name = file_name(document.kind, document.number, result.lang, "pdf")
    return Response(
        result.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(name),
            "Content-Language": result.lang,
            "X-Nordubl-Sha256": result.sha256,
            "X-Nordubl-Template-Version": result.template_version,
            "X-Nordubl-Pdf-Cache": result.state,
        },
    )
