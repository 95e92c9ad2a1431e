"""RFC 9457 problem details (``application/problem+json``) with the project's ``issues[]``, written by one
function, :func:`problem_body`, for every refusal: the routes' errors, the request contract, a number out
of range, a malformed HTTP request, an internal error and an unready service.

- ``type`` names the problem's code (RFC 9457 §3.1.1): ``/problems/{code}`` for a code of the catalogue
  (:mod:`app.codes`), a page the service serves with the code's meaning, hint and field
  (:mod:`app.api.routes.problems`); ``/problems#rules`` for a refusal by the official rules (their ids are
  published, not ours); ``about:blank`` for a bare HTTP status (404 of an unknown path, 405).
- The texts are in the language they were written in (English, or the account's for a blocked order's
  findings) unless the request's ``Accept-Language`` names one of nb, da, sv, en: then the message and hint
  of every catalogued issue are written again in that language from the code and its parameters
  (``Content-Language`` says which). Official rule texts stay as published; the title stays English.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.codes import CODES, text
from app.errors import NordublError
from app.forms.loader import pydantic_issues
from app.i18n import SOURCE, negotiate
from app.issues import Issue, official

PROBLEM_JSON = "application/problem+json"
#: Where the problem types resolve (:mod:`app.api.routes.problems`).
PROBLEMS_PATH = "/problems"
#: The type of a refusal by the official rules: the page's section on published rule ids.
RULES_TYPE = f"{PROBLEMS_PATH}#rules"


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
    type: str = Field(
        default="about:blank",
        description="The problem's code as a URI: /problems/{code} (a page listing the code's meaning and "
        "fix), /problems#rules for the official rules, about:blank for a bare HTTP status.",
        examples=["/problems/customer.number_missing"],
    )
    title: str
    status: int
    detail: str | None = None
    issues: list[IssueOut] = []


def problem_type(issues: Sequence[Issue]) -> str:
    """The type URI of a problem: its first issue's code when catalogued, the rules' page when an official
    rule refused it, ``about:blank`` when it has no issue (RFC 9457 §4.2.1)."""
    for issue in issues:
        if issue.code in CODES:
            return f"{PROBLEMS_PATH}/{issue.code}"
    if any(official(i.code) for i in issues):
        return RULES_TYPE
    return PROBLEMS_PATH if issues else "about:blank"


def localized(issue: Issue, lang: str) -> Issue:
    """``issue`` with its message and hint in ``lang`` when its code is catalogued and its parameters
    were kept; else as written."""
    if issue.code not in CODES or issue.params is None:
        return issue
    try:
        message, hint = text(issue.code, lang, dict(issue.params), issue.field)
    except KeyError:  # a parameter missing: the English as written beats a half-filled text
        return issue
    return dataclasses.replace(issue, message=message, hint=hint)


def asked(request: Request | None) -> str | None:
    """The language the request asks for (``Accept-Language``), None when it names none of ours."""
    if request is None:
        return None
    return negotiate(None, request.headers.get("accept-language"))


def problem_answers(*statuses: int | tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses=`` (OpenAPI) for the statuses it answers with problem+json, each a status or
    a status and its description."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        code, description = status if isinstance(status, tuple) else (status, None)
        out[code] = (
            {"model": Problem} if description is None else {"model": Problem, "description": description}
        )
    return out


#: The answer of every route that takes an account's credentials, without valid ones.
CREDENTIALS_REFUSED = problem_answers((401, "No or wrong client credentials"))


def problem_body(
    status: int,
    title: str,
    issues: Sequence[Issue] = (),
    detail: str | None = None,
    *,
    lang: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The one problem+json body: ``type`` from the issues' code, issues written again in ``lang`` (None:
    as written); ``extra`` adds members (RFC 9457 §3.2: a validation report's stages, the readiness
    checks)."""
    body: dict[str, Any] = {
        "type": problem_type(issues),
        "title": title,
        "status": status,
        "issues": [(localized(i, lang) if lang else i).as_dict() for i in issues],
    }
    if detail:
        body["detail"] = detail
    return {**body, **(extra or {})}


def problem(
    status: int,
    title: str,
    issues: Sequence[Issue] = (),
    detail: str | None = None,
    *,
    request: Request | None = None,
    written: str = SOURCE,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The problem+json answer; ``written``: the language the issues are in."""
    lang = asked(request)
    body = problem_body(status, title, issues, detail, lang=lang if lang != written else None, extra=extra)
    all_headers = {"Content-Language": lang or written, **(headers or {})}
    if request is not None:
        all_headers["Vary"] = "Accept-Language"
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=all_headers)


async def nordubl_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NordublError)
    headers = {"WWW-Authenticate": 'Basic realm="nordubl"'} if exc.status == 401 else {}  # RFC 9110 §11.6.1
    headers.update(getattr(exc, "headers", {}))  # e.g. Retry-After (app.api.upload.UploadRefused)
    return problem(exc.status, exc.title, exc.issues, request=request, written=exc.language, headers=headers)


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = pydantic_issues(list(exc.errors()))
    status = 400 if any(i.code == "input.json" for i in issues) else 422
    return problem(status, "The request does not match the input contract", issues, request=request)


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    # e.g. WWW-Authenticate on 401 (RFC 9110 §11.6.1)
    return problem(exc.status_code, str(exc.detail), [], request=request, headers=exc.headers)
