"""POST /v1/validate/batch: many UBL documents (multipart files, or one zip) → one report per document.

How a request is handled:

1. **Rate limit**: a token bucket per client address shared with ``/v1/validate`` and ``/v1/render``
   (``rate_limit_burst``, ``rate_limit_per_minute``; :mod:`app.api.ratelimit`); above it 429
   problem+json with ``Retry-After``.
2. **Upload**, streamed with counters into a private temporary directory (:class:`Upload`): a declared
   ``Content-Length`` above ``batch_upload_max_bytes`` is refused before any byte is read; without one the
   running count refuses as soon as it passes the limit. An XML file above ``max_xml_bytes`` and more files
   than ``batch_http_max_files`` are refused the same way (413). Files are stored under generated names,
   never the names the client sent. The body is read within ``upload_idle_timeout_seconds`` per gap and
   ``upload_timeout_seconds`` in all (else 408, the files removed), in one of ``upload_max_concurrent``
   upload slots of the process (else 503 with ``Retry-After``): :mod:`app.api.upload`.
3. **Scan** (in a worker thread): archives are read by the batch loader (:meth:`app.batch.Loader.iter_zip`:
   streamed entry by entry, never extracted; zip bombs, overlapping entries, traversal and absolute
   names, symbolic links, nested archives, encrypted entries). Any refusal answers 413 (a size limit) or
   422 problem+json with one ``input.*`` issue per refused entry naming the limit and its setting, before
   any document is validated.
4. **Validation**: one document at a time on the service's Saxon thread
   (:class:`app.validation.service.ValidationService`). Up to ``batch_sync_max_files`` documents are
   answered at once (200); larger batches, or a request with ``Prefer: respond-async`` (RFC 7240), get 202,
   a ``Location`` and a job whose results fill in as documents finish: ``GET /v1/validate/batch/{id}``.
   A job runs in the process that received the upload, which holds at most ``batch_jobs_max`` of them
   (a finished one for ``batch_job_ttl_seconds``); its results are also written to the application
   database as they finish (:mod:`app.batch.jobstore`), so a poll answered by another API replica reads
   the same job. A job whose process stopped reads as ``failed`` after ``batch_job_stale_seconds``.

Each result is :meth:`app.validation.report.Report.as_dict` plus ``index`` (0-based, in upload order),
``entry`` (the file's name, or the entry's path inside its archive) and ``archive`` (the archive's name,
or null); ``file`` is the loader's name (``archive.zip!inner/a.xml`` for an entry).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy.orm import Session, sessionmaker

from app import codes
from app.api import leftovers, ratelimit, upload
from app.api.batch_schema import BatchJob
from app.api.deps import SettingsDep, ValidationDep, too_large
from app.api.openapi import headers
from app.api.problems import PROBLEM_JSON
from app.api.upload import upload_body
from app.batch import Input, Loader, jobstore
from app.batch.loader import MAX_NAME
from app.batch.result import crashed_result, refused_result
from app.config import Settings
from app.db import get_engine, session_factory
from app.db.base import utcnow
from app.errors import Issue, NordublError
from app.validation.budget import Budget, BudgetExceeded
from app.validation.report import Report
from app.validation.service import ValidationService

ZIP_MAGIC = b"PK\x03\x04"
ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})
XML_TYPES = frozenset({"application/xml", "text/xml"})
#: Loader refusals that are size limits (413); the others are refused content (422).
SIZE_CODES = frozenset(
    {"input.too_large", "input.too_many_files", "input.zip_too_many_entries", "input.zip_bomb"}
)
#: Most issues one refusal lists (the first ones; ``detail`` says how many there were).
MAX_LISTED = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _refused(status: int, title: str, issues: list[Issue], detail: str | None = None) -> NordublError:
    err = NordublError(title=title, issues=issues, status=status)
    if detail:
        err.title = f"{title} ({detail})"
    return err


# -- upload -----------------------------------------------------------------------------------------
@dataclass
class Part:
    """One uploaded file, stored in the upload's temporary directory under a generated name."""

    name: str
    path: Path
    size: int = 0
    archive: bool = False


class Upload:
    """The files of one request, in a private temporary directory that :meth:`close` removes."""

    def __init__(self) -> None:
        self._dir = leftovers.scratch_dir("batch")  # named after this process: swept at start-up if it dies
        self.root = Path(self._dir.name)
        self.parts: list[Part] = []

    def new_part(self, name: str, archive: bool) -> tuple[Part, IO[bytes]]:
        part = Part(clean_name(name, len(self.parts)), self.root / f"{len(self.parts):06d}.part", 0, archive)
        self.parts.append(part)
        return part, part.path.open("xb")

    def close(self) -> None:
        self._dir.cleanup()


