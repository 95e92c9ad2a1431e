"""POST /v1/render: an uploaded UBL invoice or credit note in, validated, its PDF/A-3b out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.api import ratelimit, upload
from app.api.deps import SettingsDep, ValidationDep
from app.api.disposition import content_disposition
from app.api.examples import xml_body
from app.api.openapi import headers
from app.api.problems import problem
from app.api.upload import read_upload
from app.pdf.labels import Lang
from app.pdf.render import TEMPLATE_VERSION, render_document
from app.validation.budget import Budget

router = APIRouter(tags=["pdf"])


@router.post(
    "/v1/render",
    summary="Render an invoice or credit note (UBL) as a PDF/A-3b with the XML embedded",
    description="The document is validated with the official rules first: a valid one answers its PDF "
    "(`application/pdf`, the XML embedded as `invoice.xml` / `creditnote.xml`); an invalid one answers its "
    "validation report as `application/problem+json` (422). Labels, numbers and dates follow `lang`.",
    openapi_extra={"requestBody": xml_body()},
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}},
            "description": "The PDF/A-3b",
            "headers": headers("X-Nordubl-Template-Version", "X-Nordubl-Ruleset"),
        },
        413: {"description": "The document is too large to validate or render (problem+json)"},
        422: {
            "description": "The document fails the official rules (the report as problem+json), or an "
            "unknown lang"
        },
        429: ratelimit.RESPONSE_429,
        **upload.RESPONSES,
        500: {"description": "The renderer failed (problem+json, pdf.failed)"},
    },
)
async def render(
    request: Request,
    validation: ValidationDep,
    settings: SettingsDep,
    lang: Annotated[Lang, Query(description="Language of the labels and formats: nb, da, sv or en")] = "nb",
) -> Response:
    await ratelimit.enforce(request, settings)  # 429 with Retry-After, before the body is read
    # within the upload time limits and slots (408, 503: app/api/upload.py)
    data = await read_upload(request, settings, settings.max_xml_bytes, "document", "max_xml_bytes")
    budget = Budget.of(settings)  # 413/422 above it: app/validation/budget.py
    budget.check_size(len(data))
    report = await validation.validate(data, request.headers.get("x-filename"), budget)
    if not report.valid:
        report_members = {k: v for k, v in report.as_dict().items() if k not in ("file", "issues")}
        return problem(
            422,
            "The document does not pass the official rules",
            report.issues,
            request=request,
            extra=report_members,
        )
    doc, pdf = await run_in_threadpool(render_document, data, lang)
    headers = {
        "Content-Disposition": content_disposition(f"{doc.id}.pdf", default="invoice"),  # BT-1
        "X-Nordubl-Template-Version": TEMPLATE_VERSION,
        "X-Nordubl-Ruleset": report.label or "",
    }
    return Response(pdf, media_type="application/pdf", headers=headers)
