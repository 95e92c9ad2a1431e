"""Request context: the request id (``X-Request-ID`` in and out), the access log line, the HTTP metrics,
and a problem+json answer for anything a handler let escape.

A pure ASGI middleware (no response buffering: streamed answers stream). An incoming ``X-Request-ID`` of
1–128 characters from ``[A-Za-z0-9._:-]`` is kept, so a request can be followed across a proxy; anything
else gets a new random id. The id is set in :data:`app.ops.logs.request_id` for every log line written
while the request is handled, and returned in the answer's ``X-Request-ID``.

Metrics are labelled by the route *template* (``/v1/accounts/{client_id}``), never the raw path, so
the number of series stays bounded whatever clients send; a path no route matched counts as
``unmatched``.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ops import metrics
from app.ops.logs import request_id

log = logging.getLogger("nordubl.access")
errors = logging.getLogger("nordubl.errors")

HEADER = b"x-request-id"
_VALID_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
#: Probes and scrapes: counted, but logged at debug level only.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def new_request_id() -> str:
    return uuid.uuid4().hex


def incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers") or ():
        if name == HEADER and _VALID_ID.match(value):
            return bytes(value).decode("ascii")
    return new_request_id()


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = incoming_id(scope)
        token = request_id.set(rid)
        start = time.perf_counter()
        state: dict[str, Any] = {"status": 0, "started": False, "profile": None}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
                state["status"] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                headers.append((HEADER, rid.encode("ascii")))
                for k, v in headers:
                    if k.lower() == b"x-nordubl-profile":
                        state["profile"] = v.decode("latin-1")
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            errors.exception(
                "unhandled error",
                extra={"method": scope.get("method"), "path": str(scope.get("path"))[:1000]},
            )
            if state["started"]:
                raise  # the answer is under way: the server closes the connection
            await _internal_error(send_with_id, rid)
        finally:
            self._finish(scope, state, time.perf_counter() - start, rid)
            request_id.reset(token)

    @staticmethod
    def _finish(scope: Scope, state: dict[str, Any], seconds: float, rid: str) -> None:
        method = str(scope.get("method", ""))
        route = route_template(scope)
        status = int(state["status"]) or 500
        metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
        metrics.HTTP_LATENCY.labels(method, route).observe(seconds)
        if state["profile"] and 200 <= status < 300:
            metrics.DOCUMENTS.labels(route, state["profile"]).inc()
        path = str(scope.get("path", ""))[:1000]  # a log line per request, whatever its length
        level = logging.DEBUG if path in QUIET_PATHS and status < 500 else logging.INFO
        log.log(
            level,
            f"{method} {path} {status}",
            extra={
                "request_id": rid,
                "method": method,
                "path": path,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "client": (scope.get("client") or ("", 0))[0],
            },
        )


async def _internal_error(send: Send, rid: str) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Internal error",
            "status": 500,
            "detail": f"The request failed inside the service; quote request id {rid}.",
            "issues": [
                {
                    "code": "internal.error",
                    "severity": "fatal",
                    "message": "The service failed to answer this request.",
                    "hint": "Retry later; if it persists, report the request id.",
                }
            ],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