def clean_name(name: str, index: int) -> str:
    """A file name for display only: no control characters, at most MAX_NAME characters."""
    name = _CONTROL.sub("", name).strip()[:MAX_NAME]
    return name or f"file-{index + 1}.xml"


def clean_entry(item: Input, archive: str) -> Input:
    """An archive's input named as an uploaded file is: the entry's part (cut to MAX_NAME by the loader)
    without control characters."""
    prefix = f"{archive}!"
    if not item.name.startswith(prefix):
        return item  # the archive itself (unreadable, too many entries)
    entry = _CONTROL.sub("", item.name[len(prefix) :]).strip()
    return replace(item, name=prefix + (entry or "entry.xml"))


class _Receiver:
    """Feeds the request body to a multipart parser, writing each file part to the :class:`Upload`."""

    def __init__(self, upload: Upload, settings: Settings) -> None:
        self.upload = upload
        self.settings = settings
        self.error: NordublError | None = None
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._type = b""
        self._part: Part | None = None
        self._out: IO[bytes] | None = None
        self._head = b""
        self.ended = False

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._field,
            "on_header_value": self._value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
            "on_part_end": self._end,
            "on_end": self._finished,
        }

    def _finished(self) -> None:
        self.ended = True

    def _begin(self) -> None:
        self._disposition = self._type = b""
        self._part, self._out, self._head = None, None, b""

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        name = self._header_name.lower()
        if name == b"content-disposition":
            self._disposition = self._header_value
        elif name == b"content-type":
            self._type = self._header_value
        self._header_name = self._header_value = b""

    def _headers_done(self) -> None:
        if self.error is not None:
            return
        _kind, options = parse_options_header(self._disposition)
        if b"filename" not in options:
            return  # a plain form field: counted in the body's size, otherwise ignored
        filename = options[b"filename"].decode("utf-8", "replace")
        if not filename:
            return  # an empty file input: browsers send filename="" and no content
        media = parse_options_header(self._type)[0].decode("latin-1").lower()
        if len(self.upload.parts) >= self.settings.batch_http_max_files:
            self.error = too_many_files(len(self.upload.parts) + 1, self.settings)
            return
        archive = filename.lower().endswith(".zip") or media in ZIP_TYPES
        self._part, self._out = self.upload.new_part(filename, archive)

    def _data(self, data: bytes, start: int, end: int) -> None:
        part, out = self._part, self._out
        if part is None or out is None or self.error is not None:
            return
        chunk = data[start:end]
        if len(self._head) < len(ZIP_MAGIC):
            self._head += chunk[: len(ZIP_MAGIC)]
            part.archive = part.archive or self._head.startswith(ZIP_MAGIC)
        part.size += len(chunk)
        limit = self.settings.max_xml_bytes
        if not part.archive and part.size > limit:
            self.error = too_large(part.size, limit, f"file {part.name!r}", "max_xml_bytes")
            return
        out.write(chunk)

    def _end(self) -> None:
        if self._out is not None:
            self._out.close()
        self._part, self._out = None, None

    def close(self) -> None:
        if self._out is not None:
            self._out.close()


async def receive(request: Request, settings: Settings) -> Upload:
    """Stream the body into an :class:`Upload`, refusing it as soon as a limit is passed."""
    limit = settings.batch_upload_max_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared), limit, "upload", "batch_upload_max_bytes")
    media, params = parse_options_header(request.headers.get("content-type", ""))
    kind = media.decode("latin-1").lower()
    upload = Upload()
    try:
        if kind == "multipart/form-data":
            await _receive_multipart(request, settings, upload, params.get(b"boundary"))
        elif kind in ZIP_TYPES or kind in XML_TYPES:
            await _receive_single(request, settings, upload, kind in ZIP_TYPES)
        else:
            found = {"content_type": kind} if kind else {"variant": "missing"}
            raise _refused(415, "Unsupported media type", [codes.issue("input.content_type", params=found)])
    except BaseException:
        upload.close()
        raise
    return upload


