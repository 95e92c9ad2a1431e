"""The batch-job store (``app.batch.jobstore``) on SQLite and PostgreSQL: results in order, counts over
the whole job, a stopped job read as failed, old jobs deleted with their results."""

from __future__ import annotations

from datetime import timedelta

from dbfixtures import Database

from app.batch import jobstore
from app.db.base import utcnow


def rows(start: int, valid: list[bool]) -> list[dict[str, object]]:
    return [{"index": start + i, "valid": v, "file": f"f{start + i}.xml"} for i, v in enumerate(valid)]


def test_results_are_read_back_in_order_with_counts_over_the_whole_job(db: Database) -> None:
    now = utcnow()
    job = f"order-{db.backend}"
    jobstore.create(db.sessions, job, [f"f{i}.xml" for i in range(5)], now)
    jobstore.append(db.sessions, job, rows(0, [True, False]), now)
    jobstore.append(db.sessions, job, rows(2, [True, True, False]), now, status="done")
    every = jobstore.load(db.sessions, job, 0, now, stale_seconds=60)
    assert every is not None and every.status == "done"
    assert [r["index"] for r in every.results] == [0, 1, 2, 3, 4]
    assert every.names == [f"f{i}.xml" for i in range(5)]
    later = jobstore.load(db.sessions, job, 3, now, stale_seconds=60)
    assert later is not None
    assert [r["file"] for r in later.results] == ["f3.xml", "f4.xml"]
    assert (later.done, later.valid) == (5, 3)
    assert jobstore.load(db.sessions, "nothing-here", 0, now, stale_seconds=60) is None


def test_a_running_job_without_progress_is_failed_and_old_jobs_go(db: Database) -> None:
    now = utcnow()
    stopped, live, old = (f"{name}-{db.backend}" for name in ("stopped", "live", "old"))
    jobstore.create(db.sessions, stopped, ["a.xml"], now - timedelta(minutes=20))
    jobstore.create(db.sessions, live, ["a.xml"], now - timedelta(minutes=20))
    jobstore.append(db.sessions, live, rows(0, [True]), now - timedelta(seconds=5))
    jobstore.create(db.sessions, old, ["a.xml"], now - timedelta(hours=3))
    jobstore.append(db.sessions, old, rows(0, [True]), now - timedelta(hours=2), status="done")

    def status(job: str) -> str | None:
        got = jobstore.load(db.sessions, job, 0, now, stale_seconds=600)
        return None if got is None else got.status

    assert (status(stopped), status(live), status(old)) == ("failed", "running", "done")
    assert jobstore.prune(db.sessions, now, ttl_seconds=3600) == 1
    assert (status(stopped), status(live), status(old)) == ("failed", "running", None)
    assert db.scalar("SELECT count(*) FROM batch_results WHERE job_id = :j", j=old) == 0
    # a job that stopped long ago is deleted as well (nobody will write to it again)
    assert jobstore.prune(db.sessions, now + timedelta(minutes=50), ttl_seconds=3600) == 1
    assert status(stopped) is None and status(live) == "running"
