"""Stalled and trickling uploads on a real server (uvicorn on loopback, raw sockets): the body-read time
limits (408, the spooled files removed, the connection closed) and the cap on concurrent uploads (503
with Retry-After), for POST /v1/validate/batch, /v1/validate and /v1/render (app/api/upload.py)."""

from __future__ import annotations

import json
import select
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from app.api.main import create_app
from app.api.upload import UploadSlots, slots_of
from app.config import get_settings, settings_dependency

#: Slack on every wait for the server: generous, so a loaded machine never fails a test.
SLACK = 60.0
BOUNDARY = "b0undary"
PART_HEAD = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.zip"\r\n'
    "Content-Type: application/zip\r\n\r\n"
).encode()


Serve = Callable[..., AbstractContextManager[tuple[FastAPI, int]]]


@pytest.fixture()
def serve(monkeypatch: pytest.MonkeyPatch) -> Serve:
    """A fresh application with changes to its settings (also at start-up: no rule-set warm-up, no
    validation happens here), served by uvicorn on a free loopback port in a background thread (as
    tests/liveserver.py does)."""

    def start(**changes: Any) -> AbstractContextManager[tuple[FastAPI, int]]:
        custom = get_settings().model_copy(update={"validation_warm_up": False, **changes})
        monkeypatch.setattr("app.api.main.get_settings", lambda: custom)
        app = create_app()
        app.dependency_overrides[settings_dependency] = lambda: custom
        return _serving(app)

    return start


