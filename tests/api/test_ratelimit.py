"""The rate limit of /v1/validate, /v1/render and /v1/validate/batch: one bucket per client for the three,
429 problem+json with Retry-After, kept in the database so that processes on it share it."""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import Database, db, pg_server
from fastapi.testclient import TestClient
from ratelimit_hooks import NOT_UBL, serve_requests
from sqlalchemy import text
from starlette.requests import Request
from started import start_app
from waiting import CAP_S

from app.api.ratelimit import DatabaseBuckets, TokenBuckets, client_key
from app.config import Settings
from app.db import dispose_engines, make_engine
from app.db.migrate import upgrade

__all__ = ["db", "pg_server"]  # the database fixtures: a test that takes ``db`` runs on SQLite and PostgreSQL
PROBLEM = "application/problem+json"
XML = {"Content-Type": "application/xml"}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test works on a copy."""
    path = tmp_path_factory.mktemp("ratelimit") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return path


@pytest.fixture()
def app_with(tmp_path: Path, migrated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``make(**settings)``: the application started with these settings, over a fresh SQLite copy."""
    shutil.copyfile(migrated, tmp_path / "nordubl.db")
    with contextlib.ExitStack() as stack:

        def make(**fields: Any) -> TestClient:
            fields.setdefault("database_url", f"sqlite:///{tmp_path / 'nordubl.db'}")
            return start_app(stack, monkeypatch, **fields)

        yield make
    dispose_engines()


def assert_limited(r: Any, burst: int) -> None:
    assert r.status_code == 429, r.text
    assert r.headers["content-type"] == PROBLEM
    assert 1 <= int(r.headers["retry-after"]) <= 60  # RFC 9110 §10.2.3, at one token a minute
    (issue,) = r.json()["issues"]
    assert issue["code"] == "rate.limited" and issue["field"] == "request"
    assert f"its {burst} requests" in issue["message"] and "rate_limit_burst" in issue["message"]
    assert "NORDUBL_RATE_LIMIT_BURST" in issue["hint"] and "nordubl validate" in issue["hint"]


# -- the three routes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("store", ["database", "memory"])
@pytest.mark.parametrize("path", ["/v1/validate", "/v1/render"])
def test_validate_and_render_answer_429_past_the_burst(app_with: Any, store: str, path: str) -> None:
    client = app_with(rate_limit_burst=3, rate_limit_per_minute=1, rate_limit_store=store)
    answers = [client.post(path, content=NOT_UBL, headers=XML) for _ in range(4)]
    assert [r.status_code for r in answers[:3]] == [200 if path == "/v1/validate" else 422] * 3
    assert_limited(answers[3], 3)


def test_the_three_routes_share_one_bucket(app_with: Any) -> None:
    client = app_with(rate_limit_burst=2, rate_limit_per_minute=1)
    assert client.post("/v1/validate", content=NOT_UBL, headers=XML).status_code == 200
    assert client.post("/v1/render", content=NOT_UBL, headers=XML).status_code == 422  # not UBL
    r = client.post("/v1/validate/batch", files=[("files", ("a.xml", NOT_UBL, "application/xml"))])
    assert_limited(r, 2)


def test_batch_answers_429_with_retry_after(app_with: Any) -> None:
    client = app_with(rate_limit_burst=2, rate_limit_per_minute=1, rate_limit_store="memory")
    answers = [
        client.post("/v1/validate/batch", files=[("files", ("a.xml", NOT_UBL, "application/xml"))])
        for _ in range(3)
    ]
    assert [r.status_code for r in answers[:2]] == [200, 200]
    assert_limited(answers[2], 2)


def test_a_database_that_cannot_be_reached_leaves_the_limit_to_the_process(app_with: Any) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = app_with(
        database_url=f"postgresql://nordubl@127.0.0.1:{port}/nowhere",
        rate_limit_burst=2,
        rate_limit_per_minute=1,
    )
    answers = [client.post("/v1/validate", content=NOT_UBL, headers=XML) for _ in range(3)]
    assert [r.status_code for r in answers[:2]] == [200, 200]  # validation stays available
    assert_limited(answers[2], 2)


