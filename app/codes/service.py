"""The codes of the HTTP service itself: problem types, credentials, the admin API, idempotency keys,
rate limits, busy uploads and batches, the readiness checks and a failure inside the service.
"""

from __future__ import annotations

from app.codes.code import Code
from app.i18n import NP_

CODES: dict[str, Code] = {
    # GET /problems/{code} (app/api/routes/problems.py): the type URI of a code that is not ours
    "problem.unknown": Code(
        "fatal",
        "code",
        NP_("problem.unknown", "There is no problem type {value}."),
        NP_("problem.unknown", "See /problems for every problem type the service uses."),
    ),
    "admin.disabled": Code(
        "fatal",
        None,
        NP_("admin.disabled", "The admin API is disabled: NORDUBL_ADMIN_KEY is not set."),
        NP_(
            "admin.disabled",
            "Set NORDUBL_ADMIN_KEY to a random secret of at least 16 characters and restart.",
        ),
        variants={
            "weak": (
                NP_(
                    "admin.disabled:weak",
                    "The admin API is disabled: NORDUBL_ADMIN_KEY is a placeholder or too short.",
                ),
                None,
            ),
        },
    ),
    # RFC 9110 §11.6.1: 401 with the credentials the route needs
    "auth.unauthorized": Code(
        "fatal",
        None,
        NP_("auth.unauthorized", "This endpoint needs the account's client id and client key."),
        NP_(
            "auth.unauthorized",
            "Send HTTP Basic credentials: the client id as user name, the client key as password.",
        ),
        variants={
            "wrong": (
                NP_(
                    "auth.unauthorized:wrong",
                    "The client id or the client key is wrong (a rotated key no longer works).",
                ),
                None,
            ),
            "admin": (
                NP_("auth.unauthorized:admin", "The admin API needs the admin key."),
                NP_("auth.unauthorized:admin", "Send Authorization: Bearer <NORDUBL_ADMIN_KEY>."),
            ),
        },
    ),
    "batch.busy": Code(
        "fatal",
        "request",
        NP_("batch.busy", "{running} batch jobs are running; the limit (batch_jobs_max) is {limit}."),
        NP_("batch.busy", "Retry in a minute, or raise NORDUBL_BATCH_JOBS_MAX on the server."),
    ),
    "batch.unknown_job": Code(
        "fatal",
        "job_id",
        NP_(
            "batch.unknown_job",
            "The job does not exist or has expired (finished jobs are kept batch_job_ttl_seconds).",
        ),
        NP_("batch.unknown_job", "Send the files again."),
    ),
    "config.extra_missing": Code(
        "fatal",
        None,
        NP_("config.extra_missing", "{field} asks for {what}, and {module} is not installed."),
        NP_(
            "config.extra_missing",
            "Install it: pip install 'nordubl[{extra}]' (or 'nordubl[all]'), or unset {field}.",
        ),
    ),
    "errorlog.not_found": Code(
        "fatal",
        "id",
        NP_("errorlog.not_found", "This account has no error log entry {entry_id}."),
        NP_("errorlog.not_found", "Check the entry's id (GET /v1/errors lists the account's entries)."),
    ),
    # RFC 9112: uvicorn's own 400, answered as problem+json (app/api/http.py)
    "http.malformed": Code(
        "fatal",
        "request",
        NP_(
            "http.malformed",
            "The request line or a header is malformed, or the request line and headers together are "
            "longer than 16 KiB.",
        ),
        NP_(
            "http.malformed",
            "Send a valid HTTP/1.1 request; keep the URL and headers short and put data in the body.",
        ),
    ),
    "idempotency.key_invalid": Code(
        "fatal",
        "Idempotency-Key",
        NP_("idempotency.key_invalid", "The Idempotency-Key must be 1–{max} visible ASCII characters."),
        NP_(
            "idempotency.key_invalid",
            "Send a unique key per operation, e.g. a UUID, of at most 255 visible ASCII characters.",
        ),
    ),
    "idempotency.mismatch": Code(
        "fatal",
        None,
        NP_(
            "idempotency.mismatch",
            "The Idempotency-Key '{key}' was first used for a different body; this request differs at "
            "{field}.",
        ),
        NP_(
            "idempotency.mismatch",
            "Use a new key for a new request; a retry must repeat the first request exactly.",
        ),
        variants={
            "path": (
                NP_(
                    "idempotency.mismatch:path",
                    "The Idempotency-Key '{key}' was first used for {request}; this request differs at "
                    "{field}.",
                ),
                None,
            ),
        },
    ),
    "idempotency.in_flight": Code(
        "fatal",
        "Idempotency-Key",
        NP_(
            "idempotency.in_flight",
            "The first request with Idempotency-Key '{key}' is still being processed.",
        ),
        NP_("idempotency.in_flight", "Retry a little later with the same key to get its answer."),
    ),
    # a failure inside the service (500, app/api/middleware.py): nothing the caller can fix but retry
    "internal.error": Code(
        "fatal",
        None,
        NP_("internal.error", "The service failed to answer this request."),
        NP_("internal.error", "Retry later; if it persists, report the request id."),
    ),
    # GET /readyz (app/api/routes/ops.py): each failed check, its own words as {detail}
    "ready.database": Code(
        "fatal",
        None,
        NP_("ready.database", "The database does not answer: {detail}"),
        NP_(
            "ready.database",
            "Check NORDUBL_DATABASE_URL and that the database server is up; /readyz retries.",
        ),
    ),
    "ready.blob_store": Code(
        "fatal",
        None,
        NP_("ready.blob_store", "The document store takes no write: {detail}"),
        NP_(
            "ready.blob_store",
            "Check the NORDUBL_BLOB_* settings, the bucket or folder and its permissions; /readyz retries.",
        ),
    ),
    "ready.rulesets": Code(
        "fatal",
        None,
        NP_("ready.rulesets", "The official rule sets are not ready: {detail}"),
        NP_(
            "ready.rulesets",
            "Wait for the rule sets to compile; if it persists, run nordubl standards install and check the "
            "log.",
        ),
    ),
    # RFC 6585 §4: 429 with Retry-After
    "rate.limited": Code(
        "fatal",
        "request",
        NP_(
            "rate.limited",
            "This address has used its {burst} requests to {routes} (together); one more is allowed every "
            "{per} s (the limits are rate_limit_burst and rate_limit_per_minute).",
        ),
        NP_(
            "rate.limited",
            "Retry after {retry} s; validate large numbers of files locally with `nordubl validate`, or raise "
            "NORDUBL_RATE_LIMIT_BURST / NORDUBL_RATE_LIMIT_PER_MINUTE on the server.",
        ),
    ),
    "upload.busy": Code(
        "fatal",
        "body",
        NP_(
            "upload.busy",
            "{limit} uploads are being received by this server process; the limit (upload_max_concurrent) "
            "is {limit}.",
        ),
        NP_(
            "upload.busy",
            "Send the upload again after {retry} s, or raise NORDUBL_UPLOAD_MAX_CONCURRENT on the server.",
        ),
    ),
    "web.not_found": Code(
        "fatal",
        "name",
        NP_("web.not_found", "There is no asset named {asset}."),
        NP_("web.not_found", "Load the page itself (GET /); its assets are named there."),
    ),
}
