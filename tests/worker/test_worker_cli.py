"""``nordubl worker --once`` over the real pieces: the document store, app.pdf's render_pdf, the .eml folder."""

from __future__ import annotations

import io
from email import message_from_bytes, policy
from pathlib import Path

from dbfixtures import Database
from mailfixtures import enqueue, mail_account, row

from app.config import Settings
from app.store.blobs import FolderBlobStore
from app.worker import build_worker, main


def test_worker_once_renders_the_pdf_from_the_stored_xml_and_writes_the_mail(
    mail_db: Database, blobs: FolderBlobStore, tmp_path: Path
) -> None:
    account = mail_account(mail_db)
    [mail_id] = enqueue(mail_db, blobs, account)
    settings = Settings(
        database_url=mail_db.url,
        blob_dir=blobs.root,
        mail_outbox_dir=tmp_path / "outbox",
    )
    out = io.StringIO()
    assert main(settings, once=True, transport="file", out=out) == 0
    assert "sent 1" in out.getvalue()
    r = row(mail_db, mail_id)
    assert r.status == "sent"
    [eml] = list((tmp_path / "outbox").glob("*.eml"))
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    [pdf] = list(message.iter_attachments())
    content = pdf.get_content()
    assert pdf.get_filename() == "Faktura-F-1001.pdf" and content.startswith(b"%PDF-")
    assert b"F-1001" in content or len(content) > 10_000  # a real rendering, not a placeholder

    again = io.StringIO()
    assert main(settings, once=True, transport="file", out=again) == 0
    assert "nothing to send" in again.getvalue()


def test_the_worker_takes_its_transport_from_the_settings(mail_db: Database, tmp_path: Path) -> None:
    settings = Settings(
        database_url=mail_db.url, mail_transport="smtp", smtp_host="127.0.0.1", smtp_port=2525
    )
    worker = build_worker(settings)
    assert worker.transport.name == "smtp"
    assert build_worker(settings, "file").transport.name == "file"
