"""Characters no database column can hold, refused at the door: NUL and unpaired surrogates.

PostgreSQL's ``text`` cannot contain U+0000 at all, and no UTF-8 database can store a surrogate code point
(U+D800–U+DFFF) that is not half of a pair (RFC 3629 §3 excludes them from UTF-8). Both reach Python
easily: ``%00`` in a URL, a NUL in the Basic-auth user name after base64, ``\\u0000`` or a lone ``\\ud800``
escape in a JSON string (RFC 8259 §8.2 allows the latter). Passed on, they make the database driver raise
in the middle of a lookup or an insert: a 500 on PostgreSQL where SQLite stores or matches nothing.

:func:`refuse_unstorable` is a dependency of every route (``FastAPI(dependencies=…)``). It runs before
authentication and before any other dependency, so nothing reaches a query with such a character, on
either database. It checks the path parameters, the query parameters, the header values (the Basic-auth
user and key decoded) and a JSON body, and answers 400 (URL and headers: the request itself is malformed)
or 422 (a JSON field) problem+json naming each place, e.g. ``path.external_id``, ``query.number``,
``header.authorization``, ``customer.name``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from fastapi import Request

from app.codes import issue
from app.db.text import UNSTORABLE as _UNSTORABLE
from app.errors import NordublError
from app.issues import Issue

CODE = "input.unstorable_character"
#: Bodies parsed for the check: JSON (RFC 8259), also with a ``+json`` suffix (RFC 6839 §3.1).
_JSON = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)


def _issue(field: str, char: str) -> Issue:
    if char == "\x00":
        return issue(CODE, field, params={"variant": "nul"})
    return issue(CODE, field, params={"variant": "surrogate", "codepoint": f"{ord(char):04X}"})


def _walk(value: Any, field: str, found: list[Issue]) -> None:
    if isinstance(value, str):
        if match := _UNSTORABLE.search(value):
            found.append(_issue(field or "body", match.group()))
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if match := _UNSTORABLE.search(str(key)):
                found.append(_issue(name, match.group()))
                continue
            _walk(item, name, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{field}[{index}]", found)


def _basic(value: str) -> str | None:
    """The decoded ``user:key`` of a Basic credential (RFC 7617 §2), None for another scheme or bad base64."""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(token.strip(), validate=True).decode("utf-8", "surrogateescape")
    except (binascii.Error, ValueError):
        return None  # not ours to judge: the credential check refuses it (401)


def url_and_header_issues(request: Request) -> list[Issue]:
    found: list[Issue] = []
    for name, value in request.path_params.items():
        if isinstance(value, str) and (match := _UNSTORABLE.search(value)):
            found.append(_issue(f"path.{name}", match.group()))
    for name, value in request.query_params.multi_items():
        if match := _UNSTORABLE.search(name + value):
            found.append(_issue(f"query.{name}", match.group()))
    for name, value in request.headers.items():
        decoded = _basic(value) if name == "authorization" else None
        if match := _UNSTORABLE.search(value if decoded is None else value + decoded):
            found.append(_issue(f"header.{name}", match.group()))
    return found


async def refuse_unstorable(request: Request) -> None:
    issues = url_and_header_issues(request)
    if issues:
        raise NordublError("The request holds a character that cannot be stored", issues, status=400)
    route = request.scope.get("route")
    if getattr(route, "body_field", None) is None or not _JSON.match(request.headers.get("content-type", "")):
        # Streamed bodies (XML to validate, multipart batches) are read by their own routes, within their
        # size limits, and never stored as text: only a route with a JSON body model is checked here.
        return
    body = await request.body()  # FastAPI read it before the dependencies: Starlette keeps it, no copy
    try:
        document = json.loads(body) if body else None
    except ValueError:  # json.JSONDecodeError, UnicodeDecodeError: the route's own parsing answers 400
        return
    found: list[Issue] = []
    _walk(document, "", found)
    if found:
        raise NordublError("The request holds a character that cannot be stored", found, status=422)
