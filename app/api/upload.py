"""Request bodies of the anonymous upload routes (``POST /v1/validate/batch``, ``/v1/validate``,
``/v1/render``): read within a time limit, and only so many at once per process.

Two time limits, both enforced on every wait for the next piece of the body (the wait for the first piece
included, so headers followed by nothing are caught too):

- **gap**: at most ``upload_idle_timeout_seconds`` between two pieces: a client that stalls is dropped
  after it, whatever it declared;
- **whole body**: all of it within ``upload_timeout_seconds`` of the first read: a client that trickles a
  few bytes just inside every gap is dropped too.

A body that misses either answers 408 problem+json (``input.body_timeout``) with ``Connection: close``
(RFC 9110 §15.5.9: the server closes the connection rather than keep waiting), and the caller removes what
was spooled: the batch upload's temporary directory, the pieces held in memory by :func:`read_upload`.

Concurrency: at most ``upload_max_concurrent`` bodies are being received at once in one process (these
routes take no credentials: every upload to them is anonymous). One more answers 503 problem+json
(``upload.busy``) at once, before any of its body is read or spooled, with ``Retry-After`` (RFC 9110
§10.2.3) saying when the earliest running upload must have ended (its deadline), at least 1 s, and
``Connection: close``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from fastapi import FastAPI, Request

from app.api.deps import too_large
from app.api.problems import PROBLEM_JSON
from app.codes import issue
from app.config import Settings
from app.errors import NordublError
from app.issues import Issue

#: The answers of :func:`upload_body` for a route's ``responses=`` (OpenAPI).
RESPONSES: dict[int | str, dict[str, Any]] = {
    408: {
        "description": "The body did not arrive within upload_idle_timeout_seconds / upload_timeout_seconds "
        "(problem+json, input.body_timeout)",
        "content": {PROBLEM_JSON: {}},
    },
    503: {
        "description": "upload_max_concurrent uploads are being received (problem+json, upload.busy, "
        "Retry-After)",
        "content": {PROBLEM_JSON: {}},
    },
}


class UploadRefused(NordublError):
    """A refusal of the upload itself (408, 503) whose answer carries HTTP headers of its own."""

    headers: dict[str, str]

    def __init__(self, title: str, issue: Issue, status: int, headers: dict[str, str]) -> None:
        super().__init__(title=title, issues=[issue], status=status)
        self.headers = headers


class UploadSlots:
    """The uploads being received in this process, each with the time by which it must have ended."""

    def __init__(self) -> None:
        self._deadlines: dict[int, float] = {}
        self._ids = itertools.count()

    def __len__(self) -> int:
        return len(self._deadlines)

    def take(self, limit: int, deadline: float) -> int | None:
        """A slot until ``deadline`` (loop time), or None when ``limit`` uploads are running."""
        if len(self._deadlines) >= limit:
            return None
        slot = next(self._ids)
        self._deadlines[slot] = deadline
        return slot

    def extend(self, slot: int, deadline: float) -> None:
        self._deadlines[slot] = deadline

    def give_back(self, slot: int) -> None:
        self._deadlines.pop(slot, None)

    def retry_after(self, now: float) -> int:
        """Whole seconds until the earliest running upload has ended or been dropped (at least 1)."""
        earliest = min(self._deadlines.values(), default=now)
        return max(1, math.ceil(earliest - now))


def slots_of(app: FastAPI) -> UploadSlots:
    """The application's upload slots (one application per process), made on first use."""
    slots: UploadSlots | None = getattr(app.state, "upload_slots", None)
    if slots is None:
        slots = app.state.upload_slots = UploadSlots()
    return slots


def busy(settings: Settings, retry: int) -> UploadRefused:
    limit = settings.upload_max_concurrent
    return UploadRefused(
        "Too many uploads at once",
        issue("upload.busy", params={"limit": str(limit), "retry": str(retry)}),
        503,
        # RFC 9110 §10.2.3; the body is not read, so the connection cannot carry another request
        {"Retry-After": str(retry), "Connection": "close"},
    )


def body_timeout(settings: Settings, received: int, whole: bool) -> UploadRefused:
    if whole:
        params = {"seconds": f"{settings.upload_timeout_seconds:g}", "received": str(received)}
    else:
        params = {
            "seconds": f"{settings.upload_idle_timeout_seconds:g}",
            "received": str(received),
            "variant": "idle",
        }
    return UploadRefused(
        "The request body was not received in time",
        issue("input.body_timeout", params=params),
        408,
        {"Connection": "close"},  # RFC 9110 §15.5.9, §7.6.1
    )


@contextlib.asynccontextmanager
async def upload_body(request: Request, settings: Settings) -> AsyncIterator[AsyncIterator[bytes]]:
    """The request body piece by piece, in one of the process's upload slots (503 when none is free),
    each piece within the gap and whole-body limits (408)."""
    loop = asyncio.get_running_loop()
    slots = slots_of(request.app)
    start = loop.time()
    ends = start + settings.upload_timeout_seconds
    slot = slots.take(settings.upload_max_concurrent, min(ends, start + settings.upload_idle_timeout_seconds))
    if slot is None:
        raise busy(settings, slots.retry_after(start))
    pieces = _timed(request, settings, slots, slot, ends)
    try:
        yield pieces
    finally:
        await pieces.aclose()
        slots.give_back(slot)


async def _timed(
    request: Request, settings: Settings, slots: UploadSlots, slot: int, ends: float
) -> AsyncGenerator[bytes, None]:
    loop = asyncio.get_running_loop()
    stream = request.stream()
    received = 0
    try:
        while True:
            deadline = min(ends, loop.time() + settings.upload_idle_timeout_seconds)
            slots.extend(slot, deadline)
            try:
                async with asyncio.timeout_at(deadline):
                    piece = await anext(stream)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise body_timeout(settings, received, whole=deadline >= ends) from None
            received += len(piece)
            yield piece
    finally:
        await stream.aclose()


async def read_upload(request: Request, settings: Settings, limit: int, what: str, setting: str) -> bytes:
    """The whole body, as :func:`app.api.deps.read_body` reads it (refused past ``limit`` with or without
    Content-Length), within the time limits and an upload slot."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared), limit, what, setting)
    chunks: list[bytes] = []
    size = 0
    async with upload_body(request, settings) as body:
        async for chunk in body:
            size += len(chunk)
            if size > limit:
                raise too_large(size, limit, what, setting)
            chunks.append(chunk)
    return b"".join(chunks)
