"""Request context: the request id (``X-Request-ID`` in and out), the access log line, the HTTP metrics,
and a problem+json answer for anything a handler let escape.

A pure ASGI middleware (no response buffering: streamed answers stream). An incoming ``X-Request-ID`` of
1–128 characters from ``[A-Za-z0-9._:-]`` is kept, so a request can be followed across a proxy; anything
else gets a new random id. The id is set in :data:`app.ops.logs.request_id` for every log line written
while the request is handled, and returned in the answer's ``X-Request-ID``.

An answer given before the request body was read (a refused query parameter, a missing credential) is
preceded by reading and discarding the rest of the body, up to :data:`DRAIN_LIMIT` bytes: a server that
closes a connection with unread bytes in its receive buffer makes the kernel send a TCP reset, and the
reset can destroy the answer before the client has read it (RFC 9112 §9.6, the "lingering close").
A larger unread body, or one the client holds back until ``100 Continue``, is left alone: the answer is
sent and the connection closed. So is one that stops arriving: the drain waits at most
:data:`DRAIN_SECONDS` (a stalled upload answered 408 or 503, ``app/api/upload.py``, gets its answer).

Metrics are labelled by the route *template* (``/v1/accounts/{client_id}``), never the raw path, and by
the method when it is a standard one (RFC 9110 §9.3, PATCH of RFC 5789), else ``other``: the number of series stays bounded
whatever clients send. A path no route matched counts as ``unmatched``. The access log keeps the
method as sent, cut to :data:`LOG_METHOD_CHARS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem_body
from app.codes import issue
from app.ops import metrics
from app.ops.logs import request_id

log = logging.getLogger("nordubl.access")
errors = logging.getLogger("nordubl.errors")

HEADER = b"x-request-id"
_VALID_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
#: Probes and scrapes: counted, but logged at debug level only.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
#: At most this much of an unread request body is read and discarded before an early answer.
DRAIN_LIMIT = 1 << 20
#: ... and for at most this many seconds: a client that stops sending is answered anyway.
DRAIN_SECONDS = 2.0
#: The methods RFC 9110 §9.3 defines and PATCH (RFC 5789); names are case-sensitive (RFC 9110 §9.1), so
#: ``get`` is not GET. Any other method is labelled ``other``.
STANDARD_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
#: Longest method kept in an access log line (a method token has no length limit of its own).
LOG_METHOD_CHARS = 20


def new_request_id() -> str:
    return uuid.uuid4().hex


def incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers") or ():
        if name == HEADER and _VALID_ID.match(value):
            return bytes(value).decode("ascii")
    return new_request_id()


def drainable(scope: Scope) -> bool:
    """Whether an unread body would be drained before an early answer: not when the client waits for
    ``100 Continue`` (it sends nothing unless asked) nor when Content-Length says it exceeds DRAIN_LIMIT."""
    for name, value in scope.get("headers") or ():
        if name == b"expect" and value.lower() == b"100-continue":
            return False
        if name == b"content-length" and value.isdigit() and int(value) > DRAIN_LIMIT:
            return False
    return True


def route_template(scope: Scope) -> str:
    """The matched route's template (set by the router, also for a 405); ``unmatched`` when none."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


def method_label(method: str) -> str:
    """The method as a metric label: one of the nine standard methods, or ``other``."""
    return method if method in STANDARD_METHODS else "other"


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
        state: dict[str, Any] = {
            "status": 0,
            "started": False,
            "profile": None,
            "body_done": not drainable(scope),
        }

        async def receive_tracked() -> Message:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                state["body_done"] = True
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                if not state["body_done"]:
                    await _drain(receive_tracked)
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
            await self.app(scope, receive_tracked, send_with_id)
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
        sent = str(scope.get("method", ""))
        label = method_label(sent)
        method = sent[:LOG_METHOD_CHARS]
        route = route_template(scope)
        status = int(state["status"]) or 500
        metrics.HTTP_REQUESTS.labels(label, route, str(status)).inc()
        metrics.HTTP_LATENCY.labels(label, route).observe(seconds)
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


async def _drain(receive: Receive) -> None:
    """Read and discard what is left of the request body, up to DRAIN_LIMIT bytes and DRAIN_SECONDS
    (RFC 9112 §9.6)."""
    read = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(DRAIN_SECONDS):
            while read <= DRAIN_LIMIT:
                message = await receive()
                if message["type"] != "http.request" or not message.get("more_body", False):
                    return
                read += len(message.get("body", b""))


async def _internal_error(send: Send, rid: str) -> None:
    body = json.dumps(
        problem_body(
            500,
            "Internal error",
            [issue("internal.error")],
            f"The request failed inside the service; quote request id {rid}.",
        )
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
