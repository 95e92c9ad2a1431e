"""GET /problems and GET /problems/{code}: where every problem's ``type`` resolves (RFC 9457 §3.1.1).

A page of the catalogue of codes (:mod:`app.codes_reference`), in the language ``?lang=`` or the browser's
``Accept-Language`` asks for (English otherwise); ``/problems/{code}`` shows one code, ``/problems#rules``
explains the official rule ids. docs/problems.md is the same list, in English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.api.problems import PROBLEMS_PATH
from app.codes import CODES
from app.codes_reference import entries, labels
from app.errors import NordublError
from app.i18n import SOURCE, negotiate

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
_HEADERS = {
    "Vary": "Accept-Language",
    "Cache-Control": "public, max-age=3600",
    "Content-Security-Policy": "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter(include_in_schema=False)

LangQuery = Annotated[str | None, Query(description="en, nb, da or sv")]


def _page(request: Request, lang: str | None, only: str | None) -> HTMLResponse:
    chosen = negotiate(lang, request.headers.get("accept-language")) or SOURCE
    html = _env.get_template("problems.html").render(
        lang=chosen,
        words=labels(chosen),
        entries=list(entries(chosen, only)),
        only=only,
        base=PROBLEMS_PATH,
    )
    return HTMLResponse(html, headers={**_HEADERS, "Content-Language": chosen})


@router.get(PROBLEMS_PATH, response_class=HTMLResponse, name="problem_types")
def problem_types_page(request: Request, lang: LangQuery = None) -> HTMLResponse:
    return _page(request, lang, None)


@router.get(PROBLEMS_PATH + "/{code}", response_class=HTMLResponse, name="problem_type")
def problem_type_page(request: Request, code: str, lang: LangQuery = None) -> HTMLResponse:
    if code not in CODES:
        raise NordublError.of("problem.unknown", "code", title="No such problem type", status=404, value=code)
    return _page(request, lang, code)
