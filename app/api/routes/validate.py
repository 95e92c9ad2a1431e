"""POST /v1/validate: one UBL document in, its report out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.api import ratelimit, upload
from app.api.deps import SettingsDep, ValidationDep
from app.api.examples import report_example, xml_body
from app.api.upload import read_upload
from app.validation.budget import Budget

router = APIRouter(tags=["validation"])


@router.post(
    "/v1/validate",
    summary="Validate one UBL document against the official XSD and Schematron",
    openapi_extra={"requestBody": xml_body()},
    responses={
        200: {
            "description": "The report: `valid`, the rule set and release, stages and issues",
            "content": {
                "application/json": {
                    "example": report_example(
                        False,
                        1,
                        [
                            {
                                "code": "BR-CO-15",
                                "severity": "fatal",
                                "message": "Invoice total amount with VAT (BT-112) = ...",
                                "xpath": "/Invoice",
                                "line": 2,
                            }
                        ],
                    )
                }
            },
        },
        413: {
            "description": "The document is larger than max_xml_bytes or validation_budget_bytes "
            "(problem+json)"
        },
        422: {
            "description": "The document exceeds the validation budget: more elements than "
            "validation_budget_elements, or validation_budget_seconds spent (problem+json)"
        },
        429: ratelimit.RESPONSE_429,
        **upload.RESPONSES,
    },
)
async def validate_document(
    request: Request, validation: ValidationDep, settings: SettingsDep
) -> dict[str, Any]:
    await ratelimit.enforce(request, settings)  # 429 with Retry-After, before the body is read
    # within the upload time limits and slots (408, 503: app/api/upload.py)
    data = await read_upload(request, settings, settings.max_xml_bytes, "document", "max_xml_bytes")
    budget = Budget.of(settings)  # 413/422 above it: app/validation/budget.py
    budget.check_size(len(data))
    report = await validation.validate(data, request.headers.get("x-filename"), budget)
    return report.as_dict()
