"""Kill and restart, on PostgreSQL: two API processes and two mail workers against one database, one blob
folder and one SMTP server; a stream of shop orders from clients that retry with their Idempotency-Key
(another API process, after a pause) until they get an answer, while API processes and workers are
killed with SIGKILL at random moments and started again.

Afterwards, from the database, the blob store and the SMTP server's log:

- every order has exactly one order row, one order document and one invoice; invoice numbers run 1…N
  without a gap or a repeat; every document's blob is there and hashes to its name (no half-written row);
- every invoice has exactly one mail row; no Message-ID reached the SMTP server twice (no mail taken
  twice); every mail row ends ``sent`` (and arrived exactly once) or ``unknown`` (a worker died between
  "sending" and the server's answer: not resent by itself; at most one per worker kill);
- every client got a success for its order, and a retry was answered with the first answer.

Default: a stream of 1,000 orders from 8 client threads, sent on a schedule over about 40 s (order n at
n × 40 ms; a client that falls behind sends at once), 6 API kills and 6 worker kills, in turn, spread
over the stream. ``FULL_FAULT_TESTS=1``: 3,000 orders over about 120 s, 12 kills of each. The seed is
printed (``KILL_SEED`` repeats a run).

No wait has a fixed length: a client keeps retrying while any order anywhere is still being answered, and
the mail check waits while the number of mails still queued goes down (``waiting``); either gives up only
after a long stall (``STALL_S``) or a very generous overall cap, so a slow machine makes the test slower,
never red.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import http.client
import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from dbfixtures import PostgresServer, pg_server
from server import ROOT, Api, Process, free_port, worker
from shopform import form as shop_form
from sqlalchemy import create_engine, text
from waiting import Progress, wait_for_progress

__all__ = ["pg_server"]

FULL = os.environ.get("FULL_FAULT_TESTS") == "1"
ORDERS, CLIENTS, KILLS, STREAM_S = (3000, 8, 12, 120.0) if FULL else (1000, 8, 6, 40.0)
SEED = int(os.environ.get("KILL_SEED", str(time.time_ns() % 1_000_000)))
ADMIN_KEY = "kill-test-admin-key-0123456789"
LEASE_S = 3.0
#: No order answered anywhere, or no mail handed over, for this long: something is stuck, not slow.
STALL_S = 300.0
SELLER = json.loads((ROOT / "fixtures" / "accounts" / "demo-no.json").read_text())


class Recorder:
    """An SMTP server's log: every message it accepted, by Message-ID."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        head = content.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
        message_id = next(
            (
                line.split(":", 1)[1].strip()
                for line in head.splitlines()
                if line.lower().startswith("message-id:")
            ),
            "",
        )
        with self.lock:
            self.ids.append(message_id)
        await asyncio.sleep(random.uniform(0, 0.02))  # a window in which a killed worker leaves "unknown"
        return "250 2.0.0 Ok: queued"


@dataclass
class Cluster:
    url: str
    tmp: Path
    smtp_port: int
    apis: list[Api] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    kills: Counter[str] = field(default_factory=Counter)

    def settings(self) -> dict[str, Any]:
        return {
            "database_url": self.url,
            "blob_dir": self.tmp / "blobs",
            "admin_key": ADMIN_KEY,
            "validation_workers": 1,  # as the image runs: Saxon in a spawned process (killed with its API)
            "validation_warm_up": "false",
            "log_level": "WARNING",
            "mail_transport": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": self.smtp_port,
            "smtp_security": "none",
            "smtp_timeout_seconds": 2,
            "mail_lease_seconds": LEASE_S,
            "mail_retry_base_seconds": 0.2,
            "mail_retry_max_seconds": 1,
            "worker_poll_seconds": 0.2,
            # a killed request's key is taken over after 15 s, not 120 (every request here ends in 2 s)
            "idempotency_lock_seconds": 15,
        }

    def start_api(self, i: int, port: int | None = None) -> Api:
        """API process ``i``; a restart takes the port of the one it replaces (clients know two addresses)."""
        return Api(self.tmp / f"api{i}.log", port=port, **self.settings())

    def start_worker(self, i: int) -> Process:
        return worker(self.tmp / f"worker{i}.log", **self.settings())


