"""GET /v1/documents/{id}.pdf and the PDF cache (app/pdf/cache.py): rendered once per document, language,
template version and draft mark, then served from the blob store with its hash checked; a tampered blob is
never served; another account's document is not found; the mail worker reads the same cache, so a retry
renders nothing. (The draft mark itself: test_pdf_draft.py.)

Every test runs on SQLite and on PostgreSQL (the shared fixtures of tests/dbfixtures.py and
tests/shopfixtures.py: the real application, its own blob folder, a manual clock).
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import db, pg_server
from pdfcheck import attachments, page_texts
from shopfixtures import SELLER_NO, Account, Shop, form, shop
from waiting import CAP_S

import app.pdf.cache as cache
from app.mail.outbox import RetryPolicy
from app.mail.sender import MailWorker
from app.mail.store import StoreDocumentSource
from app.mail.transports import TemporaryFailure
from app.pdf import TEMPLATE_VERSION, render_pdf
from app.pdf.worker import PdfPool
from app.store.blobs import BlobError, FolderBlobStore

__all__ = ["db", "pg_server", "shop"]


@pytest.fixture(autouse=True)
def warm(pool: PdfPool) -> None:
    """The process's render pool, warmed once (the route renders through it)."""


@pytest.fixture(scope="module")
def acc(shop: Shop) -> Account:
    return shop.account(SELLER_NO)


_orders = iter(range(1, 10_000))


def new_invoice(shop: Shop, acc: Account) -> dict[str, Any]:
    """A fresh draft invoice (and its order) of the account: the documents' summaries by kind."""
    r = shop.post(acc, "/v1/shop-orders", form(f"PDF-{next(_orders)}", order_status="completed"))
    assert r.status_code == 201, r.text
    return {d["kind"]: d for d in r.json()["documents"]}


def pdf(shop: Shop, acc: Account, document_id: int, **params: str) -> Any:
    return shop.get(acc, f"/v1/documents/{document_id}.pdf", **params)


def cache_rows(shop: Shop, document_id: int) -> list[tuple[str, str, str, int]]:
    return [
        (r.lang, r.template_version, r.sha256, r.size)
        for r in shop.db.rows(
            "SELECT lang, template_version, sha256, size FROM pdf_cache WHERE document_id = :d "
            "ORDER BY lang, template_version",
            d=document_id,
        )
    ]


def blob_path(shop: Shop, sha: str) -> Path:
    return FolderBlobStore(shop.blob_dir).path(sha)


def counting(calls: list[str]) -> Callable[..., bytes]:
    """render_pdf, noting each call's language."""

    def render(xml: bytes, lang: str, logo: bytes | None = None, *, draft: bool = False) -> bytes:
        calls.append(lang)
        return render_pdf(xml, lang, logo, draft=draft)

    return render


def refusing(xml: bytes, lang: str, logo: bytes | None = None, *, draft: bool = False) -> bytes:
    raise AssertionError("rendered although the PDF is kept")


