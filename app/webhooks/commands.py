"""``nordubl webhooks deliver``: post the due webhook rows of the outbox, once or in a loop."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections import Counter
from typing import TextIO

from pydantic import ValidationError

#: Exit code of a refused configuration (the CLI's usage error).
EXIT_CONFIG = 2

log = logging.getLogger("nordubl.webhooks")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["deliver"])
    parser.add_argument("--once", action="store_true", help="post what is due now and exit")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds (default: 5)")
    parser.add_argument("--database-url", help="default: NORDUBL_DATABASE_URL")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from app.config import get_settings, normalise_database_url
    from app.db import get_engine, session_factory
    from app.processing.clock import SYSTEM_CLOCK
    from app.store.blobs import get_blob_store
    from app.webhooks.delivery import RetryPolicy, deliver_webhooks

    try:
        settings = get_settings()
        policy = RetryPolicy.from_settings(settings)
    except (ValidationError, ValueError) as exc:
        # a misconfiguration is refused before any row is leased, with the settings' own words
        errors: list[tuple[str, str]] = (
            [(".".join(map(str, e["loc"])), str(e["msg"])) for e in exc.errors()]
            if isinstance(exc, ValidationError)
            else [("", str(exc))]
        )
        for where, message in errors:
            name = f"NORDUBL_{where.upper()}: " if where else ""
            reason = message.removeprefix("Value error, ")
            print(f"nordubl webhooks: refused configuration: {name}{reason}", file=sys.stderr)
        return EXIT_CONFIG
    url = normalise_database_url(args.database_url) if args.database_url else settings.database_url
    from app.ops.logs import configure_logging

    configure_logging(settings.log_format, settings.log_level)  # the API's JSON lines
    log.info(
        "webhook deliverer: posting the outbox's due webhook events, %s (deadline %g s, lease %g s)",
        "once, then exiting" if args.once else f"looking for due events every {args.interval:g} s",
        policy.deadline_seconds,
        policy.lease_seconds,
    )
    total: Counter[str] = Counter()
    stop = threading.Event()
    if not args.once:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    sessions = session_factory(get_engine(url))
    while True:
        with sessions() as session:
            counts = deliver_webhooks(
                session,
                SYSTEM_CLOCK.now(),
                blobs=get_blob_store(settings),
                allow_private=settings.webhook_allow_private,
                policy=policy,
            )
        total.update(counts)
        if counts:
            log.info("webhooks: %s", dict(counts))
        if args.once or stop.wait(args.interval):
            done = ", ".join(f"{k} {n}" for k, n in sorted(total.items()) if n)
            print(f"webhooks: {done or 'nothing due'}", file=out, flush=True)
            return 0