@pytest.fixture
def cluster(pg_server: PostgresServer, tmp_path: Path) -> Iterator[Cluster]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    url = pg_server.url(pg_server.create_database())
    c = Cluster(url, tmp_path, controller.port)
    c.recorder = recorder  # type: ignore[attr-defined]
    try:
        c.apis = [c.start_api(0), c.start_api(1)]
        for api in c.apis:
            api.wait_ready()
        c.workers = [c.start_worker(0), c.start_worker(1)]
        yield c
    finally:
        for p in [*c.apis, *c.workers]:
            p.stop(10)
        controller.stop()


def form(n: int) -> dict[str, Any]:
    """The shop form, one per order: its own id, e-mail address and price; no fees."""
    f = shop_form(f"KILL-{n:05d}", order_status="completed")
    f["customer"]["email"] = f"kari+{n}@example.no"
    f["products"][0]["price"] = f"{1000 + n}.00"
    del f["fees"]
    return f


def call(port: int, method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=STALL_S)
    try:
        conn.request(
            method,
            path,
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **headers},
        )
        r = conn.getresponse()
        data = r.read()
        return r.status, json.loads(data) if data else None
    finally:
        conn.close()


def setup_account(c: Cluster) -> str:
    port = c.apis[0].port
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    body = {
        "seller": SELLER,
        "customers": {"number_series": {"prefix": "K", "next": 10001}},
        "mail": {
            "sender": "faktura@fjellstua.example.no",
            "subject": "Faktura {invoice_number}",
            "text": "Vedlagt.",
        },
    }
    status, account = call(port, "POST", "/v1/admin/accounts", body, admin)
    assert status == 201, account
    status, out = call(port, "PATCH", f"/v1/admin/accounts/{account['id']}", {"mode": "automatic"}, admin)
    assert status == 200, out
    auth = {
        "Authorization": "Basic "
        + base64.b64encode(f"{account['client_id']}:{account['client_key']}".encode()).decode()
    }
    status, out = call(port, "PUT", "/v1/account/processing", {"create_products": True}, auth)
    assert status == 200, out
    return auth["Authorization"]


