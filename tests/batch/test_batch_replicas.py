"""Batch jobs behind a load balancer: a job taken by one API replica is polled on another (the results
are in the shared database); a job whose process stopped reads as failed; old jobs are deleted."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from apps import problem, running_app
from fastapi.testclient import TestClient
from waiting import CAP_S

from app.batch import jobstore
from app.batch.models import BatchResult
from app.config import get_settings
from app.db import get_engine, session_factory
from app.db.base import utcnow

EXAMPLES = get_settings().standards_dir / "peppol-2026.5" / "examples"
BASE = (EXAMPLES / "billing" / "base-example.xml").read_bytes()
ORDER = (EXAMPLES / "order" / "Order_Example.xml").read_bytes()
BROKEN = b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'><unclosed>"
URL = "/v1/validate/batch"


def upload(client: TestClient, docs: list[tuple[str, bytes]]) -> str:
    files = [("files", (name, data, "application/xml")) for name, data in docs]
    r = client.post(URL, files=files, headers={"Prefer": "respond-async"})
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def wait_done(client: TestClient, job_id: str, timeout: float = CAP_S) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(f"{URL}/{job_id}").json()
        if body["status"] != "running" or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def test_a_job_taken_by_one_replica_is_read_on_another(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = {"database_url": f"sqlite:///{tmp_path / 'shared.db'}", "blob_dir": tmp_path / "blobs"}
    docs = [(f"doc-{n:02d}.xml", [BASE, ORDER, BROKEN][n % 3]) for n in range(9)]
    with (
        running_app(monkeypatch, tmp_path / "a", **shared) as a,
        running_app(monkeypatch, tmp_path / "b", **shared) as b,
    ):
        job_id = upload(a, docs)
        assert b.app.state.batch_jobs.get(job_id, get_settings()) is None  # type: ignore[attr-defined]
        on_b = wait_done(b, job_id)  # b never saw the upload: it reads the database
        on_a = a.get(f"{URL}/{job_id}").json()
        assert on_b["status"] == on_a["status"] == "done"
        assert on_b == on_a
        assert [f["file"] for f in on_b["files"]] == [name for name, _ in docs]
        assert [f["valid"] for f in on_b["files"]] == [n % 3 != 2 for n in range(9)]
        assert (on_b["done"], on_b["valid"], on_b["invalid"]) == (9, 6, 3)
        later = b.get(f"{URL}/{job_id}", params={"since": 7}).json()
        assert [f["index"] for f in later["files"]] == [7, 8] and "names" not in later
        assert (later["done"], later["valid"]) == (9, 6)  # the counts cover the whole job
        assert problem(b.get(f"{URL}/no-such-job"))["issues"][0]["code"] == "batch.unknown_job"


def test_a_job_whose_process_stopped_reads_as_failed_and_old_jobs_are_deleted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    with running_app(monkeypatch, tmp_path, database_url=url, batch_job_stale_seconds=60) as client:
        factory = session_factory(get_engine(url))
        now = utcnow()
        row = {"index": 0, "valid": True, "file": "a.xml"}
        jobstore.create(factory, "stoppedJob", ["a.xml", "b.xml"], now - timedelta(seconds=120))
        jobstore.append(factory, "stoppedJob", [row], now - timedelta(seconds=61))
        jobstore.create(factory, "liveJob", ["a.xml", "b.xml"], now)
        jobstore.append(factory, "liveJob", [row], now)
        stopped = client.get(f"{URL}/stoppedJob").json()
        assert (stopped["status"], stopped["done"], stopped["total"]) == ("failed", 1, 2)
        assert client.get(f"{URL}/liveJob").json()["status"] == "running"

        jobstore.create(factory, "oldJob", ["a.xml"], now - timedelta(hours=2))
        jobstore.append(factory, "oldJob", [row], now - timedelta(hours=1), status="done")
        assert jobstore.prune(factory, now, ttl_seconds=1800) == 1
        assert client.get(f"{URL}/oldJob").status_code == 404
        assert client.get(f"{URL}/liveJob").status_code == 200
        with factory() as session:  # the results went with their job
            left = session.query(BatchResult.job_id).distinct().all()
        assert sorted(r[0] for r in left) == ["liveJob", "stoppedJob"]


@pytest.mark.parametrize("job_id", ["x" * 40, "job%20id", "j%C3%B6b"])
def test_a_job_id_of_another_shape_is_unknown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, job_id: str
) -> None:
    with running_app(monkeypatch, tmp_path) as client:
        r = client.get(f"{URL}/{job_id}")
    assert r.status_code == 404, r.text
    assert json.loads(r.text)["issues"][0]["code"] == "batch.unknown_job"


def test_a_job_id_with_a_nul_is_refused_before_any_lookup(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with running_app(monkeypatch, tmp_path) as client:
        r = client.get(f"{URL}/a%00b")
    assert r.status_code == 400, r.text
    assert [(i["code"], i["field"]) for i in json.loads(r.text)["issues"]] == [
        ("input.unstorable_character", "path.job_id")
    ]


def test_a_failed_write_is_retried_and_the_uploading_replica_still_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The database refuses the first writes of a job: the replica that runs it answers from memory, and
    the rows it could not write go with a later write, so the other replicas end with every result."""
    shared = {"database_url": f"sqlite:///{tmp_path / 'shared.db'}", "blob_dir": tmp_path / "blobs"}
    real_append = jobstore.append
    failures = {"left": 2}

    def flaky(*args: Any, **kwargs: Any) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OSError("database unavailable")
        real_append(*args, **kwargs)

    monkeypatch.setattr(jobstore, "append", flaky)
    docs = [(f"doc-{n:02d}.xml", [BASE, BROKEN][n % 2]) for n in range(6)]
    with (
        running_app(monkeypatch, tmp_path / "a", **shared) as a,
        running_app(monkeypatch, tmp_path / "b", **shared) as b,
    ):
        job_id = upload(a, docs)
        on_a = wait_done(a, job_id)
        assert on_a["status"] == "done" and on_a["done"] == 6
        on_b = wait_done(b, job_id)  # the last write is tried again until it gets through
        assert failures["left"] == 0  # the first writes did fail
        assert on_b == on_a
