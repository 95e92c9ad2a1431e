"""One account's burst of reads stalls nobody, on SQLite and on PostgreSQL: a real uvicorn process on
loopback, two accounts, 100 parallel requests from account A to every authenticated GET route of the API
(read from the server's own OpenAPI document, so a new GET route is covered without a change here), while
account B sends shop orders and lists its documents.

- No answer is a 5xx: every one of A's requests answers 200 (no ``database is locked``, no pool timeout).
- B waits no longer than queueing explains: each of B's requests answers within
  ``FACTOR × (CONCURRENCY × a + b)``: B queued behind every one of A's requests in flight, then served,
  with a generous factor. ``a`` is the mean single-request latency of A's routes, ``b`` that of B's own
  request, both measured on this machine in this run, on the idle server before and after the burst
  (the longer of the two: the machine may have got busier meanwhile).
"""

from __future__ import annotations

import base64
import json
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import PostgresServer, pg_server
from server import ROOT, Api
from shopform import form as shop_form

__all__ = ["pg_server"]

CONCURRENCY = 100
#: How much slower than "B queued behind all of A's requests in flight" B may be: the load of a shared
#: 2-core machine, and the test's own 100 client threads on the same cores.
FACTOR = 5.0
#: The burst is stopped (and the test fails) once it took this many times as long as serving its requests
#: one after another on the idle server: the old stall answered nothing for minutes.
HANG_FACTOR = 20.0
SAMPLES = 3
ADMIN_KEY = "auth-concurrency-admin-key-0123456789"
SELLER = json.loads((ROOT / "fixtures" / "accounts" / "demo-no.json").read_text())


