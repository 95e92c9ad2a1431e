"""Prometheus metrics, served at ``/metrics`` in the text exposition format.

Counters and histograms live in the process that counts them. Behind ``uvicorn --workers N`` a scrape
reaches one worker at a time, so the server then runs in prometheus_client's multiprocess mode: set
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder shared by the workers (a tmpfs in the container; emptied
at each start) and every scrape answers the sum over all workers.

The outbox gauges are not counted anywhere: each scrape reads them from the outbox table (when the
table exists; a database without it answers none of them), so they are right whichever process or
worker wrote the rows.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.registry import Collector

from app.issues import Issue

if TYPE_CHECKING:
    from datetime import datetime

log = logging.getLogger(__name__)
disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

HTTP_REQUESTS = Counter(
    "nordubl_http_requests",
    "HTTP requests answered, by method, route template and status code",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "nordubl_http_request_duration_seconds",
    "Time from the request's arrival to the last byte of its answer",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
DOCUMENTS = Counter(
    "nordubl_documents_produced",
    "Validated documents answered (responses carrying X-Nordubl-Profile), by route and profile",
    ["route", "profile"],
)
VALIDATIONS = Counter(
    "nordubl_validations",
    "Documents validated with the official rules, by rule set and verdict",
    ["ruleset", "result"],
)
VALIDATION_FAILURES = Counter(
    "nordubl_validation_failures",
    "Fatal and error issues found by validation, by rule id (BR-CO-15, xsd.*, xml.*, ...)",
    ["rule"],
)
ENGINE_CRASHES = Counter(
    "nordubl_validation_engine_crashes",
    "Validation worker processes that died (each replaced the pool)",
)
ENGINE_READY = Gauge(
    "nordubl_validation_engine_ready",
    "1 when this process's validation engine has compiled every rule set",
    multiprocess_mode="livemin",
)

#: Outbox states a row waits in (counted as depth).
WAITING_STATES = ("queued", "sending", "unknown")


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class Verdict(Protocol):
    """What a validation report tells the counters."""

    @property
    def ruleset(self) -> str | None: ...

    @property
    def valid(self) -> bool: ...

    @property
    def issues(self) -> Iterable[Issue]: ...


def record_report(report: Verdict) -> None:
    """Count one validation and its failed rules."""
    VALIDATIONS.labels(report.ruleset or "none", "valid" if report.valid else "invalid").inc()
    record_issues(report.issues)


def record_issues(issues: Iterable[Issue]) -> None:
    for issue in issues:
        if issue.severity in ("fatal", "error"):
            VALIDATION_FAILURES.labels(issue.code).inc()


#: One group of outbox rows: kind, status, row count, sum of attempts, oldest ``created_at`` (aware).
OutboxRow = tuple[str, str, int, int, "datetime | None"]


class OutboxCollector(Collector):
    """Outbox depth and mail attempts, from the ``outbox`` table's rows read at each scrape by
    ``read_rows`` (None when there is no such table, or no database answering)."""

    def __init__(self, read_rows: Callable[[], list[OutboxRow] | None]) -> None:
        self.read_rows = read_rows

    def collect(self) -> Iterator[Metric]:
        rows = self.read_rows()
        if rows is None:
            return
        depth = GaugeMetricFamily(
            "nordubl_outbox_depth", "Outbox rows waiting (queued, sending, unknown), by kind", labels=["kind"]
        )
        by_status = GaugeMetricFamily(
            "nordubl_outbox_rows", "Outbox rows by kind and status", labels=["kind", "status"]
        )
        attempts = GaugeMetricFamily(
            "nordubl_mail_attempts",
            "Hand-overs of mails to the transport so far (the sum of outbox attempts), by status",
            labels=["status"],
        )
        oldest = GaugeMetricFamily(
            "nordubl_outbox_oldest_waiting_seconds",
            "Age of the oldest waiting outbox row, by kind",
            labels=["kind"],
        )
        waiting: dict[str, int] = {}
        ages: dict[str, float] = {}
        now = time.time()
        for kind, status, count, attempt_sum, first in rows:
            by_status.add_metric([kind, status], count)
            if status in WAITING_STATES:
                waiting[kind] = waiting.get(kind, 0) + count
                if first is not None:
                    ages[kind] = max(ages.get(kind, 0.0), now - first.timestamp())
            if kind == "mail":
                attempts.add_metric([status], attempt_sum or 0)
        for kind in ("mail", "webhook"):
            depth.add_metric([kind], waiting.get(kind, 0))
            oldest.add_metric([kind], round(ages.get(kind, 0.0), 3))
        yield depth
        yield by_status
        yield attempts
        yield oldest


def render(outbox_rows: Callable[[], list[OutboxRow] | None]) -> tuple[bytes, str]:
    """The exposition of every metric: this process's (or all workers') counters and the outbox gauges
    (from ``outbox_rows``, called once)."""
    directory = multiprocess_dir()
    if directory:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    outbox = CollectorRegistry()
    outbox.register(OutboxCollector(outbox_rows))
    # text format 0.0.4: what every Prometheus server reads (the names here need no UTF-8 escaping)
    return body + generate_latest(outbox), CONTENT_TYPE_PLAIN_0_0_4


def sweep_dead_processes() -> None:
    """Multiprocess mode: drop the live gauges of worker processes that are gone (a crashed or replaced
    uvicorn worker leaves its files behind; no server hook reports its death)."""
    directory = multiprocess_dir()
    if not directory:
        return
    from pathlib import Path

    from prometheus_client import multiprocess

    for path in Path(directory).glob("gauge_live*_*.db"):
        pid_text = path.stem.rsplit("_", 1)[-1]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]
        except PermissionError:
            pass
