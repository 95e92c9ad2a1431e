"""Amazon SES (moto's server on loopback, boto3 with endpoint_url) and the .eml file transport."""

from __future__ import annotations

import json
import random
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import boto3
import pytest
from dbfixtures import Database
from mailfixtures import enqueue, fake_renderer, free_port, mail_account, row
from moto.server import ThreadedMotoServer

from app.config import Settings
from app.mail.sender import MailWorker
from app.mail.store import StoreDocumentSource
from app.mail.transports import FileTransport, SesTransport, make_transport
from app.store.blobs import BlobStore

SENDER = "faktura@fjellstua.example.no"


@pytest.fixture(scope="module")
def ses_endpoint() -> Iterator[str]:
    mp = pytest.MonkeyPatch()
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        mp.setenv(key, value)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        mp.undo()


def sent_by_moto(endpoint: str) -> list[dict[str, Any]]:
    """The raw messages moto's SES backend holds (its state API)."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as answer:
        data = json.load(answer)
    return list(data["ses"]["RawMessage"])


def ses_worker(db: Database, blobs: BlobStore, endpoint: str) -> MailWorker:
    transport = SesTransport("eu-west-1", endpoint_url=endpoint, timeout=10)
    return MailWorker(
        db.sessions, transport, StoreDocumentSource(blobs), renderer=fake_renderer(), rng=random.Random(3)
    )


def test_ses_send_raw_email_reaches_the_server(
    mail_db: Database, blobs: BlobStore, ses_endpoint: str
) -> None:
    client = boto3.client("ses", region_name="eu-west-1", endpoint_url=ses_endpoint)
    client.verify_email_identity(EmailAddress=SENDER)
    before = client.get_send_quota()["SentLast24Hours"]
    account = mail_account(mail_db)
    [mail_id] = enqueue(mail_db, blobs, account)

    outcome = ses_worker(mail_db, blobs, ses_endpoint).step()
    assert outcome is not None and outcome.status == "sent", outcome
    assert outcome.detail.startswith("SES MessageId ")
    assert client.get_send_quota()["SentLast24Hours"] > before
    r = row(mail_db, mail_id)
    assert r.status == "sent" and r.attempts == 1
    raw = [m for m in sent_by_moto(ses_endpoint) if f"Message-ID: {r.message_id}" in m["raw_data"]]
    assert len(raw) == 1
    assert raw[0]["source"] == SENDER and "kari.nordmann@example.no" in raw[0]["destinations"]
    assert outcome.detail == f"SES MessageId {raw[0]['id']}"
    received = message_from_bytes(raw[0]["raw_data"].encode(), policy=policy.default)
    assert [a.get_filename() for a in received.iter_attachments()] == ["Faktura-F-1001.pdf"]


def test_ses_message_rejected_fails_without_retry(
    mail_db: Database, blobs: BlobStore, ses_endpoint: str
) -> None:
    account = mail_account(mail_db, sender="unverified@elsewhere.example.org")
    [mail_id] = enqueue(mail_db, blobs, account)
    worker = ses_worker(mail_db, blobs, ses_endpoint)
    outcome = worker.step()
    assert outcome is not None and outcome.status == "failed"
    r = row(mail_db, mail_id)
    assert r.status == "failed" and r.attempts == 1 and "MessageRejected" in r.last_error
    assert worker.step() is None


def test_ses_not_reachable_is_retried(mail_db: Database, blobs: BlobStore) -> None:
    account = mail_account(mail_db)
    [mail_id] = enqueue(mail_db, blobs, account)
    worker = ses_worker(mail_db, blobs, f"http://127.0.0.1:{free_port()}")
    outcome = worker.step()
    assert outcome is not None and outcome.status == "queued", outcome
    r = row(mail_db, mail_id)
    assert r.status == "queued" and r.attempts == 1 and r.lease_owner is None


def test_the_file_transport_writes_one_eml_per_message(
    mail_db: Database, blobs: BlobStore, outbox_dir: Path
) -> None:
    account = mail_account(mail_db)
    [mail_id] = enqueue(mail_db, blobs, account)
    transport = make_transport(Settings(mail_outbox_dir=outbox_dir))
    assert isinstance(transport, FileTransport)
    worker = MailWorker(mail_db.sessions, transport, StoreDocumentSource(blobs), renderer=fake_renderer())
    assert worker.drain()["sent"] == 1
    [eml] = list(outbox_dir.glob("*.eml"))
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Message-ID"] == row(mail_db, mail_id).message_id
    assert eml.name == row(mail_db, mail_id).message_id.strip("<>") + ".eml"
    assert not list(outbox_dir.glob(".tmp-*"))


def test_settings_choose_the_transport(tmp_path: Path) -> None:
    assert (
        make_transport(Settings(mail_transport="smtp", smtp_host="mx.example", smtp_port=465)).name == "smtp"
    )
    assert make_transport(Settings(mail_transport="file", mail_outbox_dir=tmp_path)).name == "file"
    assert Settings(mail_outbox_dir=Path("var/x")).mail_outbox_dir.is_absolute()
    with pytest.raises(ValueError, match="unknown mail transport"):
        make_transport(Settings(), "pigeon")