def call(
    api: Api, method: str, path: str, auth: str | None = None, body: Any = None, key: str | None = None
) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one request on a connection of its own."""
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = auth
    if key:
        headers["Idempotency-Key"] = key
    started = time.monotonic()
    conn = api.connection(timeout=300)
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body).encode(), headers=headers)
        r = conn.getresponse()
        data = r.read()
        return r.status, data, time.monotonic() - started
    finally:
        conn.close()


def json_of(api: Api, method: str, path: str, auth: str | None = None, body: Any = None) -> Any:
    status, data, _ = call(api, method, path, auth, body)
    assert 200 <= status < 300, (method, path, status, data[:500])
    return json.loads(data)


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("pg_server")
        url = server.url(server.create_database())
    else:
        url = f"sqlite:///{tmp_path / 'nordubl.db'}"
    api = Api(
        tmp_path / "api.log",
        database_url=url,
        blob_dir=tmp_path / "blobs",
        admin_key=ADMIN_KEY,
        validation_workers=1,  # as the image runs: Saxon in a spawned process, the GIL stays free
        validation_warm_up="false",
        log_level="WARNING",
    )
    try:
        api.wait_ready()
        yield api
    finally:
        api.stop(10)


def new_account(api: Api) -> str:
    """An account in automatic mode that sends invoice mail and creates unknown products; its Basic auth."""
    admin = f"Bearer {ADMIN_KEY}"
    body = {
        "seller": SELLER,
        "customers": {"number_series": {"prefix": "K", "next": 10001}},
        "mail": {
            "sender": "faktura@fjellstua.example.no",
            "subject": "Faktura {invoice_number}",
            "text": "Vedlagt.",
        },
    }
    account = json_of(api, "POST", "/v1/admin/accounts", admin, body)
    json_of(api, "PATCH", f"/v1/admin/accounts/{account['id']}", admin, {"mode": "automatic"})
    auth = "Basic " + base64.b64encode(f"{account['client_id']}:{account['client_key']}".encode()).decode()
    json_of(api, "PUT", "/v1/account/processing", auth, {"create_products": True})
    return auth


def order_form(order_id: str) -> dict[str, Any]:
    f = shop_form(order_id, order_status="completed")
    del f["fees"]  # no fee mappings needed
    return f


def authenticated_gets(api: Api, values: dict[str, str]) -> list[str]:
    """Every GET path of the server's OpenAPI document that takes the client credentials, its path
    parameters filled in from ``values``."""
    spec = json_of(api, "GET", "/openapi.json")
    paths = []
    for template, operations in spec["paths"].items():
        get = operations.get("get")
        if get is None or not any("clientCredentials" in s for s in get.get("security", [])):
            continue
        params = get.get("parameters", [])
        required_query = [p["name"] for p in params if p["in"] == "query" and p.get("required")]
        missing = [p["name"] for p in params if p["in"] == "path" and p["name"] not in values]
        assert not missing and not required_query, (
            f"GET {template}: give this test a value for {missing + required_query}"
        )
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        paths.append(path)
    return paths


def single_latency(api: Api, method: str, path: str, auth: str, body: Any = None) -> float:
    """The median of SAMPLES requests on the idle server, after one to warm up."""
    times = []
    for _ in range(SAMPLES + 1):
        status, data, seconds = call(api, method, path, auth, body)
        assert status == 200, (path, status, data[:500])
        times.append(seconds)
    return statistics.median(times[1:])


@pytest.mark.timeout(1800)  # about 20–50 s per database here; the burst's own cap comes first
def test_one_accounts_parallel_reads_stall_no_other_account(api: Api) -> None:
    a, b = new_account(api), new_account(api)
    status, data, _ = call(api, "POST", "/v1/shop-orders", a, order_form("A-1"))
    assert status == 201, data[:1000]
    first = json.loads(data)
    invoice = next(d for d in first["documents"] if d["kind"] == "invoice")
    values = {
        "customer_id": str(first["customer"]["id"]),
        "document_id": str(invoice["id"]),
        "external_id": "A-1",
    }
    paths = authenticated_gets(api, values)
    assert "/v1/account" in paths and "/v1/customers" in paths and len(paths) >= 15, paths

    def latencies(tag: str) -> tuple[float, dict[str, float]]:
        """Single-request latencies on the idle server (the first request of each also renders,
        compiles …): A's mean over its routes, and B's own requests."""
        a_mean = statistics.mean(single_latency(api, "GET", p, a) for p in paths)
        orders = []
        for n in range(SAMPLES + 1):
            status, data, seconds = call(api, "POST", "/v1/shop-orders", b, order_form(f"B-{tag}-{n}"))
            assert status == 201, data[:1000]
            orders.append(seconds)
        b_own = {
            "shop order": statistics.median(orders[1:]),
            "document list": single_latency(api, "GET", "/v1/documents?limit=20", b),
        }
        print(
            f"{len(paths)} routes, {tag}: A {a_mean * 1000:.1f} ms, "
            + ", ".join(f"B's {k} {v * 1000:.1f} ms" for k, v in b_own.items())
        )
        return a_mean, b_own

    a_single, b_single = latencies("before")

    # a guard against a hang without a 5xx, not a measure: the whole burst served one request after
    # another, HANG_FACTOR times over; past it, stop and fail
    burst_cap = HANG_FACTOR * (
        CONCURRENCY * len(paths) * a_single + CONCURRENCY * a_single + sum(b_single.values())
    )
    start = threading.Barrier(CONCURRENCY + 1)
    a_done = threading.Event()
    abort = threading.Event()  # a 5xx or the cap: stop sending, the assertions below say what happened
    a_results: list[tuple[str, int, bytes, float]] = []
    b_results: list[tuple[str, int, bytes, float]] = []
    failures: list[BaseException] = []

    def a_client(i: int) -> None:
        order = random.Random(i).sample(paths, len(paths))
        start.wait()
        try:
            for path in order:
                if abort.is_set() or time.monotonic() > started + burst_cap:
                    abort.set()
                    return
                status, data, seconds = call(api, "GET", path, a)
                a_results.append((path, status, data[:300], seconds))
                if status >= 500:
                    abort.set()
        except BaseException as exc:  # a connection that broke is a failure too
            failures.append(exc)

    def b_client() -> None:
        start.wait()
        n = 0
        try:
            while (not a_done.is_set() or n == 0) and not abort.is_set():
                n += 1
                status, data, seconds = call(
                    api, "POST", "/v1/shop-orders", b, order_form(f"B-{n}"), key=f"b-{n}"
                )
                b_results.append(("shop order", status, data[:300], seconds))
                status, data, seconds = call(api, "GET", "/v1/documents?limit=20", b)
                b_results.append(("document list", status, data[:300], seconds))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=a_client, args=(i,)) for i in range(CONCURRENCY)]
    b_thread = threading.Thread(target=b_client)
    started = time.monotonic()
    for t in [*threads, b_thread]:
        t.start()
    for t in threads:
        t.join()
    a_done.set()
    b_thread.join()
    elapsed = time.monotonic() - started

    assert not failures, failures[:3]
    statuses = Counter((path, status) for path, status, _, _ in a_results)
    slowest = max(seconds for *_, seconds in a_results)
    b_slowest = {k: max((t for w, _, _, t in b_results if w == k), default=0.0) for k in b_single}
    print(
        f"A: {len(a_results)} requests in {elapsed:.1f} s, slowest {slowest:.1f} s; "
        f"B: {len(b_results)} requests, " + ", ".join(f"{k} slowest {b_slowest[k]:.2f} s" for k in b_single)
    )
    bad = [(p, s, d) for p, s, d, _ in a_results if s != 200]
    assert not bad, (
        f"{len(bad)} of A's {len(a_results)} requests did not answer 200: "
        f"{sorted((k, v) for k, v in statuses.items() if k[1] != 200)}; first: {bad[:3]}"
    )
    assert len(a_results) == CONCURRENCY * len(paths), f"the burst ran past {burst_cap:.0f} s"
    b_bad = [r for r in b_results if r[1] not in (200, 201)]
    assert not b_bad, b_bad[:3]

    # measured again after the burst, idle: the longer of the two, in case the machine got busier
    # meanwhile (not the burst's own time per request, which a stall would inflate as well)
    a_after, b_after = latencies("after")
    service = max(a_single, a_after)
    # B queued behind every one of A's requests in flight, then served
    bound = {k: FACTOR * (CONCURRENCY * service + max(v, b_after[k])) for k, v in b_single.items()}
    print("B's bounds: " + ", ".join(f"{k} {v:.1f} s" for k, v in bound.items()))
    late = [(what, round(seconds, 2)) for what, _, _, seconds in b_results if seconds > bound[what]]
    assert not late, f"B waited past what queueing behind {CONCURRENCY} requests explains {bound}: {late}"
    assert "database is locked" not in api.log()
