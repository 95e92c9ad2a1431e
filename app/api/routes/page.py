"""GET / (and /validate): the validation page; GET /web/{asset}: its script and style sheet.

The page is rendered on the server in the chosen language (:mod:`app.web.i18n`); its script sends the
files to ``POST /v1/validate/batch`` with ``Prefer: respond-async`` and polls the job, so rows fill in as
documents finish. Reports are downloaded as JSON or CSV from the results in the browser; a valid invoice
or credit note chosen as a file gets a PDF button that calls ``POST /v1/render``. With an account's client id
and key (HTTP Basic, sent by the script, kept in the page only) the page lists the account's stored
documents (``GET /v1/documents``) and validates the chosen ones the same way.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.routing import NoMatchFound

from app import __version__
from app.api.deps import SettingsDep
from app.codes import issue
from app.errors import NordublError
from app.i18n import SOURCE
from app.validation.hints import translated as translated_hints
from app.web import FOLDER as HERE
from app.web.i18n import CSV_SEPARATORS, LANGS, NAMES, negotiate, strings

#: The assets the page loads, with their media types; nothing else is served from the folder.
ASSET_TYPES: Final[dict[str, str]] = {
    "validate.js": "text/javascript; charset=utf-8",
    "validate.css": "text/css; charset=utf-8",
}
_ASSETS: Final[dict[str, bytes]] = {name: (HERE / "static" / name).read_bytes() for name in ASSET_TYPES}
#: A short digest of each asset, appended to its URL so a new release is never served from a stale cache.
_DIGESTS: Final[dict[str, str]] = {
    name: hashlib.sha256(data).hexdigest()[:12] for name, data in _ASSETS.items()
}
# Content Security Policy for the page: its own script and style only, no inline script execution
# (the two JSON blocks are data), no frames, no foreign connections.
CSP: Final[str] = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)

router = APIRouter(include_in_schema=False)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _route(request: Request, name: str) -> str | None:
    try:
        return str(request.app.url_path_for(name))
    except NoMatchFound:
        return None


@router.get("/", response_class=HTMLResponse)
@router.get("/validate", response_class=HTMLResponse)
def page(
    request: Request,
    settings: SettingsDep,
    lang: Annotated[str | None, Query(description="en, nb, da or sv")] = None,
) -> HTMLResponse:
    chosen = negotiate(lang, request.headers.get("accept-language"))
    texts = strings(chosen)
    html = _env.get_template("validate.html").render(
        lang=chosen,
        t=texts,
        langs=[(code, NAMES[code]) for code in LANGS],
        path=request.url.path,
        version=__version__,
        limits=texts["limits"].format(
            files=f"{settings.batch_http_max_files:,}".replace(",", "\u202f"),
            upload=_mb(settings.batch_upload_max_bytes),
            xml=_mb(settings.max_xml_bytes),
        ),
        config={
            "lang": chosen,
            "csvSeparator": CSV_SEPARATORS[chosen],
            # our hints in the page's language; the rule texts stay as the official rules publish them
            "hints": translated_hints(chosen) if chosen != SOURCE else {},
            "batchUrl": _route(request, "validate_batch") or "/v1/validate/batch",
            "renderUrl": _route(request, "render"),
            "documentsUrl": _route(request, "list_documents"),
        },
        asset=lambda name: f"/web/{name}?v={_DIGESTS[name]}",
        documents=_route(request, "list_documents") is not None,
    )
    headers = {
        "Content-Language": chosen,
        "Vary": "Accept-Language",
        "Cache-Control": "no-cache",
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    return HTMLResponse(html, headers=headers)


@router.get("/web/{name}")
def asset(name: str) -> Response:
    if name not in _ASSETS:
        raise NordublError("Not found", [issue("web.not_found", params={"asset": repr(name)})], status=404)
    return Response(
        _ASSETS[name],
        media_type=ASSET_TYPES[name],
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