def test_first_download_renders_and_keeps_the_second_is_read_from_the_blob(
    shop: Shop, acc: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = new_invoice(shop, acc)["invoice"]
    calls: list[str] = []
    monkeypatch.setattr(cache, "render_pdf", counting(calls))

    first = pdf(shop, acc, invoice["id"])  # no lang: the account's (nb)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["x-nordubl-pdf-cache"] == "miss" and calls == ["nb"]
    assert first.headers["content-language"] == "nb"
    assert first.headers["x-nordubl-template-version"] == TEMPLATE_VERSION
    assert first.headers["content-disposition"] == f'inline; filename="Faktura-{invoice["number"]}.pdf"'
    sha = hashlib.sha256(first.content).hexdigest()
    assert first.headers["x-nordubl-sha256"] == sha
    text = page_texts(first.content)[0]
    assert "Å betale" in text and invoice["number"] in text
    xml = shop.get(acc, f"/v1/documents/{invoice['id']}.xml").content
    assert attachments(first.content) == {"invoice.xml": [xml]}

    # kept: one row for (document, nb, template version), its blob in the store under the PDF's hash
    assert cache_rows(shop, invoice["id"]) == [("nb", TEMPLATE_VERSION, sha, len(first.content))]
    assert blob_path(shop, sha).read_bytes() == first.content
    assert shop.count("SELECT count(*) FROM blobs WHERE sha256 = :s", s=sha) == 1

    # the second download never renders
    monkeypatch.setattr(cache, "render_pdf", refusing)
    second = pdf(shop, acc, invoice["id"], lang="nb")
    assert second.status_code == 200, second.text
    assert second.headers["x-nordubl-pdf-cache"] == "hit"
    assert second.content == first.content and second.headers["x-nordubl-sha256"] == sha
    assert calls == ["nb"] and len(cache_rows(shop, invoice["id"])) == 1


def test_each_language_is_rendered_once_of_its_own(
    shop: Shop, acc: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = new_invoice(shop, acc)["invoice"]
    calls: list[str] = []
    monkeypatch.setattr(cache, "render_pdf", counting(calls))
    nb = pdf(shop, acc, invoice["id"], lang="nb")
    en = pdf(shop, acc, invoice["id"], lang="en")
    assert (nb.headers["x-nordubl-pdf-cache"], en.headers["x-nordubl-pdf-cache"]) == ("miss", "miss")
    assert calls == ["nb", "en"] and nb.content != en.content
    assert "Amount due" in page_texts(en.content)[0] and en.headers["content-language"] == "en"
    assert en.headers["content-disposition"] == f'inline; filename="Invoice-{invoice["number"]}.pdf"'
    assert [r[:3] for r in cache_rows(shop, invoice["id"])] == [
        ("en", TEMPLATE_VERSION, en.headers["x-nordubl-sha256"]),
        ("nb", TEMPLATE_VERSION, nb.headers["x-nordubl-sha256"]),
    ]
    monkeypatch.setattr(cache, "render_pdf", refusing)
    for lang, before in (("en", en), ("nb", nb)):
        again = pdf(shop, acc, invoice["id"], lang=lang)
        assert again.headers["x-nordubl-pdf-cache"] == "hit" and again.content == before.content

    bad = pdf(shop, acc, invoice["id"], lang="de")
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def test_a_new_template_version_renders_again(
    shop: Shop, acc: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = new_invoice(shop, acc)["invoice"]
    calls: list[str] = []
    monkeypatch.setattr(cache, "render_pdf", counting(calls))
    old = pdf(shop, acc, invoice["id"], lang="da")
    assert old.headers["x-nordubl-pdf-cache"] == "miss"

    monkeypatch.setattr(cache, "TEMPLATE_VERSION", "9999.1")
    new = pdf(shop, acc, invoice["id"], lang="da")
    assert new.status_code == 200, new.text
    assert (
        new.headers["x-nordubl-pdf-cache"] == "miss" and new.headers["x-nordubl-template-version"] == "9999.1"
    )
    assert calls == ["da", "da"]
    assert [r[:2] for r in cache_rows(shop, invoice["id"])] == [("da", TEMPLATE_VERSION), ("da", "9999.1")]
    assert pdf(shop, acc, invoice["id"], lang="da").headers["x-nordubl-pdf-cache"] == "hit"
    assert calls == ["da", "da"]


def test_a_tampered_cached_pdf_is_detected_and_never_served(
    shop: Shop, acc: Account, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    invoice = new_invoice(shop, acc)["invoice"]
    first = pdf(shop, acc, invoice["id"], lang="sv")
    assert first.headers["x-nordubl-pdf-cache"] == "miss"
    sha = first.headers["x-nordubl-sha256"]
    path = blob_path(shop, sha)
    tampered = first.content[:-16] + b"% changed here\n"
    path.write_bytes(tampered)

    calls: list[str] = []
    monkeypatch.setattr(cache, "render_pdf", counting(calls))
    with caplog.at_level(logging.ERROR, logger="nordubl.pdf.cache"):
        r = pdf(shop, acc, invoice["id"], lang="sv")
    assert r.status_code == 200, r.text
    assert r.headers["x-nordubl-pdf-cache"] == "corrupt" and calls == ["sv"]
    assert r.content == first.content  # rendered again (rendering is reproducible), the tampered bytes never
    assert any("is corrupt" in m and sha in m for m in caplog.messages), caplog.messages
    assert path.read_bytes() == tampered  # a blob is never overwritten: the operator restores or removes it

    path.unlink()  # removed: the next download writes it again
    r = pdf(shop, acc, invoice["id"], lang="sv")
    assert r.headers["x-nordubl-pdf-cache"] == "missing" and calls == ["sv", "sv"]
    assert path.read_bytes() == first.content
    monkeypatch.setattr(cache, "render_pdf", refusing)
    assert pdf(shop, acc, invoice["id"], lang="sv").headers["x-nordubl-pdf-cache"] == "hit"


def test_another_accounts_document_is_not_found_and_an_order_has_no_pdf(
    shop: Shop, acc: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = new_invoice(shop, acc)
    invoice, order = docs["invoice"], docs["order"]
    other = shop.account(SELLER_NO, catalogue=False)
    monkeypatch.setattr(cache, "render_pdf", refusing)

    for document_id in (invoice["id"], 10**9):
        r = pdf(shop, other, document_id)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
        assert [i["code"] for i in r.json()["issues"]] == ["document.not_found"]
    assert cache_rows(shop, invoice["id"]) == []
    assert shop.client.get(f"/v1/documents/{invoice['id']}.pdf").status_code == 401

    r = pdf(shop, acc, order["id"])
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert [i["code"] for i in r.json()["issues"]] == ["document.no_pdf"]
    assert cache_rows(shop, order["id"]) == []

    assert shop.get(acc, f"/v1/documents/{order['id']}").json()["pdf_url"] is None
    meta = shop.get(acc, f"/v1/documents/{invoice['id']}")
    assert meta.status_code == 200 and meta.json()["pdf_url"] == f"/v1/documents/{invoice['id']}.pdf"


def test_the_pdf_route_comes_before_the_documents_routes(shop: Shop, acc: Account) -> None:
    # the application's paths in the order the routers were included (the order requests are matched in)
    paths = list(shop.client.app.openapi()["paths"])  # type: ignore[attr-defined]
    pdf_route = paths.index("/v1/documents/{document_id}.pdf")
    assert pdf_route < paths.index("/v1/documents/{document_id}")
    assert pdf_route < paths.index("/v1/documents/{document_id}.xml")
    invoice = new_invoice(shop, acc)["invoice"]
    xml = shop.get(acc, f"/v1/documents/{invoice['id']}.xml")
    assert xml.status_code == 200 and xml.headers["content-type"] == "application/xml"
    meta = shop.get(acc, f"/v1/documents/{invoice['id']}")
    assert meta.status_code == 200 and meta.json()["id"] == invoice["id"]
    assert shop.get(acc, f"/v1/documents/{invoice['id']}.pdf").headers["content-type"] == "application/pdf"
    assert shop.get(acc, f"/v1/documents/{invoice['id']}.png").status_code == 404


def test_a_credit_note_is_named_as_one(shop: Shop, acc: Account) -> None:
    order_id = f"PDF-{next(_orders)}"
    assert shop.post(acc, "/v1/shop-orders", form(order_id, order_status="completed")).status_code == 201
    r = shop.client.put(f"/v1/orders/{order_id}/status", json={"status": "cancelled"}, auth=acc.auth)
    assert r.status_code in (200, 201), r.text
    [credit] = [
        d
        for d in shop.get(acc, "/v1/documents", order_id=order_id).json()["items"]
        if d["kind"] == "creditnote"
    ]
    r = pdf(shop, acc, credit["id"])
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == f'inline; filename="Kreditnota-{credit["number"]}.pdf"'
    assert list(attachments(r.content)) == ["creditnote.xml"]


class FlakyTransport:
    """Refuses the first hand-over for now (a temporary failure), keeps every later message."""

    name = "memory"

    def __init__(self) -> None:
        self.tries = 0
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        self.tries += 1
        if self.tries == 1:
            raise TemporaryFailure("451 4.3.0 try again later")
        self.sent.append(message)
        return "250 kept"


def _pdf_attachment(message: EmailMessage) -> tuple[str, bytes]:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    content = part.get_content()
    assert isinstance(content, bytes)
    return part.get_filename() or "", content


def test_the_mail_worker_shares_the_cache_and_a_retry_renders_nothing(shop: Shop, acc: Account) -> None:
    downloaded = new_invoice(shop, acc)["invoice"]
    retried = new_invoice(shop, acc)["invoice"]
    draft = pdf(shop, acc, downloaded["id"])  # the owner looked at the draft before approving
    assert draft.headers["x-nordubl-pdf-cache"] == "miss" and "UTKAST" in page_texts(draft.content)[0]
    for invoice in (downloaded, retried):
        assert shop.post(acc, f"/v1/documents/{invoice['id']}/approve", None).status_code == 200
    kept = pdf(shop, acc, downloaded["id"])  # and at the final one: the draft's PDF is not it
    assert kept.headers["x-nordubl-pdf-cache"] == "miss" and "UTKAST" not in page_texts(kept.content)[0]
    mail_ids = {
        int(shop.db.scalar("SELECT id FROM outbox WHERE document_id = :d AND kind = 'mail'", d=i["id"]))
        for i in (downloaded, retried)
    }
    with shop.db.engine.begin() as conn:  # only these two are due
        conn.exec_driver_sql(
            "UPDATE outbox SET status = 'failed' WHERE kind = 'mail' AND status = 'queued' "
            f"AND id NOT IN ({', '.join(map(str, sorted(mail_ids)))})"
        )

    calls: list[str] = []
    transport = FlakyTransport()
    worker = MailWorker(
        shop.db.sessions,
        transport,
        StoreDocumentSource(FolderBlobStore(shop.blob_dir)),
        renderer=counting(calls),
        policy=RetryPolicy(max_attempts=3, base_seconds=0, max_seconds=0),
        rng=random.Random(1),
    )
    outcomes = []
    while (outcome := worker.step()) is not None:
        outcomes.append(outcome.status)
    assert outcomes == ["queued", "sent", "sent"], outcomes
    # the downloaded invoice was never rendered by the worker; the retried one once, on its first attempt
    assert calls == ["nb"]
    sent = dict(_pdf_attachment(m) for m in transport.sent)
    assert sent[f"Faktura-{downloaded['number']}.pdf"] == kept.content
    again = pdf(shop, acc, retried["id"])
    assert again.headers["x-nordubl-pdf-cache"] == "hit"
    assert sent[f"Faktura-{retried['number']}.pdf"] == again.content


def test_concurrent_first_calls_render_once(shop: Shop, acc: Account) -> None:
    invoice = new_invoice(shop, acc)["invoice"]
    blobs = FolderBlobStore(shop.blob_dir)
    xml = blobs.get(invoice["sha256"])
    calls: list[str] = []

    def slow(xml: bytes, lang: str, draft: bool) -> bytes:
        calls.append(lang)
        time.sleep(0.3)
        return b"%PDF-1.7\n% " + str(invoice["id"]).encode() + b"\n%%EOF\n"

    results: list[cache.CachedPdf] = []
    barrier = threading.Barrier(4)

    def call() -> None:
        barrier.wait()
        with shop.db.sessions() as session:
            results.append(cache.pdf_for(session, blobs, invoice["id"], "en", xml, draft=True, render=slow))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(CAP_S)
    assert calls == ["en"]
    assert sorted(r.state for r in results) == ["hit", "hit", "hit", "miss"]
    assert len({r.sha256 for r in results}) == 1 and all(r.kept for r in results)


class UnwritableStore(FolderBlobStore):
    def put(self, data: bytes) -> str:
        raise BlobError("disk full")


def test_a_blob_store_that_cannot_be_written_costs_only_the_keeping(shop: Shop, acc: Account) -> None:
    invoice = new_invoice(shop, acc)["invoice"]
    store = UnwritableStore(shop.blob_dir)
    xml = store.get(invoice["sha256"])
    with shop.db.sessions() as session:
        result = cache.pdf_for(
            session, store, invoice["id"], "nb", xml, draft=True, render=lambda x, lang, draft: b"%PDF-1.7 x"
        )
    assert (result.pdf, result.state, result.kept) == (b"%PDF-1.7 x", "miss", False)
    assert cache_rows(shop, invoice["id"]) == []
