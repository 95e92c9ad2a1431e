"""100 parallel retries of one order against a real server (uvicorn on loopback), on SQLite and PostgreSQL:
exactly one order document, one invoice, one customer, one invoice number."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import uvicorn
from dbfixtures import ADMIN_KEY, Database
from shopfixtures import CATALOGUE, FEES, SELLER_NO, form, make_app
from waiting import CAP_S

from app.processing.clock import SystemClock

RETRIES = 100


class Server:
    def __init__(self, app: Any) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, lifespan="off", log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + CAP_S
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=CAP_S)

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            data = json.dumps(body).encode() if body is not None else None
            conn.request(
                method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})}
            )
            r = conn.getresponse()
            raw = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, json.loads(raw) if raw else None
        finally:
            conn.close()


@pytest.fixture(scope="module")
def server(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from app.db import dispose_engines

    app, _ = make_app(db, tmp_path_factory.mktemp("blobs"), SystemClock())
    try:
        with Server(app) as srv:
            yield srv
    finally:
        app.state.validation.close()
        dispose_engines()


def test_100_parallel_retries_of_one_order_make_one_document_and_one_customer(
    server: Server, db: Database
) -> None:
    status, _, created = server.request(
        "POST",
        "/v1/admin/accounts",
        {"seller": SELLER_NO, "customers": {"number_series": {"prefix": "K", "next": 500}}},
        {"Authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert status == 201
    auth = {
        "Authorization": "Basic "
        + base64.b64encode(f"{created['client_id']}:{created['client_key']}".encode()).decode()
    }
    assert server.request("PUT", "/v1/catalogue/products", {"products": CATALOGUE}, auth)[0] == 200
    assert server.request("PUT", "/v1/catalogue/fees", {"fees": FEES}, auth)[0] == 200

    body = form("PAR-1", order_status="completed")
    barrier = threading.Barrier(RETRIES, timeout=CAP_S)

    def one(i: int) -> tuple[int, dict[str, str], Any]:
        # half of the retries carry the client's Idempotency-Key, half rely on the order id alone
        headers = dict(auth, **({"Idempotency-Key": "PAR-1-attempt"} if i % 2 else {}))
        barrier.wait()
        return server.request("POST", "/v1/shop-orders", body, headers)

    with ThreadPoolExecutor(max_workers=RETRIES) as pool:
        answers = list(pool.map(one, range(RETRIES)))

    kinds = Counter(
        "first"
        if s == 201 and "idempotent-replayed" not in h
        else "replayed"
        if s in (200, 201) and (h.get("idempotent-replayed") == "true" or b.get("replayed"))
        else "in_flight"
        if s == 409 and b["issues"][0]["code"] == "idempotency.in_flight"
        else f"unexpected {s} {b}"
        for s, h, b in answers
    )
    assert kinds["first"] == 1, kinds
    assert set(kinds) <= {"first", "replayed", "in_flight"}, kinds
    # every answer that carries documents names the same two
    documents = {tuple(d["id"] for d in b["documents"]) for s, _, b in answers if s in (200, 201)}
    assert len(documents) == 1 and len(next(iter(documents))) == 2

    account = created["id"]
    assert db.scalar("SELECT count(*) FROM documents WHERE account_id = :a", a=account) == 2
    assert (
        db.scalar("SELECT count(*) FROM documents WHERE account_id = :a AND kind = 'invoice'", a=account) == 1
    )
    assert db.scalar("SELECT count(*) FROM customers WHERE account_id = :a", a=account) == 1
    assert db.scalar("SELECT next_value FROM customer_number_series WHERE account_id = :a", a=account) == 501
    assert db.scalar("SELECT next_value FROM invoice_number_series WHERE account_id = :a", a=account) == 2
    assert db.scalar("SELECT count(*) FROM orders WHERE account_id = :a", a=account) == 1
