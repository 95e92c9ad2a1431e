"""``nordubl worker``: sends the invoice mail waiting in the outbox (see docs/mail.md).

One process handles one mail at a time; run several for more throughput (they never take the same mail).
SIGTERM or SIGINT stops it after the mail in hand. ``--once`` handles every mail now due and exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import Counter
from datetime import timedelta
from types import FrameType
from typing import TextIO

from app.config import Settings
from app.db import get_engine, session_factory
from app.mail.documents import DocumentSource
from app.mail.outbox import RetryPolicy
from app.mail.sender import MailWorker
from app.mail.transports import Transport, make_transport

log = logging.getLogger("nordubl.worker")


def default_source(settings: Settings) -> DocumentSource:
    from app.mail.store import StoreDocumentSource
    from app.store.blobs import get_blob_store

    return StoreDocumentSource(get_blob_store(settings))


def build_worker(
    settings: Settings,
    transport: Transport | str | None = None,
    source: DocumentSource | None = None,
) -> MailWorker:
    if transport is None or isinstance(transport, str):
        transport = make_transport(settings, transport)
    return MailWorker(
        session_factory(get_engine(settings.database_url)),
        transport,
        source or default_source(settings),
        policy=RetryPolicy(
            max_attempts=settings.mail_max_attempts,
            base_seconds=settings.mail_retry_base_seconds,
            max_seconds=settings.mail_retry_max_seconds,
        ),
        lease=timedelta(seconds=settings.mail_lease_seconds),
    )


def run(
    worker: MailWorker, *, once: bool, poll_seconds: float, stop: threading.Event, out: TextIO
) -> Counter[str]:
    total: Counter[str] = Counter()
    while not stop.is_set():
        try:
            counts = worker.drain(stop)
        except Exception:  # the database is away, say: keep the process, try again after the pause
            if once:
                raise
            log.exception("mail worker: round failed; trying again in %s s", poll_seconds)
            stop.wait(poll_seconds)
            continue
        total.update(counts)
        if counts:
            log.info("mail: %s", dict(counts))
        if once:
            break
        stop.wait(poll_seconds)
    summary = ", ".join(
        f"{k} {total[k]}" for k in ("sent", "queued", "failed", "unknown", "lost") if total[k]
    )
    print(f"worker {worker.owner}: {summary or 'nothing to send'}", file=out)
    return total


def main(settings: Settings, *, once: bool, transport: str | None, out: TextIO) -> int:
    from app.ops.logs import configure_logging

    configure_logging(settings.log_format, settings.log_level)  # the API's JSON lines, one logger for all
    worker = build_worker(settings, transport)
    log.info(
        "mail worker %s: sending the outbox's invoice mail through %s, %s",
        worker.owner,
        type(worker.transport).__name__,
        "once, then exiting" if once else f"looking for due mail every {settings.worker_poll_seconds:g} s",
    )
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        log.info("signal %s: stopping after the mail in hand", signum)
        stop.set()

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        run(worker, once=once, poll_seconds=settings.worker_poll_seconds, stop=stop, out=out)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0
