"""Batch jobs of ``POST /v1/validate/batch``: validation of an upload's documents, answered at once or
as a job whose results fill in as documents finish.

A job runs in the process that received the upload, which holds at most ``batch_jobs_max`` of them (a
finished one for ``batch_job_ttl_seconds``); its results are also written to the application database
as they finish (:mod:`app.batch.jobstore`), so a poll answered by another API replica reads the same
job. A failed write is tried again with the next one, the last one (the final status) a few times
(:data:`FINAL_WRITE_RETRIES`); a job whose process stopped reads as ``failed`` after
``batch_job_stale_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import anyio.to_thread
from sqlalchemy.orm import Session, sessionmaker

from app import codes
from app.batch import jobstore
from app.batch.loader import Input
from app.batch.result import crashed_result, refused_result
from app.config import Settings
from app.db import get_engine, session_factory
from app.db.base import utcnow
from app.errors import NordublError
from app.validation.budget import Budget, BudgetExceeded
from app.validation.report import Report
from app.validation.service import ValidationService

JobStatus = Literal["running", "done", "failed"]
log = logging.getLogger(__name__)
#: What a job id looks like (``secrets.token_urlsafe(16)``); anything else is unknown without a query.
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
#: Pauses between the attempts at a job's last write (its final status and results), in seconds.
FINAL_WRITE_RETRIES = (0.5, 1.0, 2.0, 4.0, 8.0)


def _factory(database_url: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database_url))  # the engine is the process's (get_engine)


@dataclass
class Job:
    id: str
    names: list[str]
    created: float = field(default_factory=time.monotonic)
    results: list[dict[str, Any]] = field(default_factory=list)
    status: JobStatus = "running"
    finished: float | None = None
    task: asyncio.Task[None] | None = None
    #: Results not written to the database yet (a job answered at once is never written).
    unwritten: list[dict[str, Any]] = field(default_factory=list)
    written_at: float = field(default_factory=time.monotonic)

    def add(self, report: Report) -> None:
        row = report.as_dict()
        name = report.filename or ""
        archive, sep, entry = name.partition("!")
        row.update(index=len(self.results), entry=entry if sep else name, archive=archive if sep else None)
        self.results.append(row)
        self.unwritten.append(row)

    def view(self, since: int = 0) -> dict[str, Any]:
        valid = sum(1 for r in self.results if r["valid"])
        return job_view(
            self.id, self.status, self.names, self.results[since:], since, len(self.results), valid
        )


def job_view(
    job_id: str, status: str, names: list[str], files: list[dict[str, Any]], since: int, done: int, valid: int
) -> dict[str, Any]:
    """A job as ``GET /v1/validate/batch/{id}`` answers it: ``files`` are the results from ``since`` on,
    ``done`` and ``valid`` count all of them."""
    body: dict[str, Any] = {
        "id": job_id,
        "status": status,
        "total": len(names),
        "done": done,
        "valid": valid,
        "invalid": done - valid,
        "since": since,
        "files": files,
    }
    if since == 0:
        body["names"] = names
    return body


async def _write(job: Job, settings: Settings, status: str = "running") -> bool:
    """Write the job's unwritten results and progress to the database (every replica reads them there).
    A failed write keeps them for the next one: the process that runs the job still answers its polls."""
    rows, job.unwritten = job.unwritten, []
    job.written_at = time.monotonic()
    try:
        await anyio.to_thread.run_sync(
            jobstore.append, _factory(settings.database_url), job.id, rows, utcnow(), status
        )
    except Exception:
        job.unwritten = rows + job.unwritten
        log.warning("could not write batch job results", extra={"job": job.id}, exc_info=True)
        return False
    return True


async def _write_final(job: Job, settings: Settings) -> None:
    """The job's last write, tried again a few times: without it the other replicas would never see the
    job finish (it would read as failed once stale) while this one holds every result."""
    for pause in (*FINAL_WRITE_RETRIES, None):
        if await _write(job, settings, job.status):
            return
        if pause is None:
            log.error("batch job results not written to the database", extra={"job": job.id})
            return
        await asyncio.sleep(pause)


class Jobs:
    """Batch jobs in memory, bounded in number and age."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()

    def prune(self, settings: Settings, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for job_id, job in list(self._jobs.items()):
            if job.finished is not None and now - job.finished > settings.batch_job_ttl_seconds:
                del self._jobs[job_id]

    def add(self, names: list[str], settings: Settings) -> Job:
        self.prune(settings)
        while len(self._jobs) >= settings.batch_jobs_max:
            oldest = next((j for j in self._jobs.values() if j.finished is not None), None)
            if oldest is None:
                raise NordublError(
                    title="Too many batch jobs are running",
                    issues=[
                        codes.issue(
                            "batch.busy",
                            params={"running": str(len(self._jobs)), "limit": str(settings.batch_jobs_max)},
                        )
                    ],
                    status=503,
                )
            del self._jobs[oldest.id]
        job = Job(secrets.token_urlsafe(16), names)
        self._jobs[job.id] = job
        return job

    def get(self, job_id: str, settings: Settings) -> Job | None:
        self.prune(settings)
        return self._jobs.get(job_id)

    def discard(self, job_id: str) -> None:
        self._jobs.pop(job_id, None)

    async def close(self) -> None:
        tasks = [j.task for j in self._jobs.values() if j.task is not None and not j.task.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._jobs.clear()


async def run(
    job: Job,
    items: Generator[Input, None, None],
    release: Callable[[], None],
    validation: ValidationService,
    settings: Settings,
) -> None:
    """Validate every document of ``items`` into ``job``; calls ``release`` (which removes the upload's
    files) when done."""
    try:
        while True:
            # decompressing and reading happen in a worker thread, validation on the Saxon thread
            item = await anyio.to_thread.run_sync(next, items, None)
            if item is None:
                break
            if item.issue is not None:
                job.add(refused_result(item.name, item.issue).report)
            else:
                try:
                    report = await validation.validate(item.data or b"", item.name, Budget.of(settings))
                except BudgetExceeded as err:  # this document only: the batch goes on (413/422 per file)
                    issue = replace(err.issues[0], field="files", value=item.name)
                    report = refused_result(item.name, issue).report
                except NordublError as err:  # the engine could not answer (e.g. its worker died)
                    detail = "; ".join(i.message for i in err.issues)
                    report = crashed_result(item.name, variant="refused", detail=detail).report
                job.add(report)
            if job.id and (
                len(job.unwritten) >= jobstore.FLUSH_ROWS
                or time.monotonic() - job.written_at >= jobstore.FLUSH_SECONDS
            ):
                await _write(job, settings)
        job.status = "done"
    except BaseException:
        job.status = "failed"
        raise
    finally:
        job.finished = time.monotonic()
        items.close()
        release()
        if job.id:
            await _write_final(job, settings)


async def answer_now(
    names: list[str],
    items: Generator[Input, None, None],
    release: Callable[[], None],
    validation: ValidationService,
    settings: Settings,
) -> dict[str, Any]:
    """Every document validated before answering: the job's view without an id (nothing is stored)."""
    job = Job("", names)
    await run(job, items, release, validation, settings)
    body = job.view()
    del body["id"]
    return body


def _create(job: Job, settings: Settings) -> None:
    """Record a new job in the database, first deleting the jobs past ``batch_job_ttl_seconds``."""
    factory = _factory(settings.database_url)
    now = utcnow()
    jobstore.prune(factory, now, settings.batch_job_ttl_seconds)
    jobstore.create(factory, job.id, job.names, now)


async def start(
    jobs: Jobs,
    names: list[str],
    items: Generator[Input, None, None],
    release: Callable[[], None],
    validation: ValidationService,
    settings: Settings,
) -> Job:
    """A new job, recorded in the database and running in this process; ``release`` is called at once
    when it cannot be started (503 when ``batch_jobs_max`` jobs are running)."""
    try:
        job = jobs.add(names, settings)
        try:
            await anyio.to_thread.run_sync(_create, job, settings)
        except BaseException:
            jobs.discard(job.id)
            raise
    except BaseException:
        release()
        raise
    job.task = asyncio.create_task(run(job, items, release, validation, settings), name=f"batch-{job.id}")
    return job


async def poll(jobs: Jobs, job_id: str, since: int, settings: Settings) -> dict[str, Any]:
    """A job's view from ``since`` on: this process's, or another replica's read from the database
    (404 when there is none)."""
    job = jobs.get(job_id, settings)
    if job is not None:
        return job.view(since)
    stored = None
    if _JOB_ID.match(job_id):  # another replica's job, read from the database
        stored = await anyio.to_thread.run_sync(
            jobstore.load,
            _factory(settings.database_url),
            job_id,
            since,
            utcnow(),
            settings.batch_job_stale_seconds,
        )
    if stored is None:
        raise NordublError(title="No such batch job", issues=[codes.issue("batch.unknown_job")], status=404)
    return job_view(stored.id, stored.status, stored.names, stored.results, since, stored.done, stored.valid)
