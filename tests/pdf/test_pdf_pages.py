"""A long invoice flows over pages: the table header repeats on every page (thead), no line is lost or
doubled at a page break, and the footer numbers the pages "Side i av N" with N = the PDF's page count."""

from __future__ import annotations

import json
import re

import pytest
from pdfcheck import page_texts

from app.accounts.profile import load_seller
from app.config import PROJECT_ROOT
from app.forms.loader import load_form_bytes
from app.pdf import render_pdf
from app.pdf.labels import LABELS, Lang
from app.pdf.worker import PdfPool
from app.service import make_invoice
from app.validation.engine import Engine

LINES = 500


@pytest.fixture(scope="module")
def long_invoice(validation_engine: Engine) -> bytes:
    """A valid EHF invoice of 500 lines (the 200-line fixture's products, repeated and renumbered)."""
    forms = PROJECT_ROOT / "fixtures" / "forms" / "invoices"
    data = json.loads((forms / "no-b2b-200-lines.json").read_text(encoding="utf-8"))
    base = data["products"]
    data["order_id"] = "F-5000"
    data["products"] = [
        dict(base[i % len(base)], product_number=f"ART-{i:03d}", name=f"Artikkel {i}") for i in range(LINES)
    ]
    seller = load_seller(PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json")
    result = make_invoice(load_form_bytes(json.dumps(data).encode()), seller, engine=validation_engine)
    assert result.report.valid
    return result.xml


def test_long_invoice_repeats_header_and_numbers_pages(long_invoice: bytes, pool: PdfPool) -> None:
    lang: Lang = "nb"
    pages = page_texts(render_pdf(long_invoice, lang, pool=pool))
    n = len(pages)
    assert n >= 5
    header = LABELS[lang]["col_description"].upper()  # table headings are set in capitals
    for i, text in enumerate(pages, start=1):
        assert text.count(header) == 1, f"page {i}"
        assert f"Side {i} av {n}" in text, f"page {i}"
        assert "F-5000" in text  # the running footer names the invoice on every page
    names = [int(m) for text in pages for m in re.findall(r"\bArtikkel (\d+)\b", text)]
    assert sorted(names) == list(range(LINES))  # every line exactly once
    assert LABELS[lang]["payable"] in pages[-1] and LABELS[lang]["payable"] not in pages[1]