@contextmanager
def _serving(app: FastAPI) -> Iterator[tuple[FastAPI, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + SLACK
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        yield app, port
    finally:
        server.should_exit = True
        thread.join(SLACK)
        sock.close()


def open_upload(port: int, path: str, head: bytes, body: bytes, length: int | None) -> socket.socket:
    """Send the request line and headers and the first ``body`` bytes, then nothing: a stalled upload.
    ``length`` is the declared Content-Length; None sends the body chunked (RFC 9112 §7.1) instead."""
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    kind = f"multipart/form-data; boundary={BOUNDARY}" if path.endswith("/batch") else "application/xml"
    s = socket.create_connection(("127.0.0.1", port), timeout=SLACK)
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\n{framing}\r\nContent-Type: {kind}\r\n\r\n".encode())
    send(s, head + body, chunked=length is None)
    return s


def send(s: socket.socket, data: bytes, chunked: bool) -> None:
    s.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n" if chunked else data)


def response(s: socket.socket) -> tuple[int, dict[str, str], dict[str, Any], bool]:
    """(status, headers, JSON body, whether the server closed the connection after it)."""
    data = b""
    while b"\r\n\r\n" not in data and (chunk := s.recv(65536)):
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers["content-length"])
    while len(rest) < length and (chunk := s.recv(65536)):
        rest += chunk
    try:
        closed = s.recv(1) == b""
    except ConnectionResetError:
        closed = True
    return int(lines[0].split()[1]), headers, json.loads(rest[:length]), closed


def wait_for(what: str, check: Callable[[], bool], timeout: float = SLACK) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def spooled(folder: Path) -> list[Path]:
    """The batch uploads' files being written in ``folder`` (the temporary directory)."""
    return [p for p in folder.glob("nordubl-batch-*/*.part") if p.stat().st_size > 0]


@pytest.fixture()
def tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory of the server (it runs in this process): an empty folder of the test's."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_stalled_batch_upload_is_408_and_its_spooled_file_is_removed(serve: Serve, tmp_dir: Path) -> None:
    idle = 1.5
    with serve(upload_idle_timeout_seconds=idle, upload_timeout_seconds=600) as (_app, port):
        s = open_upload(port, "/v1/validate/batch", PART_HEAD, b"PK\x03\x04" + b"\0" * 200_000, 100 << 20)
        stalled = time.monotonic()  # the server saw the last byte after this
        with s:
            wait_for("the upload to be spooled", lambda: bool(spooled(tmp_dir)))
            status, headers, body, closed = response(s)
            waited = time.monotonic() - stalled
    assert status == 408 and headers["content-type"] == "application/problem+json"
    (issue,) = body["issues"]
    assert issue["code"] == "input.body_timeout" and issue["field"] == "body"
    assert "upload_idle_timeout_seconds" in issue["message"] and "NORDUBL_UPLOAD_IDLE" in issue["hint"]
    assert idle <= waited < idle + SLACK  # dropped for the gap: not before it, and not never
    assert headers["connection"] == "close" and closed  # RFC 9110 §15.5.9
    assert list(tmp_dir.iterdir()) == []  # the spooled file and its directory are gone


@pytest.mark.parametrize("path", ["/v1/validate", "/v1/render"])
def test_a_stalled_single_document_is_408(serve: Serve, path: str) -> None:
    # a small declared body: the early answer's drain of the rest must not wait for the stalled client
    with serve(upload_idle_timeout_seconds=1.0) as (app, port):
        s = open_upload(port, path, b"", b"<Invoice xmlns='urn:oasis:names:specification:ubl:", 10_000)
        with s:
            wait_for("the upload slot", lambda: len(slots_of(app)) == 1)
            status, headers, body, closed = response(s)
        assert len(slots_of(app)) == 0
    assert status == 408 and body["issues"][0]["code"] == "input.body_timeout"
    assert "upload_idle_timeout_seconds" in body["issues"][0]["message"]
    assert headers["connection"] == "close" and closed


def test_a_trickling_upload_is_408_at_the_whole_body_limit(serve: Serve, tmp_dir: Path) -> None:
    total = 2.0
    with serve(upload_idle_timeout_seconds=30, upload_timeout_seconds=total) as (_app, port):
        start = time.monotonic()
        s = open_upload(port, "/v1/validate/batch", PART_HEAD, b"PK\x03\x04", None)
        with s:
            answer: tuple[int, dict[str, str], dict[str, Any], bool] | None = None
            while answer is None:
                assert time.monotonic() - start < total + SLACK, "no answer to the trickling upload"
                if select.select([s], [], [], 0.2)[0]:
                    answer = response(s)
                else:
                    send(s, b"\0" * 64, chunked=True)  # a piece well inside every gap
            waited = time.monotonic() - start
    status, _headers, body, closed = answer
    assert status == 408 and body["issues"][0]["code"] == "input.body_timeout"
    assert "upload_timeout_seconds" in body["issues"][0]["message"]
    assert total <= waited < total + SLACK and closed
    assert list(tmp_dir.iterdir()) == []


def test_one_upload_over_the_cap_is_503_with_retry_after(serve: Serve, tmp_dir: Path) -> None:
    cap, idle = 2, 120.0
    with serve(upload_max_concurrent=cap, upload_idle_timeout_seconds=idle) as (app, port):
        held = [
            open_upload(port, "/v1/validate/batch", PART_HEAD, b"PK\x03\x04" + b"\0" * 1000, 100 << 20)
            for _ in range(cap)
        ]
        try:
            wait_for("both uploads to hold a slot", lambda: len(slots_of(app)) == cap)
            extra = open_upload(port, "/v1/validate/batch", PART_HEAD, b"PK\x03\x04", 100 << 20)
            with extra:
                status, headers, body, closed = response(extra)
            single = open_upload(port, "/v1/validate", b"", b"<Invoice", None)  # chunked: drained, stalled
            with single:
                single_status = response(single)[0]
        finally:
            for s in held:
                s.close()
        wait_for("the closed uploads to give their slots back", lambda: len(slots_of(app)) == 0)
        wait_for("their spooled files to be removed", lambda: list(tmp_dir.iterdir()) == [])
    assert status == 503 and headers["content-type"] == "application/problem+json" and closed
    (issue,) = body["issues"]
    assert issue["code"] == "upload.busy" and "upload_max_concurrent" in issue["message"]
    assert "NORDUBL_UPLOAD_MAX_CONCURRENT" in issue["hint"]
    assert 1 <= int(headers["retry-after"]) <= idle  # when the first held upload must have ended
    assert single_status == 503


def test_retry_after_is_the_earliest_deadline() -> None:
    slots = UploadSlots()
    a = slots.take(2, deadline=110.0)
    b = slots.take(2, deadline=104.2)
    assert a is not None and b is not None and slots.take(2, deadline=200.0) is None
    assert slots.retry_after(now=100.0) == 5
    slots.give_back(b)
    assert slots.retry_after(now=100.0) == 10
    slots.extend(a, 100.1)
    assert slots.retry_after(now=100.0) == 1  # at least a second
