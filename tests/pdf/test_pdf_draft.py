"""A draft's PDF says so (source 003: during the trial period a document waits as a draft until the owner
approves it): the word UTKAST / KLADDE / UTKAST / DRAFT in the PDF's language, beside the title and on every
page; a final document's PDF has none. The kept PDFs (app/pdf/cache.py) are keyed on the draft mark, so the
PDF downloaded after approval is rendered again, final, and the draft's is never served for it.

The HTTP tests run on SQLite and on PostgreSQL (tests/shopfixtures.py: the real application).
"""

from __future__ import annotations

from typing import Any

import pytest
from dbfixtures import db, pg_server
from pdfcheck import OWN, page_texts, reader
from shopfixtures import SELLER_NO, Account, Shop, form, shop

from app.pdf import TEMPLATE_VERSION, render_pdf
from app.pdf.labels import LABELS, LANGUAGES, Lang
from app.pdf.worker import PdfPool

__all__ = ["db", "pg_server", "shop"]

#: the draft mark in each language of the PDF
MARK: dict[Lang, str] = {"nb": "UTKAST", "da": "KLADDE", "sv": "UTKAST", "en": "DRAFT"}


@pytest.fixture(autouse=True)
def warm(pool: PdfPool) -> None:
    """The process's render pool, warmed once (the route renders through it)."""


def words(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def test_the_marks_are_the_labels() -> None:
    assert {lang: LABELS[lang]["draft"] for lang in LANGUAGES} == MARK


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_draft_says_so_in_its_language_and_a_final_document_does_not(lang: Lang, pool: PdfPool) -> None:
    xml = (OWN / "no-b2b-kid.ehf.xml").read_bytes()
    draft = render_pdf(xml, lang, draft=True, pool=pool)
    final = render_pdf(xml, lang, pool=pool)
    assert MARK[lang] in words(draft)
    assert MARK[lang] not in words(final)
    # beside the title, and in the document's title (what a PDF reader shows)
    assert f"{MARK[lang]} {LABELS[lang]['invoice']}" in page_texts(draft)[0]
    assert reader(draft).metadata.title == f"{MARK[lang]}: {LABELS[lang]['invoice']} 2026-0042"
    assert reader(final).metadata.title == f"{LABELS[lang]['invoice']} 2026-0042"
    assert final == render_pdf(xml, lang, draft=False, pool=pool)  # the default is the final document


def test_every_page_of_a_long_draft_is_marked(pool: PdfPool) -> None:
    pages = page_texts(
        render_pdf((OWN / "no-b2b-200-lines.ehf.xml").read_bytes(), "nb", draft=True, pool=pool)
    )
    assert len(pages) >= 3
    assert [i for i, text in enumerate(pages, start=1) if "UTKAST" not in text] == []


# -- stored documents over HTTP ------------------------------------------------------------------------------


def cache_keys(shop: Shop, document_id: int) -> list[tuple[str, str, bool]]:
    return [
        (r.lang, r.template_version, bool(r.draft))
        for r in shop.db.rows(
            "SELECT lang, template_version, draft FROM pdf_cache WHERE document_id = :d ORDER BY lang, draft",
            d=document_id,
        )
    ]


def download(shop: Shop, acc: Account, document_id: int, lang: str) -> Any:
    r = shop.get(acc, f"/v1/documents/{document_id}.pdf", lang=lang)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    return r


def test_a_stored_drafts_download_is_marked_until_it_is_approved(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)  # a new account: draft mode (the trial period)
    r = shop.post(acc, "/v1/shop-orders", form("DRAFT-PDF-1", order_status="completed"))
    assert r.status_code == 201, r.text
    invoice = next(d for d in r.json()["documents"] if d["kind"] == "invoice")
    assert invoice["status"] == "draft"

    drafts = {}
    for lang in LANGUAGES:
        first = download(shop, acc, invoice["id"], lang)
        assert first.headers["x-nordubl-pdf-cache"] == "miss"
        assert MARK[lang] in words(first.content), lang
        again = download(shop, acc, invoice["id"], lang)  # kept: read back, still the draft's
        assert again.headers["x-nordubl-pdf-cache"] == "hit" and again.content == first.content
        drafts[lang] = first.content

    r = shop.post(acc, f"/v1/documents/{invoice['id']}/approve", None)
    assert r.status_code == 200 and r.json()["status"] == "final", r.text

    for lang in LANGUAGES:
        final = download(shop, acc, invoice["id"], lang)
        # rendered again for the final document: the kept draft PDF is not its PDF
        assert final.headers["x-nordubl-pdf-cache"] == "miss", lang
        assert MARK[lang] not in words(final.content), lang
        assert final.content != drafts[lang]
        assert LABELS[lang]["payable"] in words(final.content)
        again = download(shop, acc, invoice["id"], lang)
        assert again.headers["x-nordubl-pdf-cache"] == "hit" and again.content == final.content
    # one kept PDF per language, template version and draft mark
    assert cache_keys(shop, invoice["id"]) == sorted(
        (lang, TEMPLATE_VERSION, draft) for lang in LANGUAGES for draft in (False, True)
    )


def test_a_draft_credit_note_is_marked_and_a_final_one_is_not(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    assert shop.post(acc, "/v1/shop-orders", form("DRAFT-PDF-2", order_status="completed")).status_code == 201
    r = shop.client.put("/v1/orders/DRAFT-PDF-2/status", json={"status": "cancelled"}, auth=acc.auth)
    assert r.status_code == 201, r.text
    credit = next(d for d in r.json()["documents"] if d["kind"] == "creditnote")
    assert credit["status"] == "draft"
    text = words(download(shop, acc, credit["id"], "da").content)
    assert "KLADDE" in text and LABELS["da"]["creditnote"] in text
    assert shop.post(acc, f"/v1/documents/{credit['id']}/approve", None).status_code == 200
    assert "KLADDE" not in words(download(shop, acc, credit["id"], "da").content)