async def _receive_multipart(
    request: Request, settings: Settings, upload: Upload, boundary: bytes | None
) -> None:
    if not boundary:
        raise _bad_multipart("The multipart Content-Type has no boundary.")
    receiver = _Receiver(upload, settings)
    try:
        parser = MultipartParser(boundary, receiver.callbacks())
    except Exception as exc:  # python-multipart refuses over-long boundaries
        raise _bad_multipart(str(exc)) from None
    size = 0
    try:
        async with upload_body(request, settings) as body:  # 408 past the time limits, 503 when busy
            async for chunk in body:
                size += len(chunk)
                if size > settings.batch_upload_max_bytes:
                    raise too_large(size, settings.batch_upload_max_bytes, "upload", "batch_upload_max_bytes")
                try:
                    parser.write(chunk)
                except Exception as exc:  # python-multipart's parse errors
                    raise _bad_multipart(str(exc)) from None
                if receiver.error is not None:
                    raise receiver.error
        try:
            parser.finalize()
        except Exception as exc:
            raise _bad_multipart(str(exc)) from None
        if not receiver.ended:
            raise _bad_multipart("the body ends before the closing boundary")
    finally:
        receiver.close()


async def _receive_single(request: Request, settings: Settings, upload: Upload, archive: bool) -> None:
    name = request.headers.get("x-filename") or ("upload.zip" if archive else "upload.xml")
    limit = (
        settings.batch_upload_max_bytes
        if archive
        else min(settings.max_xml_bytes, settings.batch_upload_max_bytes)
    )
    setting = (
        "batch_upload_max_bytes" if archive or limit == settings.batch_upload_max_bytes else "max_xml_bytes"
    )
    async with upload_body(request, settings) as body:  # 408 past the time limits, 503 when busy
        part, out = upload.new_part(name, archive)
        with out:
            async for chunk in body:
                part.size += len(chunk)
                if part.size > limit:
                    raise too_large(part.size, limit, "upload", setting)
                out.write(chunk)


def _bad_multipart(why: str) -> NordublError:
    return _refused(
        400,
        "The upload is not valid multipart/form-data",
        [codes.issue("input.multipart", params={"detail": why})],
    )


def too_many_files(count: int, settings: Settings) -> NordublError:
    limit = settings.batch_http_max_files
    return _refused(
        413,
        "Too many files in one batch",
        [
            codes.issue(
                "input.too_many_files",
                "files",
                params={"variant": "http", "count": str(count), "limit": str(limit)},
            )
        ],
    )


# -- scan and documents -----------------------------------------------------------------------------
def documents(upload: Upload, settings: Settings) -> Generator[Input, None, None]:
    """Every document of the upload, in order: plain files as sent, archives through the batch loader."""
    loader = Loader(settings)
    for part in upload.parts:
        if part.archive:
            with part.path.open("rb") as fh:
                for item in loader.iter_zip(fh, part.name):
                    yield clean_entry(item, part.name)
        else:
            yield replace(loader.read_file(str(part.path)), name=part.name)


def scan(upload: Upload, settings: Settings) -> list[str]:
    """The names of every document the upload holds; raises 413/422 when the loader refuses anything.

    Archives are decompressed here once (streamed, nothing kept) so that every limit is known before
    any document is validated and before the answer is chosen (at once, or a job).
    """
    names: list[str] = []
    refusals: list[Issue] = []
    for item in documents(upload, settings):
        if item.issue is not None:
            refusals.append(replace(item.issue, field="files", value=item.name))
        else:
            names.append(item.name)
        if len(names) > settings.batch_http_max_files:
            raise too_many_files(len(names), settings)
    if refusals:
        status = 413 if any(i.code in SIZE_CODES for i in refusals) else 422
        title = "The upload exceeds a limit" if status == 413 else "The upload holds files that are refused"
        more = (
            f"{len(refusals)} refused, the first {MAX_LISTED} listed" if len(refusals) > MAX_LISTED else None
        )
        raise _refused(status, title, refusals[:MAX_LISTED], more)
    if not names:
        raise _refused(
            422,
            "No document to validate",
            [codes.issue("input.no_documents")],
        )
    return names


# -- jobs -------------------------------------------------------------------------------------------
JobStatus = Literal["running", "done", "failed"]
log = logging.getLogger(__name__)
#: What a job id looks like (``secrets.token_urlsafe(16)``); anything else is unknown without a query.
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def _factory(database_url: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database_url))  # the engine is the process's (get_engine)


