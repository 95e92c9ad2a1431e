"""The answer of the HTTP server itself to a request it cannot parse, as problem+json.

uvicorn's h11 protocol answers a request that is not HTTP/1.1 (bad syntax, or a request line and headers
larger than h11 buffers while waiting for their end, 16 KiB) with a ``text/plain`` 400 of its own, before
the application sees anything. :func:`install` replaces that answer (``H11Protocol.send_400_response``)
by a 400 ``application/problem+json`` with the issue ``http.malformed``, so every refusal a client gets
has the same shape. It is called when :mod:`app.api.main` is imported, which every way of starting the
server does (uvicorn's command, ``nordubl serve``, the image), before the first connection.
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.api.problems import PROBLEM_JSON, problem
from app.codes import issue

ANSWER = problem(
    400,
    "Malformed HTTP request",
    [issue("http.malformed")],
    "The request could not be read as HTTP/1.1; the connection is closed.",
)
BODY = bytes(ANSWER.body)


def send_problem_400(self: H11Protocol, msg: str) -> None:
    """``H11Protocol.send_400_response`` with a problem+json body (RFC 9457); closes as uvicorn does."""
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(BODY)).encode()),
        (b"connection", b"close"),
    ]
    for event in (
        h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
        h11.Data(data=BODY),
        h11.EndOfMessage(),
    ):
        output = self.conn.send(event)
        if output:
            self.transport.write(output)
    self.transport.close()


def install() -> None:
    H11Protocol.send_400_response = send_problem_400  # type: ignore[method-assign]
