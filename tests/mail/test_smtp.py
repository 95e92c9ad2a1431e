"""Invoice mail over a real SMTP server (aiosmtpd on loopback): content, STARTTLS, 4xx retried, 5xx failed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from dbfixtures import Database
from mailfixtures import (
    FAKE_PDF,
    Recorder,
    attempts,
    document_uuid,
    enqueue,
    fake_renderer,
    invoice_xml,
    mail_account,
    make_certificate,
    row,
    set_attach_xml,
    start_smtp,
)

from app.db.base import utcnow
from app.mail.outbox import RetryPolicy
from app.mail.sender import MailWorker
from app.mail.store import StoreDocumentSource
from app.mail.transports import SmtpTransport
from app.store.blobs import BlobStore


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


def worker(db: Database, blobs: BlobStore, port: int, **kwargs: object) -> MailWorker:
    transport = kwargs.pop("transport", None) or SmtpTransport("127.0.0.1", port, security="none", timeout=10)
    kwargs.setdefault("renderer", fake_renderer())
    return MailWorker(
        db.sessions,
        transport,  # type: ignore[arg-type]
        StoreDocumentSource(blobs),
        rng=random.Random(7),
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_received_mail_has_sender_subject_text_pdf_and_message_id(
    mail_db: Database, blobs: BlobStore, smtp: tuple[Recorder, int]
) -> None:
    db = mail_db
    recorder, port = smtp
    account = mail_account(db)
    [mail_id] = enqueue(db, blobs, account)
    outcome = worker(db, blobs, port).step()
    assert outcome is not None and outcome.status == "sent", outcome

    [got] = recorder.received
    msg = got.message
    assert got.mail_from == "faktura@fjellstua.example.no"
    assert got.rcpt_tos == ["kari.nordmann@example.no"]  # the buyer contact's e-mail (BT-58)
    assert msg["From"].addresses[0].addr_spec == "faktura@fjellstua.example.no"
    assert msg["From"].addresses[0].display_name == "Fjellstua Kurs og Konferanse AS"
    stored = row(db, mail_id)
    assert stored.message_id == f"<{document_uuid(db, stored.document_id)}@nordubl>"
    assert msg["Message-ID"] == stored.message_id  # stable: derived from the document
    assert msg["Auto-Submitted"] == "auto-generated"
    number = "F-1001"
    assert msg["To"] == "kari.nordmann@example.no"
    assert msg["Subject"] == f"Faktura {number} fra Fjellstua Kurs"
    body = msg.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    # Babel, nb_NO: a non-breaking space groups thousands, a comma before the decimals; the month in words
    assert text.startswith("Hei Brønnøysundregistrene,\n"), text
    assert "vedlagt faktura F-1001 på 3\xa0112,50 NOK" in text, text
    assert "forfall 4. desember 2026" in text, text
    assert "Ordre \n" in text  # no order reference in the document: the placeholder stays empty
    attachments = list(msg.iter_attachments())
    assert [(a.get_content_type(), a.get_filename()) for a in attachments] == [
        ("application/pdf", f"Faktura-{number}.pdf")
    ]
    assert attachments[0].get_content() == FAKE_PDF
    stored = row(db, mail_id)
    assert (stored.status, stored.attempts, stored.lease_until) == ("sent", 1, None)
    [attempt] = attempts(db, mail_id)
    assert (attempt.outcome, attempt.transport, attempt.recipient) == (
        "sent",
        "smtp",
        "kari.nordmann@example.no",
    )
    assert attempt.reply.startswith("250 2.0.0 Ok") and attempt.message_id == stored.message_id


def test_the_xml_is_attached_when_the_account_wants_it(
    mail_db: Database, blobs: BlobStore, smtp: tuple[Recorder, int]
) -> None:
    db = mail_db
    recorder, port = smtp
    account = mail_account(db)
    set_attach_xml(db, account, True)
    enqueue(db, blobs, account, recipient="regnskap@kunde.example.no")
    assert worker(db, blobs, port).drain()["sent"] == 1
    [got] = recorder.received
    assert got.rcpt_tos == ["regnskap@kunde.example.no"]  # the store's recipient wins over the XML's
    parts = {a.get_filename(): a for a in got.message.iter_attachments()}
    assert set(parts) == {"Faktura-F-1001.pdf", "Faktura-F-1001.xml"}
    assert parts["Faktura-F-1001.xml"].get_content_type() == "application/xml"
    assert parts["Faktura-F-1001.xml"].get_content() == invoice_xml()


def test_starttls_with_a_certificate_made_now(mail_db: Database, blobs: BlobStore, tmp_path: Path) -> None:
    db = mail_db
    cert = make_certificate(tmp_path)
    recorder = Recorder()
    controller = start_smtp(recorder, tls_context=cert.server_context(), require_starttls=True)
    try:
        account = mail_account(db)
        enqueue(db, blobs, account)
        # without STARTTLS the server refuses (530 must issue STARTTLS first): a permanent failure
        plain = worker(db, blobs, controller.port).step()
        assert plain is not None and plain.status == "failed" and "530" in plain.detail
        [mail_id] = enqueue(db, blobs, account)
        tls = SmtpTransport("127.0.0.1", controller.port, security="starttls", ca_file=cert.cert, timeout=10)
        outcome = worker(db, blobs, controller.port, transport=tls).step()
        assert outcome is not None and outcome.status == "sent", outcome
        assert len(recorder.received) == 1
        assert row(db, mail_id).status == "sent"
        # a certificate the client does not trust is a connection failure, retried later
        [other] = enqueue(db, blobs, account)
        untrusted = SmtpTransport("127.0.0.1", controller.port, security="starttls", timeout=10)
        outcome = worker(db, blobs, controller.port, transport=untrusted).step()
        assert (
            outcome is not None
            and outcome.status == "queued"
            and "CERTIFICATE_VERIFY_FAILED" in outcome.detail
        )
        assert row(db, other).status == "queued" and len(recorder.received) == 1
    finally:
        controller.stop()


def test_a_4xx_answer_is_retried_with_backoff_and_then_sent(
    mail_db: Database, blobs: BlobStore, smtp: tuple[Recorder, int]
) -> None:
    db = mail_db
    recorder, port = smtp
    recorder.answers = ["451 4.3.0 try again later", "452 4.3.1 insufficient storage"]
    account = mail_account(db)
    [mail_id] = enqueue(db, blobs, account)
    clock = Clock()
    w = worker(
        db, blobs, port, clock=clock, policy=RetryPolicy(max_attempts=5, base_seconds=60, max_seconds=3600)
    )

    first = w.step()
    assert first is not None and first.status == "queued" and "451" in first.detail
    r = row(db, mail_id)
    assert (r.status, r.attempts, r.lease_owner) == ("queued", 1, None) and "451" in r.last_error
    wait = r.next_attempt_at - clock.now
    assert timedelta(seconds=30) <= wait <= timedelta(seconds=60)  # base 60 s, equal jitter
    assert w.step() is None  # not due yet

    clock.now += timedelta(seconds=61)
    second = w.step()
    assert second is not None and second.status == "queued"
    r = row(db, mail_id)
    assert r.attempts == 2
    assert timedelta(seconds=60) <= r.next_attempt_at - clock.now <= timedelta(seconds=120)  # doubled

    clock.now += timedelta(seconds=121)
    third = w.step()
    assert third is not None and third.status == "sent"
    assert recorder.refused == 2 and len(recorder.received) == 1
    r = row(db, mail_id)
    assert (r.status, r.attempts, r.last_error) == ("sent", 3, None)


def test_a_5xx_answer_fails_without_retry(
    mail_db: Database, blobs: BlobStore, smtp: tuple[Recorder, int]
) -> None:
    db = mail_db
    recorder, port = smtp
    recorder.answers = ["554 5.7.1 rejected: spam"]
    account = mail_account(db)
    [mail_id] = enqueue(db, blobs, account)
    clock = Clock()
    w = worker(db, blobs, port, clock=clock)
    outcome = w.step()
    assert outcome is not None and outcome.status == "failed"
    r = row(db, mail_id)
    assert (r.status, r.attempts) == ("failed", 1) and "554 5.7.1 rejected: spam" in r.last_error
    clock.now += timedelta(days=30)
    assert w.step() is None  # never picked again
    assert recorder.received == [] and recorder.refused == 1


def test_temporary_failures_give_up_after_max_attempts(mail_db: Database, blobs: BlobStore) -> None:
    db = mail_db
    account = mail_account(db)
    [mail_id] = enqueue(db, blobs, account)
    clock = Clock()
    closed = SmtpTransport("127.0.0.1", 9, security="none", timeout=2)  # nothing listens on port 9
    w = worker(db, blobs, 9, transport=closed, clock=clock, policy=RetryPolicy(3, 1, 10))
    statuses = []
    for _ in range(5):
        clock.now += timedelta(seconds=11)
        outcome = w.step()
        if outcome is None:
            break
        statuses.append(outcome.status)
    assert statuses == ["queued", "queued", "failed"]
    r = row(db, mail_id)
    assert (r.status, r.attempts) == ("failed", 3) and "gave up after 3 attempts" in r.last_error


def test_no_recipient_and_no_sender_fail_with_a_reason(
    mail_db: Database, blobs: BlobStore, smtp: tuple[Recorder, int]
) -> None:
    db = mail_db
    recorder, port = smtp
    account = mail_account(db)
    xml = (
        invoice_xml()
        .replace(b"<cbc:ElectronicMail>", b"<cbc:Telefax>")
        .replace(b"</cbc:ElectronicMail>", b"</cbc:Telefax>")
    )
    [no_rcpt] = enqueue(db, blobs, account, xml)
    assert worker(db, blobs, port).drain()["failed"] == 1
    assert row(db, no_rcpt).last_error.startswith("mail.no_recipient")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE accounts SET mail_sender = NULL, email = NULL WHERE id = {account}")
    [no_sender] = enqueue(db, blobs, account)
    assert worker(db, blobs, port).drain()["failed"] == 1
    r = row(db, no_sender)
    assert r.last_error.startswith("mail.no_sender") and r.attempts == 0  # never handed over
    assert recorder.received == []