# -- the buckets --------------------------------------------------------------------------------------
def test_memory_buckets_refill_and_forget_old_clients() -> None:
    b = TokenBuckets(max_clients=2)
    assert [b.take("a", 2, 60, now=0.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
    assert b.take("a", 2, 60, now=1.5) == 0.0  # one token back after a second at 60/min
    b.take("b", 2, 60, now=2.0)
    b.take("c", 2, 60, now=2.0)  # "a" is forgotten: a full bucket again
    assert [b.take("a", 2, 60, now=2.0) for _ in range(2)] == [0.0, 0.0]


def test_database_buckets_refill_and_old_ones_are_deleted(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM rate_buckets"))
    b = DatabaseBuckets(db.engine)
    assert [b.take("a", 2, 60, now=0.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
    assert b.take("a", 2, 60, now=0.5) == pytest.approx(0.5)  # half a token back: half a second to go
    assert b.take("a", 2, 60, now=1.5) == 0.0  # one token back after a second at 60/min
    assert b.take("a", 2, 60, now=1.0) == pytest.approx(0.5)  # a clock behind the stamp refills nothing
    # "a" was last granted at 1.5; at 60/min its 2 tokens are back 2 s later, so by 100 it is deleted
    assert b.take("b", 2, 60, now=100.0) == 0.0
    keys = [row[0] for row in db.rows("SELECT key FROM rate_buckets ORDER BY key")]
    assert keys == ["b"]
    assert [b.take("a", 2, 60, now=100.0) for _ in range(2)] == [0.0, 0.0]  # full again


@pytest.mark.parametrize(
    ("peer", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::/64"),  # the same /64: the same bucket
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # RFC 4291 §2.5.5.2
        ("testclient", "testclient"),
    ],
)
def test_the_bucket_is_per_ipv4_address_and_ipv6_64(peer: str, key: str) -> None:
    request = Request({"type": "http", "client": (peer, 40000), "headers": [], "method": "POST"})
    assert client_key(request) == key


# -- two processes over one database ------------------------------------------------------------------
def test_two_processes_together_admit_only_the_burst(db: Database, tmp_path: Path) -> None:
    """Two API processes, each with its own engine, four threads each, 40 requests at once: the bucket
    in the database admits exactly ``burst`` of them (the refill is off, so no token comes back)."""
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM rate_buckets"))
    burst = 7
    fields = {
        "database_url": db.url,
        "rate_limit_burst": burst,
        "rate_limit_per_minute": 0,
        "validation_warm_up": False,
        "blob_dir": str(tmp_path / "blobs"),
    }
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    out = ctx.Queue()
    procs = [ctx.Process(target=serve_requests, args=(fields, start, 20, 4, out)) for _ in range(2)]
    for p in procs:
        p.start()
    try:
        statuses = [code for _ in procs for code in out.get(timeout=CAP_S)]
    finally:
        for p in procs:
            p.join(CAP_S)
    assert all(p.exitcode == 0 for p in procs)
    assert len(statuses) == 40
    assert statuses.count(200) == burst and statuses.count(429) == 40 - burst, statuses
    (tokens,) = db.rows("SELECT tokens FROM rate_buckets WHERE key = 'testclient'")[0]
    assert tokens == pytest.approx(0.0)


def test_an_engine_per_app_over_one_sqlite_file_shares_the_bucket(tmp_path: Path, migrated: Path) -> None:
    """The same with two engines in one process (one per app instance) over one SQLite file."""
    shutil.copyfile(migrated, tmp_path / "shared.db")
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engines = [make_engine(url), make_engine(url)]
    try:
        stores = [DatabaseBuckets(e) for e in engines]
        granted = [stores[i % 2].take("k", 5, 0) for i in range(12)]
        assert granted.count(0.0) == 5 and granted[:5] == [0.0] * 5
    finally:
        for e in engines:
            e.dispose()


def test_settings_default_to_the_database_store() -> None:
    assert Settings().rate_limit_store == "database"
