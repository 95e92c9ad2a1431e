"""The mail codes in the owner's error log are written in English, Norwegian, Danish and Swedish: every code
the worker records has its text in the catalogue (app/errorlog/messages.py, translated by the gettext
catalogues), the worker records the catalogue's English, and the error log (GET /v1/errors) shows the
account's language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from dbfixtures import Database
from mailfixtures import enqueue, mail_account

from app.db.base import utcnow
from app.errorlog.messages import MESSAGES, localize, text
from app.errorlog.service import as_dict, entries
from app.mail.owner import FIELDS, tell_owner
from app.store.blobs import BlobStore

MAIL = Path(__file__).resolve().parents[2] / "app" / "mail"
#: Codes of the mail API's own answers (problem+json), never written to the error log.
API_CODES = {"mail.in_progress", "mail.not_found"}
PARAMS = {"number": "F-1001", "detail": "refused: 550 5.1.1 <kari@example.no>: no such user"}
MAIL_CODES = sorted(code for code in MESSAGES if code.startswith("mail.") and code not in API_CODES)


def test_every_code_the_worker_records_has_a_hint_and_a_text_in_each_language() -> None:
    written = {c for f in MAIL.glob("*.py") for c in re.findall(r'"(mail\.[a-z_]+)"', f.read_text())}
    recorded = written - API_CODES - {"mail.sender"}  # mail.sender is a field, not a code
    assert recorded == set(MAIL_CODES), sorted(recorded ^ set(MAIL_CODES))


@pytest.mark.parametrize("code", MAIL_CODES)
def test_english_repeats_the_worker_and_the_others_translate(code: str) -> None:
    stored = text(code, "en", PARAMS)  # what tell_owner records
    assert stored[0] == f"Invoice mail {PARAMS['number']}: {PARAMS['detail']}"
    field = FIELDS.get(code, "mail")
    assert localize(code, "en", PARAMS, *stored, field) == stored
    texts = {lang: localize(code, lang, PARAMS, *stored, field) for lang in ("nb", "da", "sv")}
    for lang, (message, hint) in texts.items():
        assert hint and "{" not in message + hint, (code, lang)
        assert message != stored[0] and hint != stored[1], (code, lang)
        assert PARAMS["number"] in message, (code, lang)
    assert len(set(texts.values())) == 3
    names = {n for t in MESSAGES[code] for _, n, _, _ in string.Formatter().parse(t) if n}
    assert names <= {"number", "detail"}, (code, names)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", "Fakturaeposten {number} ble ikke sendt: "),
        ("da", "Fakturamailen {number} blev ikke sendt: "),
        ("sv", "Fakturamejlet {number} skickades inte: "),
    ],
)
def test_the_error_log_shows_a_failed_mail_in_the_accounts_language(
    db: Database, blobs: BlobStore, language: str, words: str
) -> None:
    account_id = mail_account(db)
    [outbox_id] = enqueue(db, blobs, account_id)
    document_id = int(db.scalar("SELECT document_id FROM outbox WHERE id = :o", o=outbox_id))
    number = str(db.scalar("SELECT number FROM documents WHERE id = :d", d=document_id))
    with db.session() as session:
        tell_owner(session, account_id, document_id, "mail.failed", PARAMS["detail"], utcnow())
        session.commit()

    with db.session() as session:  # what GET /v1/errors answers, in the account's language
        [row], _ = entries(session, account_id, code="mail.failed")
        entry = as_dict(row, language)
    assert entry["message"] == words.format(number=number) + PARAMS["detail"]
    assert entry["hint"] == text("mail.failed", language, PARAMS)[1]
    assert "resend" not in entry["hint"]  # no English of ours


def test_a_pdf_the_mail_could_not_get_is_shown_in_the_words_of_a_failed_mail(
    db: Database, blobs: BlobStore
) -> None:
    # the renderer's code is kept (pdf.timeout), its entry reads as a failed mail in each language
    account_id = mail_account(db)
    [outbox_id] = enqueue(db, blobs, account_id)
    document_id = int(db.scalar("SELECT document_id FROM outbox WHERE id = :o", o=outbox_id))
    number = str(db.scalar("SELECT number FROM documents WHERE id = :d", d=document_id))
    detail = "The PDF could not be rendered: pdf.timeout Rendering took longer than 30 s and was stopped."
    with db.session() as session:
        tell_owner(session, account_id, document_id, "pdf.timeout", detail, utcnow())
        session.commit()

    with db.session() as session:
        [row], _ = entries(session, account_id, code="pdf.timeout")
        shown = {lang: as_dict(row, lang) for lang in ("en", "nb", "da", "sv")}
    assert shown["en"]["message"] == f"Invoice mail {number}: {detail}"
    assert shown["nb"]["message"] == f"Fakturaeposten {number} ble ikke sendt: {detail}"
    assert shown["sv"]["message"] == f"Fakturamejlet {number} skickades inte: {detail}"
    for lang in ("nb", "da", "sv"):
        assert shown[lang]["hint"] and "resend" not in shown[lang]["hint"], lang
