"""RFC 9457 problem details (``application/problem+json``) with the project's ``issues[]``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import Issue, NordublError
from app.forms.loader import pydantic_issues

PROBLEM_JSON = "application/problem+json"


class IssueOut(BaseModel):
    code: str = Field(examples=["BR-CO-15"])
    severity: str = Field(examples=["fatal"])
    message: str
    xpath: str | None = None
    line: int | None = None
    field: str | None = Field(default=None, examples=["customer.org_number"])
    hint: str | None = None
    value: str | None = None
    found: str | None = Field(default=None, examples=["TaxInclusiveAmount 1250.00"])
    expected: str | None = Field(
        default=None, examples=["TaxExclusiveAmount 1000.00 + TaxAmount 250.00 = 1250.00"]
    )


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    issues: list[IssueOut] = []


def problem(status: int, title: str, issues: list[Issue], detail: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "issues": [i.as_dict() for i in issues],
    }
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


async def nordubl_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NordublError)
    response = problem(exc.status, exc.title, exc.issues)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="nordubl"'  # RFC 9110 §11.6.1
    for name, value in getattr(exc, "headers", {}).items():  # e.g. Retry-After (app.api.upload.UploadRefused)
        response.headers[name] = value
    return response


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = pydantic_issues(list(exc.errors()))
    status = 400 if any(i.code == "input.json" for i in issues) else 422
    return problem(status, "The request does not match the input contract", issues)


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    response = problem(exc.status_code, str(exc.detail), [])
    for name, value in (exc.headers or {}).items():  # e.g. WWW-Authenticate on 401 (RFC 9110 §11.6.1)
        response.headers[name] = value
    return response
