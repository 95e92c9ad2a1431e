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
