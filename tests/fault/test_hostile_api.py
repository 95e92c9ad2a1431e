"""Hostile and broken requests against the real HTTP server (uvicorn on loopback, validation in a spawned
worker): every one answers 4xx problem+json or a per-file error (a report that refuses the document),
never a 5xx; the server and its validation worker survive every one, each answer comes within its time
and the server's memory stays bounded.

The corpus is ``fixtures/hostile-api/cases.json`` (files and generators, see :mod:`hostile`).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile import body_of, cases
from server import Api

from app.api.middleware import drainable

ADMIN_KEY = "hostile-corpus-admin-key-0123456789"
#: The slowest answer allowed on a quiet machine (the 5,000-line invoice runs every rule over every line);
#: on a loaded one it grows with the measured slowdown of a reference validation (``Server.allowed``).
TIME_LIMIT_S = 60.0
#: How long a socket waits for the server: only catches a server that never answers.
HANG_S = 600.0
#: Most the server's process tree may grow over its size after start-up, at any moment.
MEMORY_LIMIT = 1024 * 1024 * 1024
CASES = cases()


class Sampler(threading.Thread):
    """The server's resident memory (process tree), every 50 ms."""

    def __init__(self, api: Api) -> None:
        super().__init__(daemon=True)
        self.api = api
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.peak = max(self.peak, self.api.rss())


class Server:
    def __init__(self, api: Api, auth: str, baseline: int, sampler: Sampler, reference: bytes) -> None:
        self.api, self.auth, self.baseline, self.sampler = api, auth, baseline, sampler
        self.timings: dict[str, float] = {}
        self.reference = reference
        self.reference_s = self.time_reference()

    def time_reference(self) -> float:
        started = time.monotonic()
        assert self.api.request("POST", "/v1/validate", self.reference)[0] == 200
        return time.monotonic() - started

    def allowed(self, elapsed: float) -> float:
        """The time limit of an answer that took ``elapsed``: TIME_LIMIT_S, stretched by how much slower
        the reference validation is now than at start-up (measured only when the limit is passed, so a
        quiet machine pays nothing)."""
        if elapsed < TIME_LIMIT_S:
            return TIME_LIMIT_S
        return TIME_LIMIT_S * max(1.0, self.time_reference() / self.reference_s)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("hostile")
    api = Api(
        tmp / "server.log",
        database_url=f"sqlite:///{tmp / 'nordubl.db'}",
        blob_dir=tmp / "blobs",
        admin_key=ADMIN_KEY,
        validation_workers=1,
        validation_warm_up="false",
        validation_memory_mb=3072,
        log_level="WARNING",
    )
    try:
        api.wait_ready()
        body = json.dumps(
            {
                "seller": {
                    "country": "NO",
                    "org_number": "991825827",
                    "name": "Fjellstua Kurs og Konferanse AS",
                    "address": "Storgata 12",
                    "postcode": "0155",
                    "city": "Oslo",
                }
            }
        ).encode()
        status, _, answer = api.request(
            "POST",
            "/v1/admin/accounts",
            body,
            {"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": "application/json"},
        )
        assert status == 201, answer
        account = json.loads(answer)
        auth = base64.b64encode(f"{account['client_id']}:{account['client_key']}".encode()).decode()
        # the worker compiles on first use: let it compile the common rule sets before measuring
        golden = (
            Path(__file__).resolve().parents[2] / "fixtures/expected/no-company-single.ehf.xml"
        ).read_bytes()
        assert api.request("POST", "/v1/validate", golden)[0] == 200
        sampler = Sampler(api)
        server = Server(api, auth, api.rss(), sampler, golden)
        sampler.start()
        yield server
        sampler.stop.set()
        slowest = sorted(server.timings.items(), key=lambda kv: -kv[1])[:5]
        print(
            f"\nhostile corpus: {len(server.timings)} requests; server grew at most "
            f"{(sampler.peak - server.baseline) >> 20} MiB over {server.baseline >> 20} MiB; slowest: "
            + ", ".join(f"{name} {t:.1f} s" for name, t in slowest)
        )
    finally:
        api.stop()


def send(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | Iterator[bytes]
) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection; stops sending as soon as the server answers (a refusal of a
    200 MiB body comes before the body has been sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=HANG_S)
    try:
        headers = {"Host": "127.0.0.1", "Connection": "close", **headers}
        if isinstance(body, bytes):
            headers.setdefault("Content-Length", str(len(body)))
        else:
            headers["Transfer-Encoding"] = "chunked"
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode("latin-1"))

        def answered() -> bool:
            return bool(select.select([sock], [], [], 0)[0])

        try:
            if isinstance(body, bytes):
                for i in range(0, len(body), 1 << 20):
                    if answered():
                        break
                    sock.sendall(body[i : i + (1 << 20)])
            else:
                for chunk in body:
                    if answered():
                        break
                    sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                else:
                    sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: read what it said
        response = http.client.HTTPResponse(sock)
        response.begin()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        sock.close()


def check(case: dict[str, Any], status: int, headers: dict[str, str], data: bytes) -> None:
    expect = case["expect"]
    kind = expect["kind"]
    assert status < 500, f"{status}: {data[:500]!r}"
    content_type = headers.get("content-type", "")
    if 400 <= status < 500:
        assert content_type == "application/problem+json", f"{status} {content_type}: {data[:300]!r}"
        problem = json.loads(data)
        assert problem["status"] == status and problem["title"]
    if kind == "problem":
        assert status in expect["status"], f"{status}: {data[:500]!r}"
        codes = [i["code"] for i in problem["issues"]]
        for prefix in expect.get("codes", []):
            assert any(c.startswith(prefix) for c in codes), codes
    elif kind in ("report", "report-valid", "report-any"):
        assert status == 200, data[:500]
        report = json.loads(data)
        if kind == "report-valid":
            assert report["valid"], report["issues"][:5]
        elif kind == "report":
            assert report["valid"] is False
            codes = [i["code"] for i in report["issues"] if i["severity"] in ("fatal", "error")]
            assert any(c.startswith(tuple(expect["codes"])) for c in codes), codes[:20]
    elif kind == "document":
        assert status == 200 and content_type.startswith("application/xml"), data[:500]
        from lxml import etree

        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    else:
        assert kind == "not-5xx", kind


