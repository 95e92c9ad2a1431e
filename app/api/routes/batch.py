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

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from app.api import ratelimit, upload
from app.api.batch_schema import BatchJob
from app.api.batch_upload import documents, receive, scan
from app.api.deps import SettingsDep, ValidationDep
from app.api.examples import report_example
from app.api.openapi import headers
from app.api.problems import PROBLEM_JSON
from app.batch import jobs


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.batch_jobs = jobs.Jobs()
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
            **report_example(True, 0, []),
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
    items = documents(upload, settings)
    prefer_async = "respond-async" in request.headers.get("prefer", "").lower()
    if len(names) <= settings.batch_sync_max_files and not prefer_async:
        return JSONResponse(await jobs.answer_now(names, items, upload.close, validation, settings))
    job = await jobs.start(request.app.state.batch_jobs, names, items, upload.close, validation, settings)
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
    return await jobs.poll(request.app.state.batch_jobs, job_id, since, settings)
