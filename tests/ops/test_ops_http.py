"""/healthz, /readyz, /metrics, request ids, JSON logs and the 500 answer, on the real application."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import sqlite3
import string
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apps import ROOT, metric, problem, running_app
from fastapi.testclient import TestClient
from waiting import CAP_S, wait_until

STANDARDS = "peppol-2026.5/examples/billing/base-example.xml"


def log_lines(err: str) -> list[dict[str, Any]]:
    out = []
    for line in err.splitlines():
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Any]]:
    """One application with the start-up warm-up on (single Saxon thread); and its first /readyz answer."""
    mp = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("warm")
    try:
        with running_app(mp, tmp, validation_warm_up=True) as client:
            first = client.get("/readyz")
            yield client, first
    finally:
        mp.undo()


def wait_ready(client: TestClient, timeout: float = CAP_S) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        r = client.get("/readyz")
        if r.status_code == 200 or time.monotonic() > deadline:
            return r
        time.sleep(0.2)


def test_live_at_once_ready_once_the_rule_sets_are_compiled(warm: tuple[TestClient, Any]) -> None:
    client, first = warm
    assert client.get("/healthz").json() == {"status": "ok"}
    # the lifespan returned before the rule sets were compiled: not ready yet, and it says why
    body = problem(first)
    assert first.status_code == 503 and first.headers["retry-after"] == "5"
    assert body["checks"]["rulesets"] == {"ok": False, "detail": "compiling"}
    # (the other checks may time out meanwhile: compiling holds the interpreter lock for up to a second)
    assert "ready.rulesets" in [i["code"] for i in body["issues"]]
    ready = wait_ready(client)
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert ready.json()["checks"]["rulesets"] == {"ok": True, "detail": "compiled"}
    assert metric(client.get("/metrics").text, "nordubl_validation_engine_ready") == 1.0


def test_request_id_in_and_out(warm: tuple[TestClient, Any]) -> None:
    client, _ = warm
    assert client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.1:2"}).headers["x-request-id"] == (
        "edge-7f3a.1:2"
    )
    generated = {client.get("/healthz").headers["x-request-id"] for _ in range(3)}
    assert len(generated) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", g) for g in generated)
    for bad in ("has space", "x" * 129, "semi;colon", "ünïcode"):
        rid = client.get("/healthz", headers={"X-Request-ID": bad.encode()}).headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", rid), bad
    # problem+json answers carry it too
    r = client.post("/v1/orders", content=b"{", headers={"X-Request-ID": "bad-json-1"})
    assert r.status_code == 400 and r.headers["x-request-id"] == "bad-json-1"


def test_json_access_log_carries_the_request_id(
    warm: tuple[TestClient, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    client, _ = warm
    doc = (ROOT / "fixtures" / "expected" / "no-company-single.ehf.xml").read_bytes()
    capsys.readouterr()
    r = client.post("/v1/validate", content=doc, headers={"X-Request-ID": "trace-me-123"})
    assert r.status_code == 200 and r.json()["valid"]
    lines = log_lines(capsys.readouterr().err)
    access = [
        x for x in lines if x.get("logger") == "nordubl.access" and x.get("request_id") == "trace-me-123"
    ]
    assert len(access) == 1, lines
    entry = access[0]
    assert entry["level"] == "info" and entry["status"] == 200 and entry["route"] == "/v1/validate"
    assert (
        entry["method"] == "POST" and entry["duration_ms"] > 0 and entry["message"] == "POST /v1/validate 200"
    )
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", entry["ts"])


def test_metrics_count_requests_documents_and_failed_rules(warm: tuple[TestClient, Any]) -> None:
    client, _ = warm
    before = client.get("/metrics").text
    form = (ROOT / "fixtures" / "forms" / "no-company-single.json").read_bytes()
    doc = (ROOT / "fixtures" / "expected" / "no-company-single.ehf.xml").read_bytes()
    broken = re.sub(rb"(<cbc:PayableAmount[^>]*>)[^<]+", rb"\g<1>1.01", doc, count=1)
    assert client.post("/v1/orders", content=form).status_code == 200
    assert client.post("/v1/orders?profile=peppol", content=form).status_code == 200
    report = client.post("/v1/validate", content=broken).json()
    assert not report["valid"]
    failed = {i["code"] for i in report["issues"] if i["severity"] in ("fatal", "error")}
    assert failed
    client.get("/v1/no-such-thing/12345")
    after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = after.text

    def delta(name: str, **labels: str) -> float:
        return metric(text, name, **labels) - metric(before, name, **labels)

    assert delta("nordubl_http_requests_total", method="POST", route="/v1/orders", status="200") == 2
    assert delta("nordubl_http_request_duration_seconds_count", method="POST", route="/v1/orders") == 2
    assert delta("nordubl_documents_produced_total", route="/v1/orders", profile="ehf") == 1
    assert delta("nordubl_documents_produced_total", route="/v1/orders", profile="peppol") == 1
    assert delta("nordubl_validations_total", ruleset="ehf-order", result="invalid") == 1
    for code in failed:
        assert delta("nordubl_validation_failures_total", rule=code) >= 1, code
    # an unknown path is one series, whatever the path was
    assert delta("nordubl_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert "/v1/no-such-thing" not in text


def test_outbox_depth_and_mail_attempts_are_read_from_the_table(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with running_app(monkeypatch, tmp_path) as client:
        text = client.get("/metrics").text
        assert metric(text, "nordubl_outbox_depth", kind="mail") == 0
        assert client.get("/readyz").status_code == 200  # the database is migrated by now
        # rows as the store and the mail worker leave them (foreign keys off: only the outbox matters here)
        conn = sqlite3.connect(tmp_path / "nordubl.db")
        rows = [
            ("mail", "queued", 0),
            ("mail", "queued", 2),
            ("mail", "sending", 1),
            ("mail", "sent", 1),
            ("mail", "sent", 3),
            ("mail", "failed", 8),
            ("mail", "unknown", 1),
            ("webhook", "queued", 0),
        ]
        with conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            for n, (kind, status, attempts) in enumerate(rows, 1):
                conn.execute(
                    "INSERT INTO outbox (id, account_id, document_id, kind, status, attempts, next_attempt_at, "
                    "created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, '2026-01-01 00:00:00', "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                    (n, n, kind, status, attempts),
                )
        conn.close()
        text = client.get("/metrics").text
    assert metric(text, "nordubl_outbox_depth", kind="mail") == 4  # queued ×2, sending, unknown
    assert metric(text, "nordubl_outbox_depth", kind="webhook") == 1
    assert metric(text, "nordubl_outbox_rows", kind="mail", status="sent") == 2
    assert metric(text, "nordubl_mail_attempts", status="sent") == 4
    assert metric(text, "nordubl_mail_attempts", status="failed") == 8
    assert metric(text, "nordubl_outbox_oldest_waiting_seconds", kind="mail") > 86400


def test_not_ready_without_database_or_blob_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with running_app(
        monkeypatch,
        tmp_path,
        database_url=f"postgresql://nordubl@127.0.0.1:{port}/nordubl",
        blob_dir=not_a_folder / "blobs",
    ) as client:
        capsys.readouterr()
        started = time.monotonic()
        r = client.get("/readyz", headers={"X-Request-ID": "probe-1"})
        assert time.monotonic() - started < 10
        assert client.get("/healthz").status_code == 200  # alive all the same
        metrics = client.get("/metrics")
    body = problem(r)
    assert r.status_code == 503
    assert sorted(i["code"] for i in body["issues"]) == ["ready.blob_store", "ready.database"]
    assert body["checks"]["rulesets"]["ok"]  # compiled on first use: nothing to wait for
    assert "OperationalError" in body["checks"]["database"]["detail"]
    # the failure is logged with the probe's request id; a scrape still answers without its database
    warnings = [x for x in log_lines(capsys.readouterr().err) if x.get("logger") == "app.ops.readiness"]
    assert warnings and all(x["request_id"] == "probe-1" for x in warnings)
    assert metrics.status_code == 200 and "nordubl_outbox_depth" not in metrics.text


def test_an_unhandled_error_answers_500_problem_json_with_the_request_id(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_app(monkeypatch, tmp_path) as client:

        def boom() -> None:
            raise RuntimeError("a bug")

        client.app.add_api_route("/boom", boom)  # type: ignore[attr-defined]
        capsys.readouterr()
        r = client.get("/boom", headers={"X-Request-ID": "bug-42"})
    body = problem(r)
    assert r.status_code == 500 and r.headers["x-request-id"] == "bug-42"
    assert body["issues"][0]["code"] == "internal.error" and "bug-42" in body["detail"]
    assert "a bug" not in r.text  # no internals in the answer
    errors = [x for x in log_lines(capsys.readouterr().err) if x.get("logger") == "nordubl.errors"]
    assert (
        len(errors) == 1 and errors[0]["request_id"] == "bug-42" and "RuntimeError: a bug" in errors[0]["exc"]
    )


def test_pool_mode_crash_answers_503_engine_crashed_and_the_next_request_succeeds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, standards_dir: Path
) -> None:
    from largedocs import big_invoice

    big = big_invoice(standards_dir, 4000)
    small = (standards_dir / STANDARDS).read_bytes()
    with running_app(monkeypatch, tmp_path, validation_workers=1) as client:
        service = client.app.state.validation  # type: ignore[attr-defined]
        pool = service.pool
        assert pool is not None and pool.wait_ready(CAP_S)
        assert client.get("/readyz").json()["checks"]["rulesets"]["detail"].startswith("1/1 workers ready")
        assert client.post("/v1/validate", content=small).json()["valid"]
        before = client.get("/metrics").text
        answers: list[Any] = []
        t = threading.Thread(target=lambda: answers.append(client.post("/v1/validate", content=big)))
        t.start()
        wait_until(lambda: pool.in_flight > 0, "the big document is handed to the worker", poll=0.01)
        time.sleep(0.3)
        victim = pool.pids()[0]
        os.kill(victim, signal.SIGKILL)
        t.join(CAP_S)
        body = problem(answers[0])
        assert answers[0].status_code == 503
        assert [i["code"] for i in body["issues"]] == ["engine.crashed"]
        after_crash = client.post("/v1/validate", content=small)
        assert after_crash.status_code == 200 and after_crash.json()["valid"]
        assert victim not in pool.pids()
        text = client.get("/metrics").text
        assert (
            metric(text, "nordubl_validation_engine_crashes_total")
            - metric(before, "nordubl_validation_engine_crashes_total")
            == 1
        )
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready" and "1 restarts" in ready["checks"]["rulesets"]["detail"]


def series(text: str, name: str) -> set[str]:
    """The label sets of one metric's samples in an exposition."""
    return {line.split(" ", 1)[0] for line in text.splitlines() if line.startswith(name + "{")}


