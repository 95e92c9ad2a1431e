"""Batch jobs of the HTTP API in the application database, so any API replica can answer a poll.

A job (``POST /v1/validate/batch`` answered 202) runs in the process that received the upload: its files
are in that process's temporary directory. Its results are written here as they finish (a few at a time,
see :data:`FLUSH_SECONDS`), so ``GET /v1/validate/batch/{id}`` answers the same from every replica
behind a load balancer, with no sticky sessions. A job whose process stopped (killed, restarted) stops
making progress: once nothing was written for ``batch_job_stale_seconds`` it reads as ``failed``.
Finished jobs are deleted ``batch_job_ttl_seconds`` after they finished (revision 0005; the tables are in
:mod:`app.batch.models`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.batch.models import BatchJob, BatchResult

#: Results are written at most this long after they finished (and at the end of the job).
FLUSH_SECONDS = 0.5
#: … or as soon as this many are waiting.
FLUSH_ROWS = 200


@dataclass(frozen=True)
class StoredJob:
    id: str
    status: str
    names: list[str]
    #: The results from the ``since`` asked for on (those before it were not read).
    results: list[dict[str, Any]]
    #: All results written so far, and how many of them are valid.
    done: int
    valid: int


def create(factory: sessionmaker[Session], job_id: str, names: list[str], now: datetime) -> None:
    with factory.begin() as session:
        session.add(
            BatchJob(id=job_id, names=json.dumps(names), status="running", created_at=now, updated_at=now)
        )


def append(
    factory: sessionmaker[Session],
    job_id: str,
    rows: list[dict[str, Any]],
    now: datetime,
    status: str = "running",
) -> None:
    """Write finished results (each with its ``index``) and the job's progress, in one transaction."""
    with factory.begin() as session:
        if rows:
            session.add_all(
                BatchResult(job_id=job_id, idx=r["index"], valid=bool(r["valid"]), row=json.dumps(r))
                for r in rows
            )
        values: dict[str, Any] = {"updated_at": now, "status": status}
        if status != "running":
            values["finished_at"] = now
        session.execute(update(BatchJob).where(BatchJob.id == job_id).values(**values))


def load(
    factory: sessionmaker[Session], job_id: str, since: int, now: datetime, stale_seconds: int
) -> StoredJob | None:
    """The job and its results from ``since`` on; a running job without progress for ``stale_seconds``
    reads as failed (its process stopped)."""
    with factory() as session:
        job = session.get(BatchJob, job_id)
        if job is None:
            return None
        rows = session.scalars(
            select(BatchResult.row)
            .where(BatchResult.job_id == job_id, BatchResult.idx >= since)
            .order_by(BatchResult.idx)
        ).all()
        done, valid = session.execute(
            select(func.count(), func.coalesce(func.sum(case((BatchResult.valid, 1), else_=0)), 0)).where(
                BatchResult.job_id == job_id
            )
        ).one()
        status = job.status
        if status == "running" and now - job.updated_at > timedelta(seconds=stale_seconds):
            status = "failed"
        results = [json.loads(r) for r in rows]
        return StoredJob(job.id, status, json.loads(job.names), results, int(done), int(valid))


def prune(factory: sessionmaker[Session], now: datetime, ttl_seconds: int) -> int:
    """Delete jobs finished more than ``ttl_seconds`` ago, and running ones not written for as long
    (their process is gone); their results go with them (ON DELETE CASCADE)."""
    cutoff = now - timedelta(seconds=ttl_seconds)
    with factory.begin() as session:
        old = select(BatchJob.id).where(
            or_(
                BatchJob.finished_at < cutoff, (BatchJob.status == "running") & (BatchJob.updated_at < cutoff)
            )
        )
        ids = list(session.scalars(old))
        if ids:
            session.execute(delete(BatchResult).where(BatchResult.job_id.in_(ids)))
            session.execute(delete(BatchJob).where(BatchJob.id.in_(ids)))
        return len(ids)
