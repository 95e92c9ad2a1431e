"""``nordubl webhooks deliver``: post the due webhook rows of the outbox, once or in a loop."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import TextIO


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
    from app.webhooks.delivery import deliver_webhooks

    settings = get_settings()
    url = normalise_database_url(args.database_url) if args.database_url else settings.database_url
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
            )
        if counts:
            print(f"webhooks: {dict(counts)}", file=out, flush=True)
        if args.once or stop.wait(args.interval):
            return 0