def test_metric_series_stay_bounded_whatever_the_method_and_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 18 (2): a method outside RFC 9110's set is labelled ``other``, a path by its route template,
    so random methods and paths add a handful of series once and none after."""
    rng = random.Random(18)
    standard = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
    token_chars = string.ascii_uppercase + string.digits + "!#$%&'*+-.^_`|~"  # RFC 9110 §5.6.2 tchar

    def hostile_round(n: int) -> None:
        for i in range(n):
            token = "".join(rng.choices(token_chars, k=rng.randint(1, 200)))
            method = rng.choice([token, f"X{i}", "GET", "DELETE"])
            word = "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(1, 200)))
            path = rng.choice(["/healthz", f"/v1/documents/{i}", f"/x{i}/{word}", f"/v1/orders/{word}"])
            client.request(method, path)

    with running_app(monkeypatch, tmp_path) as client:
        before = series(client.get("/metrics").text, "nordubl_http_requests_total")
        hostile_round(300)
        first = client.get("/metrics").text
        hostile_round(300)
        second = client.get("/metrics").text
        templates = set(client.app.openapi()["paths"]) | {"/healthz", "/readyz", "/metrics"}  # type: ignore[attr-defined]
    latency = "nordubl_http_request_duration_seconds_count"
    once = series(first, "nordubl_http_requests_total")
    assert len(once - before) <= 30, sorted(once - before)
    # 300 more requests of new methods and paths: not one new series
    assert series(second, "nordubl_http_requests_total") == once
    assert series(second, latency) == series(first, latency)
    grown = once - before  # (the registry is the process's: earlier tests' series are there too)
    methods = {m for s in grown for m in re.findall(r'method="([^"]*)"', s)}
    assert methods <= standard | {"other"} and "other" in methods, methods
    routes = {re.sub(r":\w+}", "}", r) for s in grown for r in re.findall(r'route="([^"]*)"', s)}
    assert routes <= templates | {"unmatched"}, routes - templates
    assert not re.search(r"/x\d+/", second)  # no raw path became a label
