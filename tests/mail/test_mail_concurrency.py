"""Several workers against one database (PostgreSQL and SQLite): no mail is ever taken twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage

from dbfixtures import Database
from mailfixtures import enqueue, fake_renderer, mail_account
from waiting import CAP_S

from app.db.base import utcnow
from app.mail import outbox as ob
from app.mail.sender import MailWorker
from app.mail.store import StoreDocumentSource
from app.store.blobs import BlobStore


class Slow:
    """A transport that takes a moment per mail and notes who handed over what."""

    name = "memory"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.handed: list[str] = []

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        time.sleep(0.002)
        with self.lock:
            self.handed.append(str(message["Message-ID"]))
        return "250 ok"


def test_concurrent_claims_never_hand_out_a_row_twice(mail_db: Database, blobs: BlobStore) -> None:
    account = mail_account(mail_db)
    ids = set(enqueue(mail_db, blobs, account, count=40))
    claimed: list[tuple[int, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def claimer(n: int) -> None:
        barrier.wait()
        while True:
            with mail_db.session() as session:
                claim = ob.claim_next(session, f"claimer-{n}", utcnow(), timedelta(minutes=5))
            if claim is None:
                return
            with lock:
                claimed.append((claim.id, claim.owner))

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(CAP_S)
    taken = [i for i, _ in claimed]
    assert sorted(taken) == sorted(ids)  # every row once, none twice
    owners = dict(claimed)
    leased = mail_db.rows(
        "SELECT id, lease_owner FROM outbox WHERE status = 'queued' AND lease_owner IS NOT NULL"
    )
    assert {r.id: r.lease_owner for r in leased if r.id in ids} == owners


def test_two_workers_send_every_mail_exactly_once(mail_db: Database, blobs: BlobStore) -> None:
    account = mail_account(mail_db)
    ids = enqueue(mail_db, blobs, account, count=60)
    transport = Slow()
    workers = [
        MailWorker(
            mail_db.sessions, transport, StoreDocumentSource(blobs), renderer=fake_renderer(), owner=f"w{n}"
        )
        for n in range(2)
    ]
    results: dict[str, Counter[str]] = {}
    threads = [threading.Thread(target=lambda w=w: results.__setitem__(w.owner, w.drain())) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(CAP_S)
    assert sum(c["sent"] for c in results.values()) == 60
    assert all(c["sent"] > 0 for c in results.values()), results  # both took part
    duplicates = [m for m, n in Counter(transport.handed).items() if n > 1]
    assert duplicates == [] and len(transport.handed) == 60
    rows = [r for r in mail_db.rows("SELECT id, status, attempts FROM outbox") if r.id in set(ids)]
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}
    by_worker = Counter(
        r.worker
        for r in mail_db.rows("SELECT worker FROM mail_attempts WHERE outcome = 'sent'")
        if r.worker in ("w0", "w1")
    )
    assert by_worker == Counter({w: results[w]["sent"] for w in ("w0", "w1")})