def test_the_corpus_is_big_and_varied() -> None:
    assert len(CASES) >= 50
    assert len({c["name"] for c in CASES}) == len(CASES)
    paths = {c["path"].split("?")[0] for c in CASES}
    assert {"/v1/validate", "/v1/validate/batch", "/v1/orders", "/v1/invoices", "/v1/shop-orders"} <= paths
    assert all(c["expect"].get("kind") for c in CASES)


def params() -> list[Any]:
    """Each case; one with a ``known_issue`` (a defect in code owned elsewhere, named in the case) is
    expected to fail, strictly: once it is fixed the test says so, and the mark must go."""
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["known_issue"])] if "known_issue" in c else []
        out.append(pytest.param(c, id=c["name"], marks=marks))
    return out


@pytest.mark.parametrize("case", params())
def test_hostile_request(server: Server, case: dict[str, Any]) -> None:
    body = body_of(case)
    headers = dict(case.get("headers", {}))
    if "content_type" in case:
        headers["Content-Type"] = case["content_type"]
    if case.get("auth"):
        headers["Authorization"] = f"Basic {server.auth}"
    method = case["method"]
    if method == "GET":
        body = b""
    started = time.monotonic()
    status, answer_headers, data = send(server.api.port, method, case["path"], headers, body)
    elapsed = time.monotonic() - started
    server.timings[case["name"]] = elapsed
    check(case, status, answer_headers, data)
    assert elapsed < server.allowed(elapsed), f"{elapsed:.1f} s"
    # nothing crashed: the server answers, its validation worker is the first one, still ready
    assert server.api.alive()
    status, _, ready = server.api.request("GET", "/readyz")
    assert status == 200, ready
    detail = json.loads(ready)["checks"]["rulesets"]["detail"]
    assert "restarts" not in detail, detail
    assert server.sampler.peak - server.baseline < MEMORY_LIMIT, (
        f"the server grew by {(server.sampler.peak - server.baseline) >> 20} MiB"
    )


@pytest.mark.parametrize("path", ["/v1/orders?profile=bogus", "/v1/nowhere"])
def test_an_early_answer_waits_for_the_body_and_closes_cleanly(server: Server, path: str) -> None:
    """The server can answer before reading the body (a refused query parameter, a missing credential).
    Closing with the body's bytes unread, or receiving them after the close, makes the kernel reset the
    connection, and a reset can destroy an answer the client has not read yet (RFC 9112 §9.6): the
    middleware reads the body first, so the answer follows the body and the connection ends with a FIN."""
    body = json.dumps({"note": "x" * 50_000}).encode()
    method = "POST"
    sock = socket.create_connection(("127.0.0.1", server.api.port), timeout=HANG_S)
    try:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode())
        assert not select.select([sock], [], [], 0.5)[0], "answered before the body was read"
        sock.sendall(body)
        time.sleep(0.2)
        answer = b""
        while chunk := sock.recv(1 << 16):  # a reset here would raise ConnectionResetError
            answer += chunk
    finally:
        sock.close()
    head_bytes, _, data = answer.partition(b"\r\n\r\n")
    status = int(head_bytes.split()[1])
    assert status == (422 if "orders" in path else 404), answer[:300]
    assert b"content-type: application/problem+json" in head_bytes.lower()
    assert json.loads(data)["status"] == status


@pytest.mark.parametrize(
    ("headers", "drained"),
    [
        ([], True),
        ([(b"content-length", b"1048576")], True),
        ([(b"content-length", b"1048577")], False),  # over DRAIN_LIMIT: answered and closed at once
        ([(b"expect", b"100-continue"), (b"content-length", b"10")], False),  # the client waits to be asked
        ([(b"content-length", b"10"), (b"expect", b"100-Continue")], False),
    ],
)
def test_which_unread_bodies_are_drained(headers: list[tuple[bytes, bytes]], drained: bool) -> None:
    assert drainable({"type": "http", "headers": headers}) is drained


@pytest.mark.parametrize(
    "head",
    [
        b"NOT HTTP AT ALL\r\n\r\n",
        b"GET /v1/validate/batch/" + b"x" * 400_000 + b" HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + b"y" * 200_000 + b"\r\nConnection: close\r\n\r\n",
    ],
    ids=["not-http", "url-400kb", "header-200kb"],
)
def test_a_request_the_server_cannot_parse_gets_problem_json(server: Server, head: bytes) -> None:
    """Refused by the HTTP server before the application sees it: still 400 problem+json
    (``app.api.http``), and the server keeps serving."""
    sock = socket.create_connection(("127.0.0.1", server.api.port), timeout=HANG_S)
    answer = b""
    try:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head)
        with contextlib.suppress(ConnectionResetError):  # closed with the rest of the request unread
            while chunk := sock.recv(1 << 16):
                answer += chunk
    finally:
        sock.close()
    head_bytes, _, body = answer.partition(b"\r\n\r\n")
    assert head_bytes.startswith(b"HTTP/1.1 400 "), answer[:300]
    assert b"content-type: application/problem+json" in head_bytes.lower()
    problem = json.loads(body)
    assert problem["status"] == 400 and [i["code"] for i in problem["issues"]] == ["http.malformed"]
    assert server.api.request("GET", "/healthz")[0] == 200