#: Pauses between the attempts at a job's last write (its final status and results), in seconds.
FINAL_WRITE_RETRIES = (0.5, 1.0, 2.0, 4.0, 8.0)


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
                raise _refused(
                    503,
                    "Too many batch jobs are running",
                    [
                        codes.issue(
                            "batch.busy",
                            params={"running": str(len(self._jobs)), "limit": str(settings.batch_jobs_max)},
                        )
                    ],
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


async def run(job: Job, upload: Upload, validation: ValidationService, settings: Settings) -> None:
    """Validate every document of the upload into ``job``; removes the upload's files when done."""
    it = documents(upload, settings)
    try:
        while True:
            # decompressing and reading happen in a worker thread, validation on the Saxon thread
            item = await anyio.to_thread.run_sync(next, it, None)
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
        it.close()
        upload.close()
        if job.id:
            await _write_final(job, settings)


def _create(job: Job, settings: Settings) -> None:
    """Record a new job in the database, first deleting the jobs past ``batch_job_ttl_seconds``."""
    factory = _factory(settings.database_url)
    now = utcnow()
    jobstore.prune(factory, now, settings.batch_job_ttl_seconds)
    jobstore.create(factory, job.id, job.names, now)


# -- routes -----------------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.batch_jobs = Jobs()
    try:
        yield
    finally:
        await app.state.batch_jobs.close()


router = APIRouter(tags=["validation"], lifespan=lifespan)

_RESULT_EXAMPLE = {
    "id": "Jx2…",
    "status": "done",
    "total": 2,
    "done": 2,
    "valid": 1,
    "invalid": 1,
    "since": 0,
    "names": ["a.xml", "orders.zip!b.xml"],
    "files": [
        {
            "file": "a.xml",
            "index": 0,
            "entry": "a.xml",
            "archive": None,
            "valid": True,
            "ruleset": "peppol-billing",
            "release": "2026.5",
            "document": "Invoice",
            "counts": {"fatal": 0, "error": 0, "warning": 0},
            "stages": [{"name": "xsd", "status": "passed"}],
            "issues": [],
        }
    ],
}


@router.post(
    "/v1/validate/batch",
    summary="Validate many UBL documents: files, or zip archives of them",
    description=__doc__ or "",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                        },
                    }
                },
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
    responses={
        200: {
            "description": "Every document's report",
            "model": BatchJob,
            "content": {"application/json": {"example": _RESULT_EXAMPLE}},
        },
        202: {
            "description": "A job: poll its Location for the reports as they finish",
            "model": BatchJob,
            "headers": headers("Location"),
        },
        413: {
            "description": "A size limit was passed (problem+json naming the limit)",
            "content": {PROBLEM_JSON: {}},
        },
        422: {
            "description": "Refused archive entries or no documents (problem+json)",
            "content": {PROBLEM_JSON: {}},
        },
        429: {**ratelimit.RESPONSE_429, "content": {PROBLEM_JSON: {}}},
        **upload.RESPONSES,
    },
)
async def validate_batch(request: Request, validation: ValidationDep, settings: SettingsDep) -> JSONResponse:
    await ratelimit.enforce(request, settings)  # 429 with Retry-After (app/api/ratelimit.py)
    upload = await receive(request, settings)
    try:
        names = await anyio.to_thread.run_sync(scan, upload, settings)
    except BaseException:
        upload.close()
        raise
    prefer_async = "respond-async" in request.headers.get("prefer", "").lower()
    if len(names) <= settings.batch_sync_max_files and not prefer_async:
        job = Job("", names)
        await run(job, upload, validation, settings)
        body = job.view()
        del body["id"]
        return JSONResponse(body)
    jobs: Jobs = request.app.state.batch_jobs
    try:
        job = jobs.add(names, settings)
        try:
            await anyio.to_thread.run_sync(_create, job, settings)
        except BaseException:
            jobs.discard(job.id)
            raise
    except BaseException:
        upload.close()
        raise
    job.task = asyncio.create_task(run(job, upload, validation, settings), name=f"batch-{job.id}")
    location = str(request.url_for("batch_job", job_id=job.id))
    return JSONResponse(job.view(), status_code=202, headers={"Location": location})


@router.get(
    "/v1/validate/batch/{job_id}",
    name="batch_job",
    summary="A batch job: its reports so far (from `since` on)",
    response_model=None,  # the answer is built as a dict; BatchJob (below) documents it
    responses={
        200: {"model": BatchJob, "description": "The job and the reports from `since` on"},
        404: {"description": "No such job (unknown or expired)", "content": {PROBLEM_JSON: {}}},
    },
)
async def batch_job(
    request: Request, job_id: str, settings: SettingsDep, since: Annotated[int, Query(ge=0)] = 0
) -> dict[str, Any]:
    jobs: Jobs = request.app.state.batch_jobs
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
        raise _refused(
            404,
            "No such batch job",
            [codes.issue("batch.unknown_job")],
        )
    return job_view(stored.id, stored.status, stored.names, stored.results, since, stored.done, stored.valid)
