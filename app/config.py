"""Settings: one model, read from the environment (prefix ``NORDUBL_``) with embedded defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PACKAGE_PARENT = Path(__file__).resolve().parent.parent
#: Where relative paths and the embedded defaults (``var/``, ``xsd/standards``, ``fixtures/``) live: the
#: checkout when running from one (its pyproject.toml beside the package), else the working directory,
#: so an installed wheel never writes into site-packages.
PROJECT_ROOT = _PACKAGE_PARENT if (_PACKAGE_PARENT / "pyproject.toml").is_file() else Path.cwd()


def _default_mirror() -> Path:
    return PROJECT_ROOT.parent / "shared" / "standards"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NORDUBL_", extra="ignore")

    #: Where ``nordubl standards install`` puts the official artifacts and where validation reads them.
    standards_dir: Path = Field(default=PROJECT_ROOT / "xsd" / "standards")
    #: A local mirror of the official artifacts (copied from instead of downloading).
    standards_mirror: Path = Field(default_factory=_default_mirror)
    #: Seller profile used when a request names none (a JSON file; the database comes later).
    account_file: Path = Field(default=PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json")
    #: Largest XML document accepted by /v1/validate and the CLI, in bytes.
    max_xml_bytes: int = 64 * 1024 * 1024
    #: Largest JSON form accepted by /v1/orders, in bytes.
    max_form_bytes: int = 2 * 1024 * 1024
    #: Batch validation (``nordubl validate PATH...``): most files one run accepts; the rest are refused.
    batch_max_files: int = 100_000
    #: Most bytes one .zip archive may decompress to, all its entries together (declared and actual).
    zip_max_uncompressed_bytes: int = 2 * 1024 * 1024 * 1024
    #: Highest compression ratio (uncompressed : compressed) of an archive entry and of a whole archive.
    zip_max_ratio: int = 200
    #: Most entries in one .zip archive's central directory; an archive with more is refused whole.
    zip_max_entries: int = 20_000
    #: HTTP batch validation (``POST /v1/validate/batch``): most bytes one request may upload (all its
    #: files together, archives as sent); counted while the body streams in.
    batch_upload_max_bytes: int = 128 * 1024 * 1024
    #: Most documents (files and archive entries together) one HTTP batch may hold.
    batch_http_max_files: int = 1_000
    #: Batches of up to this many documents are answered at once (200); larger ones get a job to poll (202).
    batch_sync_max_files: int = 50
    #: Batch jobs one API process holds in memory at once (running or finished); a finished job is kept
    #: this many seconds, in memory and in the database (where every replica reads it).
    batch_jobs_max: int = 32
    batch_job_ttl_seconds: int = 1800
    #: A running batch job with no result written for this many seconds has lost its process: it reads
    #: as failed.
    batch_job_stale_seconds: int = 600
    #: How long a request holds its Idempotency-Key: a retry within it answers 409, after it (the first
    #: request's process died) the retry takes the key over. Longer than any request runs.
    idempotency_lock_seconds: int = Field(default=120, ge=5)
    #: Anonymous batch validation per client IP address: a token bucket holding ``rate_limit_burst``
    #: requests, refilled at ``rate_limit_per_minute``; above it 429.
    rate_limit_burst: int = 120
    rate_limit_per_minute: int = 120
    #: The bucket is one per client address for /v1/validate, /v1/render and /v1/validate/batch together
    #: (app/api/ratelimit.py). Where the buckets are kept: ``database`` (a table of database_url, shared
    #: by every process and replica on it, so the limit holds with ``--workers N``) or ``memory`` (each
    #: process its own).
    rate_limit_store: Literal["database", "memory"] = "database"
    #: The validation budget of one uploaded document (/v1/validate, /v1/render, each document of
    #: /v1/validate/batch; app/validation/budget.py): its size (413 above), its element count and the
    #: seconds after which no further rule stage starts (422 above). The CLI has none.
    validation_budget_bytes: int = Field(default=32 * 1024 * 1024, ge=1)
    validation_budget_elements: int = Field(default=250_000, ge=1)
    validation_budget_seconds: float = Field(default=20.0, gt=0)
    #: Request bodies of the anonymous upload routes (/v1/validate/batch, /v1/validate, /v1/render;
    #: app/api/upload.py): at most ``upload_idle_timeout_seconds`` between two pieces and the whole body
    #: within ``upload_timeout_seconds``, else 408 and what was spooled is removed; at most
    #: ``upload_max_concurrent`` bodies received at once per process, one more is 503 with Retry-After.
    upload_idle_timeout_seconds: float = Field(default=30.0, gt=0)
    upload_timeout_seconds: float = Field(default=600.0, gt=0)
    upload_max_concurrent: int = Field(default=8, ge=1)
    #: The database: a SQLite file by default (a relative path is read from the project root), PostgreSQL
    #: in production (``postgresql://user:password@host/db``, driven by psycopg 3).
    database_url: str = "sqlite:///var/nordubl.db"
    #: Key of the admin API (``/v1/admin/...``, ``Authorization: Bearer <key>``); unset disables it (503).
    admin_key: SecretStr | None = None
    #: PDF rendering (app/pdf): worker processes kept warm, time cap per render, memory cap (RLIMIT_AS) per
    #: worker, most invoice lines rendered, largest logo accepted. A render takes about 10 ms of CPU per
    #: line and a loaded machine stretches that 2-4 times: 500 lines stay within a third of the time cap
    #: (bench/pdf_lines.py, docs/performance.md); raise both together.
    pdf_workers: int = 1
    pdf_timeout_seconds: float = 30.0
    pdf_memory_mb: int = 1536
    pdf_max_lines: int = 500
    pdf_max_logo_bytes: int = 1024 * 1024
    #: Host and port for ``nordubl serve``.
    host: str = "127.0.0.1"
    port: int = 8000

    # Process model and operations (docs/deploy.md).
    #: Spawned validation processes per API process; 0 validates on one dedicated thread of the API process.
    validation_workers: int = Field(default=0, ge=0)
    #: With validation_workers ≥ 1: that many more processes that compile and run only the OIOUBL rule
    #: sets, while the validation_workers compile only Peppol and EHF (less memory per process); 0: every
    #: worker compiles every rule set.
    validation_oioubl_workers: int = Field(default=0, ge=0)
    #: Compile every official rule set at start-up; ``/readyz`` answers 503 until that is done.
    validation_warm_up: bool = True
    #: Address-space cap (RLIMIT_AS) of each validation worker process, in MiB; 0: no cap.
    validation_memory_mb: int = Field(default=0, ge=0)
    #: The engine that runs the official stylesheets (docs/deploy.md, "Validation engines"): ``saxonche``
    #: (SaxonC-HE 12 in-process, one engine per thread or worker process) or ``jvm`` (Saxon-HE 11.4 on a
    #: Java 17 runtime through JPype: one JVM per process whose compiled rules ``validation_threads``
    #: threads share; validation_workers and validation_oioubl_workers are then not used).
    validation_engine: Literal["saxonche", "jvm"] = "saxonche"
    #: jvm engine: threads validating at once in one API process (they share one JVM and its compiled rules).
    validation_threads: int = Field(default=2, ge=1)
    #: jvm engine: the JVM's heap cap (-Xmx, MiB), garbage collector and thread stack (-Xss, KiB; also the
    #: stack of the validation threads), and the libjvm.so to load (empty: found by JPype, JAVA_HOME first).
    jvm_heap_mb: int = Field(default=1024, ge=64)
    #: jvm engine: the young generation (-Xmn, MiB). Small: a validation's garbage dies young, and a young
    #: generation left to grow held 229 MB of the 825 MB the process had with every rule set compiled
    #: (64: 643 MB, and as fast; docs/performance.md).
    jvm_young_mb: int = Field(default=64, ge=8)
    #: jvm engine: the collector. Parallel: its young collections run on every core; on the official
    #: examples it validated 1.62-1.69x faster than saxonche against 1.47-1.59x with the serial collector
    #: (three runs each, interleaved), at the same memory (632-640 MB against 634-659 MB, 2 threads).
    jvm_gc: Literal["serial", "parallel", "g1"] = "parallel"
    jvm_thread_stack_kb: int = Field(default=4096, ge=256)
    jvm_path: Path | None = None
    #: jvm engine: after the compile, validate the installed official examples of the rule sets compiled
    #: at start-up this many times before ``/readyz`` answers 200, so HotSpot has compiled Saxon's hot
    #: paths to machine code before the first request (docs/performance.md: a cold JVM validates at about
    #: half its warm rate for its first hundreds of documents); 0: no JIT warm-up.
    jvm_jit_warm_up_rounds: int = Field(default=8, ge=0)
    #: Log lines on standard error: ``json`` (one object per line, with the request id) or ``text``.
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Invoice mail (``nordubl worker``; docs/mail.md).
    #: How the worker hands mail over: ``file`` (.eml files in mail_outbox_dir), ``smtp`` or ``ses``.
    mail_transport: Literal["file", "smtp", "ses"] = "file"
    #: Folder of the file transport (a relative path is read from the project root).
    mail_outbox_dir: Path = Field(default=PROJECT_ROOT / "var" / "outbox")
    smtp_host: str = "localhost"
    smtp_port: int = 587
    #: ``starttls`` (submission, port 587), ``ssl`` (implicit TLS, port 465) or ``none`` (loopback relays).
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    #: CA bundle the SMTP server's certificate is checked against (default: the system's).
    smtp_ca_file: Path | None = None
    #: Connect and answer timeout of SMTP and SES calls; keep it well below mail_lease_seconds.
    smtp_timeout_seconds: float = 60.0
    ses_region: str = "eu-west-1"
    #: Another SES endpoint (a VPC endpoint, a test server); default: the region's.
    ses_endpoint_url: str | None = None
    #: How long a worker holds a claimed mail; a mail still "sending" after it becomes "unknown".
    mail_lease_seconds: float = 600.0
    #: Hand-overs of one mail before a temporary failure becomes "failed".
    mail_max_attempts: int = Field(default=8, ge=1)
    #: Backoff after a temporary failure: base × 2^(attempt-1), jittered, at most mail_retry_max_seconds.
    mail_retry_base_seconds: float = Field(default=60.0, ge=0)
    mail_retry_max_seconds: float = Field(default=3600.0, ge=0)
    #: Seconds the worker sleeps when no mail is due.
    worker_poll_seconds: float = Field(default=5.0, gt=0)

    # Document store and order processing (docs/processing.md).
    #: Folder of the blob store (each document's XML, named by its SHA-256); a relative path is read from
    #: the project root. Not used when blob_s3_bucket is set.
    blob_dir: Path = Field(default=PROJECT_ROOT / "var" / "blobs")
    #: S3 bucket of the blob store (boto3; credentials from the environment, e.g. AWS_ACCESS_KEY_ID).
    blob_s3_bucket: str | None = None
    #: Another S3 endpoint (MinIO, a VPC endpoint, a test server); default: AWS's.
    blob_s3_endpoint_url: str | None = None
    #: Key prefix of the blobs in the bucket (e.g. ``nordubl/``).
    blob_s3_prefix: str = ""
    #: Webhooks may be delivered to loopback and private addresses (tests, an on-premises ERP); off by
    #: default, so an account's webhook URL cannot reach the service's own network.
    webhook_allow_private: bool = False
    #: Total time of one webhook post (connect, send and the whole answer); a receiver still answering is
    #: cut off and the attempt fails. Shorter than webhook_lease_seconds.
    webhook_deadline_seconds: float = Field(default=10.0, gt=0)
    #: How long a worker holds a webhook row it posts (renewed every quarter of it while the post runs);
    #: a row still "sending" after it is posted again by another worker.
    webhook_lease_seconds: float = Field(default=120.0, gt=0)

    @model_validator(mode="after")
    def _webhook_deadline_within_lease(self) -> Settings:
        if self.webhook_deadline_seconds >= self.webhook_lease_seconds:
            raise ValueError(
                f"NORDUBL_WEBHOOK_DEADLINE_SECONDS ({self.webhook_deadline_seconds:g}) must be shorter than "
                f"NORDUBL_WEBHOOK_LEASE_SECONDS ({self.webhook_lease_seconds:g}): a webhook post still running "
                "when its lease runs out would be posted again by another worker; lower the deadline or "
                "raise the lease"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, v: str) -> str:
        return normalise_database_url(v)

    @field_validator("blob_dir")
    @classmethod
    def _blob_dir(cls, v: Path) -> Path:
        return v if v.is_absolute() else PROJECT_ROOT / v

    @field_validator("mail_outbox_dir")
    @classmethod
    def _outbox_dir(cls, v: Path) -> Path:
        return v if v.is_absolute() else PROJECT_ROOT / v


def normalise_database_url(url: str) -> str:
    """PostgreSQL URLs get the psycopg 3 driver; a relative SQLite path is read from the project root."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path, _, query = url.removeprefix("sqlite:///").partition("?")
        if path and path != ":memory:" and not Path(path).is_absolute():
            return f"sqlite:///{PROJECT_ROOT / path}" + (f"?{query}" if query else "")
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


async def settings_dependency() -> Settings:
    """:func:`get_settings` as a FastAPI dependency. Async, so a request does not hop to the thread pool and
    back for it (about 50 µs of CPU per hop); tests override this one."""
    return get_settings()
