"""The owner's view over HTTP: mail status per document, mails needing a person, resends, mail options;
the reaper turning a lost hand-over into "unknown" (never resent by itself), and the owner's error log."""

from __future__ import annotations

import base64
import random
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from dbfixtures import Api
from mailfixtures import enqueue, fake_renderer, row

from app.db.base import utcnow
from app.mail import outbox as ob
from app.mail.sender import MailWorker
from app.mail.store import StoreDocumentSource
from app.mail.transports import PermanentFailure
from app.store.blobs import BlobStore


class Memory:
    """A transport that keeps what it is given; ``refuse`` makes it answer a permanent failure."""

    name = "memory"

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.refuse: str | None = None

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        if self.refuse:
            raise PermanentFailure(self.refuse)
        self.sent.append(message)
        return f"250 kept {len(self.sent)}"


def basic(account: dict[str, Any]) -> dict[str, str]:
    token = base64.b64encode(f"{account['client_id']}:{account['client_key']}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def shop(api: Api) -> dict[str, Any]:
    with api.db.engine.begin() as conn:  # no mail left due from another test of the module
        conn.exec_driver_sql("UPDATE outbox SET status = 'failed' WHERE status IN ('queued', 'sending')")
    return api.create_account(mail={"sender": "faktura@webshoppen.example.dk"})


def worker(api: Api, blobs: BlobStore, transport: Memory, **kwargs: Any) -> MailWorker:
    return MailWorker(
        api.db.sessions,
        transport,
        StoreDocumentSource(blobs),
        renderer=fake_renderer(),
        rng=random.Random(1),
        **kwargs,
    )


def error_log(api: Api, account_id: int) -> list[Any]:
    return api.db.rows(
        "SELECT code, field, resolved_at, resolved_by, message FROM error_log WHERE account_id = :a ORDER BY id",
        a=account_id,
    )


def test_status_of_a_sent_mail_with_its_hand_over(api: Api, blobs: BlobStore, shop: dict[str, Any]) -> None:
    [mail_id] = enqueue(api.db, blobs, shop["id"])
    doc = row(api.db, mail_id).document_id
    queued = api.client.get(f"/v1/documents/{doc}/mail", headers=basic(shop))
    assert queued.status_code == 200, queued.text
    assert queued.json()["status"] == "queued" and queued.json()["attempts"] == 0
    memory = Memory()
    assert worker(api, blobs, memory).drain()["sent"] == 1
    body = api.client.get(f"/v1/documents/{doc}/mail", headers=basic(shop)).json()
    assert body["status"] == "sent" and body["attempts"] == 1 and body["sent_at"] is not None
    assert body["recipient"] == "kari.nordmann@example.no"
    assert body["message_id"] == memory.sent[0]["Message-ID"]
    assert [(h["outcome"], h["transport"], h["reply"]) for h in body["history"]] == [
        ("sent", "memory", "250 kept 1")
    ]


def test_another_accounts_mail_is_not_found(api: Api, blobs: BlobStore, shop: dict[str, Any]) -> None:
    [mail_id] = enqueue(api.db, blobs, shop["id"])
    doc = row(api.db, mail_id).document_id
    other = api.create_account()
    for response in (
        api.client.get(f"/v1/documents/{doc}/mail", headers=basic(other)),
        api.client.post(f"/v1/documents/{doc}/resend", headers=basic(other)),
        api.client.get(f"/v1/documents/{doc + 10_000}/mail", headers=basic(shop)),
    ):
        assert response.status_code == 404 and response.json()["issues"][0]["code"] == "mail.not_found"
    assert api.client.get(f"/v1/documents/{doc}/mail").status_code == 401
    assert row(api.db, mail_id).status == "queued"


def test_a_lost_hand_over_becomes_unknown_is_shown_and_never_resent_by_itself(
    api: Api, blobs: BlobStore, shop: dict[str, Any]
) -> None:
    [mail_id] = enqueue(api.db, blobs, shop["id"])
    doc = row(api.db, mail_id).document_id
    now = utcnow()
    lease = timedelta(seconds=30)
    # a worker claims the mail, commits "sending" … and dies before the answer is recorded
    with api.db.session() as session:
        claim = ob.claim_next(session, "dead-worker", now, lease)
        assert claim is not None and claim.id == mail_id
        assert ob.mark_sending(session, claim, now, lease, claim.message_id or "")
        session.commit()
    memory = Memory()
    live = worker(api, blobs, memory, clock=lambda: now + timedelta(seconds=10))
    assert live.drain().total() == 0 and row(api.db, mail_id).status == "sending"  # the lease still runs

    later = worker(api, blobs, memory, clock=lambda: now + timedelta(seconds=31))
    assert later.drain().total() == 0  # reaped, not sent
    r = row(api.db, mail_id)
    assert r.status == "unknown" and "may or may not have been delivered" in r.last_error
    assert memory.sent == []
    much_later = worker(api, blobs, memory, clock=lambda: now + timedelta(days=3))
    assert much_later.drain().total() == 0 and memory.sent == []  # never resent automatically

    listed = api.client.get("/v1/mail", params={"status": ["unknown", "failed"]}, headers=basic(shop)).json()
    assert [(i["document_id"], i["status"]) for i in listed["items"]] == [(doc, "unknown")]
    assert [(e.code, e.resolved_at) for e in error_log(api, shop["id"])] == [("mail.unknown", None)]


def test_resend_is_recorded_sent_as_a_new_message_and_refused_while_queued(
    api: Api, blobs: BlobStore, shop: dict[str, Any]
) -> None:
    [mail_id] = enqueue(api.db, blobs, shop["id"])
    doc = row(api.db, mail_id).document_id
    memory = Memory()
    memory.refuse = "550 5.1.1 no such user"
    assert worker(api, blobs, memory).drain()["failed"] == 1
    first_id = row(api.db, mail_id).message_id
    assert [(e.code, e.field, e.resolved_at) for e in error_log(api, shop["id"])] == [
        ("mail.failed", "mail", None)
    ]

    answer = api.client.post(
        f"/v1/documents/{doc}/resend",
        json={"requested_by": "ingrid@webshoppen.example.dk", "reason": "address fixed"},
        headers=basic(shop),
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "queued" and body["attempts"] == 0 and body["last_error"] is None
    assert body["message_id"] == first_id.replace("@", ".resend-1@")
    [resend] = body["resends"]
    assert resend["requested_by_client"] == shop["client_id"]
    assert resend["requested_by"] == "ingrid@webshoppen.example.dk" and resend["reason"] == "address fixed"
    assert (resend["previous_status"], resend["previous_message_id"]) == ("failed", first_id)
    assert [e.resolved_by for e in error_log(api, shop["id"])] == ["owner"]

    again = api.client.post(f"/v1/documents/{doc}/resend", headers=basic(shop))
    assert again.status_code == 409 and again.json()["issues"][0]["code"] == "mail.in_progress"

    memory.refuse = None
    assert worker(api, blobs, memory).drain()["sent"] == 1
    assert [m["Message-ID"] for m in memory.sent] == [body["message_id"]]
    third = api.client.post(f"/v1/documents/{doc}/resend", headers=basic(shop))
    assert third.status_code == 202 and third.json()["message_id"] == first_id.replace("@", ".resend-2@")
    history = third.json()["history"]
    assert [h["outcome"] for h in history] == ["failed", "sent"]


def test_mail_options_attach_the_xml(api: Api, blobs: BlobStore, shop: dict[str, Any]) -> None:
    assert api.client.get("/v1/account/mail-options", headers=basic(shop)).json()["attach_xml"] is False
    put = api.client.put("/v1/account/mail-options", json={"attach_xml": True}, headers=basic(shop))
    assert put.status_code == 200 and put.json()["attach_xml"] is True
    bad = api.client.put("/v1/account/mail-options", json={"attach_xml": True, "x": 1}, headers=basic(shop))
    assert bad.status_code == 422
    enqueue(api.db, blobs, shop["id"])
    memory = Memory()
    assert worker(api, blobs, memory).drain()["sent"] == 1
    names = [a.get_filename() for a in memory.sent[0].iter_attachments()]
    assert names == ["Faktura-F-1001.pdf", "Faktura-F-1001.xml"]


def test_a_renderer_that_breaks_is_retried_then_failed_and_nothing_is_sent(
    api: Api, blobs: BlobStore, shop: dict[str, Any]
) -> None:
    from app.errors import NordublError
    from app.issues import Issue
    from app.mail.outbox import RetryPolicy

    [mail_id] = enqueue(api.db, blobs, shop["id"])
    calls: list[int] = []

    def broken(xml: bytes, lang: str, logo: bytes | None = None) -> bytes:
        calls.append(1)
        raise RuntimeError("renderer crashed")

    now = utcnow()
    memory = Memory()
    for n in range(3):
        w = MailWorker(
            api.db.sessions,
            memory,
            StoreDocumentSource(blobs),
            renderer=broken,
            policy=RetryPolicy(max_attempts=3, base_seconds=1, max_seconds=1),
            clock=lambda n=n: now + timedelta(seconds=10 * n),
        )
        outcome = w.step()
        assert outcome is not None and outcome.status == ("failed" if n == 2 else "queued"), outcome
    r = row(api.db, mail_id)
    assert (r.status, r.attempts) == ("failed", 3) and "mail.prepare_failed" in r.last_error
    assert memory.sent == [] and len(calls) == 3

    [other] = enqueue(api.db, blobs, shop["id"])

    def refusing(xml: bytes, lang: str, logo: bytes | None = None) -> bytes:
        raise NordublError("bad", [Issue("reader.unsupported", "fatal", "not an invoice")])

    w = MailWorker(api.db.sessions, memory, StoreDocumentSource(blobs), renderer=refusing)
    assert w.drain()["failed"] == 1
    assert row(api.db, other).last_error.startswith("reader.unsupported") and row(api.db, other).attempts == 0