# about 4 minutes on a quiet machine (1,000 orders, 2,000 documents and 1,000 PDFs on 2 cores); the cap
# only stops a run that is stuck, which the stall windows report first
@pytest.mark.timeout(4 * 3600)
def test_killed_api_and_worker_processes_leave_one_document_and_one_mail_per_order(cluster: Cluster) -> None:
    rng = random.Random(SEED)
    print(f"seed {SEED}: {ORDERS} orders, {CLIENTS} clients")
    auth = setup_account(cluster)
    ports = [api.port for api in cluster.apis]
    answers: dict[str, list[tuple[int, Any]]] = {}
    done = threading.Event()
    answered = Progress()  # successes of every client: a client gives up only when all are stuck

    def post(n: int, key: str, tries: list[tuple[int, Any]]) -> None:
        """Send the order until an API process answers it with a success (retries keep the key)."""
        while answered.stalled_for() < STALL_S:
            port = ports[(n + len(tries)) % 2]
            try:
                status, body = call(
                    port, "POST", "/v1/shop-orders", form(n), {"Authorization": auth, "Idempotency-Key": key}
                )
            except (OSError, http.client.HTTPException) as exc:
                tries.append((0, str(exc)))  # killed mid-request, or not up yet
                time.sleep(0.3)
                continue
            tries.append((status, body))
            if status in (200, 201):
                answered.step()
                return
            assert status == 409 or status >= 500, (status, body)  # in flight elsewhere, or killed
            time.sleep(0.3)
        raise AssertionError(f"order {n}: no order answered anywhere for {STALL_S:g} s: {tries[-3:]}")

    def client(n: int) -> None:
        key = f"key-{SEED}-{n}"
        tries: list[tuple[int, Any]] = []
        time.sleep(max(0.0, started + 1.0 + n * STREAM_S / ORDERS - time.monotonic()))  # the schedule
        post(n, key, tries)
        post(n, key, tries)  # once more with the same key: the first answer again
        answers[form(n)["order_id"]] = tries

    def chaos() -> None:
        """KILLS kills at random moments, an API process and a worker in turn (which of the two: random).
        A killed API process is started again on its port before the next kill, so one always answers."""
        gap = STREAM_S / (2 * KILLS)  # the kills spread over the stream
        for k in range(2 * KILLS):
            if done.wait(rng.uniform(0.5 * gap, 1.5 * gap)):
                return
            i = rng.randrange(2)
            if k % 2 == 0:
                old = cluster.apis[i]
                old.kill()
                cluster.kills["api"] += 1
                cluster.apis[i] = cluster.start_api(i, port=old.port)
                cluster.apis[i].wait_ready()
            else:
                cluster.workers[i].kill()
                cluster.kills["worker"] += 1
                cluster.workers[i] = cluster.start_worker(i)

    started = time.monotonic()
    killer = threading.Thread(target=chaos)
    killer.start()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(client, range(ORDERS)))
    finally:
        done.set()
        killer.join()
    for api in cluster.apis:
        api.wait_ready()
    print(f"kills: {dict(cluster.kills)}; orders answered after {time.monotonic() - started:.0f} s")
    assert cluster.kills["api"] >= 1 and cluster.kills["worker"] >= 1, (
        "the run was too short to kill both kinds"
    )

    # every client succeeded; its last retry replayed the first success
    for order_id, tries in answers.items():
        ok = [(s, b) for s, b in tries if s in (200, 201)]
        assert len(ok) >= 2, (order_id, tries)
        first, last = ok[0][1], ok[-1][1]
        assert [d["id"] for d in first["documents"]] == [d["id"] for d in last["documents"]], order_id

    engine = create_engine(cluster.url)
    try:
        # the workers finish what is due (mail rows left "sending" by a killed worker turn "unknown"):
        # 1,000 PDFs to render on two shared cores take as long as they take, as long as they move on
        def pending() -> int:
            with engine.connect() as conn:
                return int(
                    conn.execute(
                        text(
                            "SELECT count(*) FROM outbox WHERE kind = 'mail' AND status IN ('queued', 'sending')"
                        )
                    ).scalar_one()
                )

        wait_for_progress(pending, "mails still queued or sending", stall=STALL_S)
        print(f"every mail handed over after {time.monotonic() - started:.0f} s")
        with engine.connect() as conn:
            orders = conn.execute(text("SELECT external_id, state FROM orders")).all()
            docs = conn.execute(
                text(
                    "SELECT d.id, o.external_id, d.kind, d.number, d.sha256 FROM documents d JOIN orders o ON o.id = d.order_id"
                )
            ).all()
            mails = conn.execute(
                text("SELECT document_id, status, message_id FROM outbox WHERE kind = 'mail'")
            ).all()
            orphans = conn.execute(text("SELECT count(*) FROM documents WHERE order_id IS NULL")).scalar_one()
    finally:
        engine.dispose()

    expected = {form(n)["order_id"] for n in range(ORDERS)}
    assert sorted(o.external_id for o in orders) == sorted(expected)  # one row per order, none twice
    assert all(o.state == "invoiced" for o in orders)
    kinds = Counter((d.external_id, d.kind) for d in docs)
    assert all(kinds[(o, "order")] == 1 and kinds[(o, "invoice")] == 1 for o in expected), kinds
    assert len(docs) == 2 * ORDERS and orphans == 0
    numbers = sorted(int(d.number) for d in docs if d.kind == "invoice")
    assert numbers == list(range(1, ORDERS + 1))  # gap-free, none given twice
    for d in docs:
        blob = cluster.tmp / "blobs" / d.sha256[:2] / d.sha256[2:4] / d.sha256
        assert hashlib.sha256(blob.read_bytes()).hexdigest() == d.sha256, d
    invoices = {d.id for d in docs if d.kind == "invoice"}
    assert sorted(m.document_id for m in mails) == sorted(invoices)  # one mail row per invoice
    arrived = Counter(cluster.recorder.ids)  # type: ignore[attr-defined]
    assert max(arrived.values(), default=0) <= 1, [m for m, k in arrived.items() if k > 1]
    statuses = Counter(m.status for m in mails)
    assert set(statuses) <= {"sent", "unknown"}, statuses
    for m in mails:
        if m.status == "sent":
            assert arrived[m.message_id] == 1, m
    assert statuses["unknown"] <= cluster.kills["worker"], statuses
    print(f"mail: {dict(statuses)}; arrived {sum(arrived.values())}")
