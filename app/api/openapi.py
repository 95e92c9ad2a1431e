"""The OpenAPI document, completed with the answers every operation can give.

Every error the service answers is ``application/problem+json`` (:mod:`app.api.problems`), whichever
route it comes from: request validation (422), malformed bodies (400), authentication (401), size
limits (413), a crashed validation worker (503), an unexpected failure (500, with the request id). Routes
document the answers particular to them; this pass adds the rest once, for all:

- an error response a route documented as ``application/json`` (FastAPI's default for 422) is
  documented as ``application/problem+json`` with the :class:`~app.api.problems.Problem` schema;
- every operation gets ``500`` and a ``default`` response (any other status: problem+json);
- ``$defs`` left inside a schema a route wrote by hand (``openapi_extra``: the form's JSON schema
  with ``ref_template="#/components/schemas/{model}"``) are moved to ``components.schemas``, so every
  ``$ref`` of the document resolves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from app.api.problems import PROBLEM_JSON, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_JSON = "application/json"

_TEXT = {"type": "string"}
#: Every header the service sets for its clients, documented where it is sent: by the routes with
#: :func:`headers`, and by :func:`complete` for the ones every answer of a kind carries.
HEADERS: dict[str, dict[str, Any]] = {
    "Location": {"description": "The document this answer is about: `/v1/documents/{id}`", "schema": _TEXT},
    "X-Nordubl-Document-Id": {"description": "The stored document's id", "schema": {"type": "integer"}},
    "X-Nordubl-Order-State": {
        "description": "The order's state after this call",
        "schema": {"type": "string", "enum": ["accepted", "invoiced", "credited", "skipped", "blocked"]},
    },
    "X-Nordubl-Profile": {
        "description": "The profile of the document: ehf, peppol or oioubl",
        "schema": _TEXT,
    },
    "X-Nordubl-Profile-Reason": {"description": "Why that profile was chosen (ASCII)", "schema": _TEXT},
    "X-Nordubl-Ruleset": {"description": "The official rule set the document passed", "schema": _TEXT},
    "X-Nordubl-Sha256": {"description": "SHA-256 of the stored XML", "schema": _TEXT},
    "X-Nordubl-Template-Version": {"description": "Version of the PDF template", "schema": _TEXT},
    "X-Nordubl-Pdf-Cache": {
        "description": "Where the PDF came from: the kept one (`hit`), rendered now (`miss`), or rendered "
        "again because the kept one was lost (`missing`) or changed (`corrupt`)",
        "schema": {"type": "string", "enum": ["hit", "miss", "missing", "corrupt"]},
    },
    "Idempotent-Replayed": {
        "description": "`true`: the stored answer of an earlier request with the same Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {"description": "Seconds to wait before trying again (RFC 9110 §10.2.3)", "schema": _TEXT},
    "WWW-Authenticate": {"description": '`Basic realm="nordubl"` (RFC 9110 §11.6.1)', "schema": _TEXT},
    "X-Request-ID": {
        "description": "The request's id, as in the logs (the caller's, when valid)",
        "schema": _TEXT,
    },
}


def headers(*names: str) -> dict[str, dict[str, Any]]:
    """The header objects of ``names``, for a route's ``responses={status: {"headers": ...}}``."""
    return {name: HEADERS[name] for name in names}


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": dict(PROBLEM_REF)}}


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the common answers to ``spec`` (in place) and return it."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in problem.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas.setdefault("Problem", problem)
    for operations in spec.get("paths", {}).values():
        for method, op in operations.items():
            if method not in ("get", "put", "post", "delete", "patch", "head", "options"):
                continue
            _hoist_defs(op, schemas)
            responses: dict[str, Any] = op.setdefault("responses", {})
            idempotent = any(p.get("name") == "Idempotency-Key" for p in op.get("parameters", []))
            for status, response in responses.items():
                if status[:1] not in ("4", "5"):
                    continue
                content = response.setdefault("content", {})
                documented = content.pop(_JSON, None)
                if PROBLEM_JSON not in content or not content[PROBLEM_JSON].get("schema"):
                    schema = (documented or {}).get("schema")
                    if not schema or schema.get("$ref", "").endswith("/HTTPValidationError"):
                        schema = dict(PROBLEM_REF)
                    content[PROBLEM_JSON] = {"schema": schema}
            responses.setdefault(
                "500",
                {
                    "description": "Internal error: problem+json with the request id (`internal.error`)",
                    "content": _problem_content(),
                },
            )
            responses.setdefault(
                "default",
                {
                    "description": "Any other error (problem+json with `issues[]`)",
                    "content": _problem_content(),
                },
            )
            for status, response in responses.items():
                sent = response.setdefault("headers", {})
                sent.setdefault("X-Request-ID", HEADERS["X-Request-ID"])  # the middleware: every answer
                if status == "401":
                    sent.setdefault("WWW-Authenticate", HEADERS["WWW-Authenticate"])
                if status in ("429", "503"):
                    sent.setdefault("Retry-After", HEADERS["Retry-After"])
                if idempotent and status[:1] == "2":
                    sent.setdefault("Idempotent-Replayed", HEADERS["Idempotent-Replayed"])
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return spec


def _hoist_defs(node: Any, schemas: dict[str, Any]) -> None:
    """Move every nested ``$defs`` of ``node`` into ``schemas`` (first definition of a name wins)."""
    if isinstance(node, dict):
        defs = node.pop("$defs", None)
        if isinstance(defs, dict):
            for name, definition in defs.items():
                _hoist_defs(definition, schemas)
                schemas.setdefault(name, definition)
        for value in node.values():
            _hoist_defs(value, schemas)
    elif isinstance(node, list):
        for value in node:
            _hoist_defs(value, schemas)


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` answer the completed document (built once, as FastAPI does)."""
    original: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
