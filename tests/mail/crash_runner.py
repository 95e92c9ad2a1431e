"""The mail worker as a separate process, for the crash test: ``python crash_runner.py URL BLOBS PORT``.

It runs the same loop as ``nordubl worker`` (app.worker.run) over SMTP on loopback, with a short lease. It
prints ``ready`` when it starts handing mails over; the test kills it with SIGKILL whenever it likes.
``--until-done`` stops once no mail is queued or sending (after the leases of killed workers ran out).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import timedelta

from sqlalchemy import text

from app.db import make_engine, session_factory
from app.mail.outbox import RetryPolicy
from app.mail.sender import MailWorker
from app.mail.store import StoreDocumentSource
from app.mail.transports import SmtpTransport
from app.store.blobs import FolderBlobStore
from app.worker import run

PDF = b"%PDF-1.7\n% crash test\n%%EOF\n"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("blobs")
    p.add_argument("port", type=int)
    p.add_argument("--lease", type=float, default=1.0)
    p.add_argument("--until-done", action="store_true")
    args = p.parse_args()
    engine = make_engine(args.url)
    worker = MailWorker(
        session_factory(engine),
        SmtpTransport("127.0.0.1", args.port, security="none", timeout=5),
        StoreDocumentSource(FolderBlobStore(__import__("pathlib").Path(args.blobs))),
        renderer=lambda xml, lang, logo=None: PDF,
        policy=RetryPolicy(max_attempts=5, base_seconds=0.05, max_seconds=0.2),
        lease=timedelta(seconds=args.lease),
    )
    print("ready", flush=True)
    stop = threading.Event()
    if not args.until_done:
        run(worker, once=False, poll_seconds=0.02, stop=stop, out=sys.stdout)
        return 0
    while True:
        worker.drain()
        with engine.connect() as conn:
            left = conn.execute(
                text("SELECT count(*) FROM outbox WHERE kind = 'mail' AND status IN ('queued', 'sending')")
            ).scalar_one()
        if not left:
            return 0
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
