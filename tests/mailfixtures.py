"""Helpers of the mail and worker tests: documents and outbox rows, a real SMTP server on loopback, test
certificates; the fixtures of a mail database."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import itertools
import random
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session
from dbfixtures import SELLER_NO, Database, new_account
from sqlalchemy import select

from app.db.base import utcnow
from app.mail import outbox as ob
from app.mail.models import MailOptions
from app.store.blobs import BlobStore, FolderBlobStore
from app.store.documents import NewDocument, store_document
from app.store.outbox import enqueue as outbox_enqueue

ROOT = Path(__file__).resolve().parents[1]
INVOICES = ROOT / "fixtures" / "expected" / "invoices"
FAKE_PDF = b"%PDF-1.7\n% test pdf\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# -- fixtures of every test on a mail database: the module's blob folder, no mail left due --------------


@pytest.fixture(scope="module")
def blobs(tmp_path_factory: pytest.TempPathFactory) -> FolderBlobStore:
    return FolderBlobStore(tmp_path_factory.mktemp("blobs"))


@pytest.fixture
def mail_db(db: Database) -> Database:
    """The module's database with no mail left due from an earlier test (those rows are set aside)."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE outbox SET status = 'failed', lease_owner = NULL, lease_until = NULL "
            "WHERE status IN ('queued', 'sending')"
        )
    return db


# -- documents and their mail rows ----------------------------------------------------------------------

_numbers = itertools.count(1)


def fake_renderer(calls: list[str] | None = None) -> Callable[[bytes, str, bytes | None], bytes]:
    """A renderer that answers FAKE_PDF at once (and notes the language it was asked for)."""

    def render(xml: bytes, lang: str, logo: bytes | None = None) -> bytes:
        if calls is not None:
            calls.append(lang)
        return FAKE_PDF

    return render


def invoice_xml(name: str = "no-b2b-single.ehf.xml") -> bytes:
    return (INVOICES / name).read_bytes()


def mail_account(db: Database, **mail: Any) -> int:
    settings: dict[str, Any] = {
        "mail": {
            "sender": "faktura@fjellstua.example.no",
            "subject": "Faktura {invoice_number} fra {seller_name}",
            "text": "Hei {customer_name},\n\nvedlagt faktura {invoice_number} på {amount} {currency}, "
            "forfall {due_date}.\n\nOrdre {order_id}\n",
            **mail,
        }
    }
    account = new_account(db, **settings)
    with db.engine.begin() as conn:  # a Norwegian seller writing in Norwegian
        conn.exec_driver_sql(
            "UPDATE accounts SET language = 'nb', name = ?, country = 'NO' WHERE id = ?"
            if db.backend == "sqlite"
            else "UPDATE accounts SET language = 'nb', name = %s, country = 'NO' WHERE id = %s",
            (SELLER_NO["name"], account.id),
        )
    return account.id


def set_attach_xml(db: Database, account_id: int, on: bool) -> None:
    with db.session() as s:
        s.merge(MailOptions(account_id=account_id, attach_xml=on))
        s.commit()


def enqueue(
    db: Database,
    blobs: BlobStore,
    account_id: int,
    xml: bytes | None = None,
    *,
    recipient: str | None = None,
    count: int = 1,
) -> list[int]:
    """Final invoices and their queued mail rows, committed together (as the pipeline does); the outbox ids."""
    xml = xml or invoice_xml()
    now = utcnow()
    ids: list[int] = []
    with db.session() as session:
        for _ in range(count):
            document = store_document(
                session,
                blobs,
                NewDocument(
                    account_id=account_id,
                    kind="invoice",
                    number=f"T-{next(_numbers)}",
                    profile="ehf",
                    ruleset=None,
                    xml=xml,
                    currency="NOK",
                    issue_date=dt.date(2026, 11, 20),
                    due_date=dt.date(2026, 12, 4),
                    payable=Decimal("3112.50"),
                    status="final",
                    customer_email=recipient,
                ),
                now,
            )
            ids.append(outbox_enqueue(session, document, "mail", now).id)
        session.commit()
    return ids


def document_uuid(db: Database, document_id: int) -> str:
    return str(db.scalar("SELECT uuid FROM documents WHERE id = :d", d=document_id))


def attempts(db: Database, outbox_id: int) -> list[Any]:
    from app.mail.models import MailAttempt

    with db.engine.connect() as conn:
        return list(
            conn.execute(
                select(MailAttempt.__table__)
                .where(MailAttempt.outbox_id == outbox_id)
                .order_by(MailAttempt.id)
            ).all()
        )


def row(db: Database, outbox_id: int) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(select(ob.outbox).where(ob.outbox.c.id == outbox_id)).one()


# -- a real SMTP server --------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """aiosmtpd handler: records every accepted message; ``answers`` scripts replies to DATA (FIFO)."""

    received: list[Received] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refused: int = 0
    #: Wait this long (seconds, at random between the two) after taking a message, before answering 250:
    #: the window in which a client that dies leaves a message received but not recorded as sent.
    delay: tuple[float, float] | None = None

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.answers:
                answer = self.answers.pop(0)
                if not answer.startswith("250"):
                    self.refused += 1
                    return answer
            content = envelope.original_content or b""
            self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), content))
        if self.delay:
            await asyncio.sleep(random.uniform(*self.delay))
        return "250 2.0.0 Ok: queued"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(r.message["Message-ID"]) for r in self.received]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_smtp(recorder: Recorder, **kwargs: Any) -> Controller:
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), server_hostname="localhost", **kwargs
    )
    controller.start()
    return controller


@dataclass(frozen=True)
class TestCertificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx


def make_certificate(folder: Path) -> TestCertificate:
    """A self-signed certificate for localhost and 127.0.0.1, made now."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return TestCertificate(cert_path, key_path)


def wait_for(predicate: Callable[[], bool], timeout: float = 600.0) -> bool:
    """Poll until ``predicate`` holds (at once on a quiet machine); the cap only stops a wait that never ends."""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
