"""Crash test: the worker process is killed with SIGKILL at random moments while it sends invoices.

Each run queues NORDUBL_CRASH_INVOICES invoices (default 50), starts a worker process (the loop of
``nordubl worker``, tests/mail/crash_runner.py) and kills it after a random delay; the next run restarts
it. After NORDUBL_CRASH_RUNS runs (default 10) one last worker runs until nothing is queued or sending.
The SMTP server records every Message-ID it took. Then: no Message-ID arrived twice; every mail is sent
(and arrived), failed or unknown; a mail that did not arrive is unknown or failed; "unknown" comes only
from a kill between "sending" and "sent" (its hand-over has no recorded answer), at most one per kill.
The full run: NORDUBL_CRASH_RUNS=30 NORDUBL_CRASH_INVOICES=200.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO

import pytest
from dbfixtures import Database
from mailfixtures import ROOT, Recorder, enqueue, mail_account, start_smtp
from waiting import CAP_S, wait_for_progress

from app.store.blobs import FolderBlobStore

RUNS = int(os.environ.get("NORDUBL_CRASH_RUNS", "10"))
INVOICES = int(os.environ.get("NORDUBL_CRASH_INVOICES", "50"))
SEED = int(os.environ.get("NORDUBL_CRASH_SEED", str(time.time_ns() % 1_000_000)))
RUNNER = Path(__file__).with_name("crash_runner.py")
LEASE = 1.0


def _start(url: str, blobs: Path, port: int, log: IO[str], *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(RUNNER), url, str(blobs), str(port), "--lease", str(LEASE), *extra],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.slow
@pytest.mark.timeout(4 * 3600)  # the waits inside stop a stuck run first (no progress for 300 s)
def test_killed_workers_never_send_a_mail_twice(
    mail_db: Database, blobs: FolderBlobStore, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    recorder = Recorder(delay=(0.0, 0.004))
    controller = start_smtp(recorder)
    log_path = tmp_path / "workers.log"
    account = mail_account(mail_db)
    ids: list[int] = []
    kills = 0
    with log_path.open("a") as log:
        try:
            for _ in range(RUNS):
                ids += enqueue(mail_db, blobs, account, count=INVOICES)
                worker = _start(mail_db.url, blobs.root, controller.port, log)
                assert worker.stdout is not None
                with worker.stdout:
                    assert worker.stdout.readline().strip() == "ready", log_path.read_text()[-3000:]
                    time.sleep(rng.uniform(0.0, 0.012 * INVOICES))  # anywhere in the run, or just after it
                    worker.kill()  # SIGKILL: no clean-up of any kind
                    worker.wait(CAP_S)
                kills += 1
            last = _start(mail_db.url, blobs.root, controller.port, log, "--until-done")
            assert last.stdout is not None
            with last.stdout:
                # as long as it takes while mails keep leaving the queue (a loaded machine is slower);
                # the wait ends when the worker exits, whose exit code is checked below
                def left() -> int:
                    if last.poll() is not None:
                        return 0
                    busy = mail_db.scalar(
                        "SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending') AND id IN "
                        f"({', '.join(map(str, ids))})"
                    )
                    return int(busy) + 1

                wait_for_progress(left, "mails still queued or sending, the last worker running")
                assert last.wait(CAP_S) == 0, log_path.read_text()[-3000:]
        finally:
            controller.stop()

    received = Counter(recorder.message_ids())
    mine = set(ids)
    rows = {r.id: r for r in mail_db.rows("SELECT id, status, message_id FROM outbox") if r.id in mine}
    lost_answers = {
        r.outbox_id
        for r in mail_db.rows("SELECT outbox_id, outcome, reply FROM mail_attempts")
        if r.outbox_id in mine and r.outcome == "unknown" and "stopped while sending" in (r.reply or "")
    }
    statuses = Counter(r.status for r in rows.values())
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    unknown = [r for r in rows.values() if r.status == "unknown"]
    print(
        f"\ncrash test (seed {SEED}): {RUNS} runs x {INVOICES} invoices, {kills} kills: "
        f"sent {statuses['sent']}, failed {statuses['failed']}, unknown {statuses['unknown']} "
        f"({sum(1 for r in unknown if received[r.message_id])} of them arrived), duplicates {duplicates}"
    )
    assert len(rows) == RUNS * INVOICES
    assert duplicates == 0, [m for m, n in received.items() if n > 1]
    assert set(statuses) <= {"sent", "failed", "unknown"}, statuses  # nothing queued, sending or missing
    for r in rows.values():
        if r.status == "sent":
            assert received[r.message_id] == 1, r
        elif not received[r.message_id]:
            assert r.status in ("unknown", "failed"), r
    # "unknown" only where a worker died between committing "sending" and recording the answer
    assert {r.id for r in unknown} == lost_answers
    assert len(unknown) <= kills
    assert statuses["sent"] + statuses["unknown"] + statuses["failed"] == RUNS * INVOICES
