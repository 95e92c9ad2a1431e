"""Rendering: every official billing example and five of our own invoices become a PDF/A-3b that another
renderer (poppler) can draw, whose text carries the invoice number, the amount due formatted for the
language, the VAT breakdown and both parties, and that embeds the XML byte for byte."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from pdfcheck import EXAMPLES, OWN, OWN_INVOICES, attachments, flat, page1_png, page_texts, reader
from PIL import Image

from app.errors import NordublError
from app.pdf import TEMPLATE_VERSION, render_pdf
from app.pdf.labels import LABELS, LOCALES, Lang
from app.pdf.render import prepare
from app.pdf.worker import PdfPool
from app.reader import read_document

PEPPOL_LANGS: tuple[Lang, ...] = ("en", "sv", "nb", "da")


def lang_for(path: Path) -> Lang:
    if path.name.startswith("OIOUBL"):
        return "da"
    if "billing-NO" in path.parts:
        return "nb"
    return PEPPOL_LANGS[EXAMPLES.index(path) % len(PEPPOL_LANGS)]


CASES = [(p, lang_for(p)) for p in EXAMPLES] + [(OWN / name, lang) for name, lang in OWN_INVOICES.items()]


def amount(value: object, lang: Lang) -> str:
    """Two decimals in the locale's digits (Babel directly, not the code under test)."""
    return flat(format_decimal(value, format="#,##0.00", locale=LOCALES[lang]))


def check_rendered(xml: bytes, lang: Lang, pdf: bytes, tmp_path: Path) -> None:
    doc = read_document(xml)
    assert pdf.startswith(b"%PDF-1.7")
    png = page1_png(pdf, tmp_path)
    assert png.is_file() and png.stat().st_size > 5_000
    with Image.open(png) as img:
        assert abs(img.width / img.height - 210 / 297) < 0.01  # A4 portrait
        darkest, _ = img.convert("L").getextrema()
        assert darkest < 80  # text was drawn
    text = " ".join(page_texts(pdf))
    assert doc.id in text
    payable = amount(doc.totals.payable, lang)
    assert f"{payable} {doc.currency}" in text or f"{doc.currency} {payable}" in text, payable
    for sub in doc.tax_subtotals:
        assert amount(sub.taxable, lang) in text and amount(sub.tax, lang) in text
    assert flat(doc.seller.name) in text and flat(doc.buyer.name) in text
    label = LABELS[lang]["payable_credit" if doc.kind == "creditnote" else "payable"]
    assert label in text
    files = attachments(pdf)
    assert list(files) == ["creditnote.xml" if doc.kind == "creditnote" else "invoice.xml"]
    assert files[next(iter(files))] == [xml]  # byte-identical


@pytest.mark.parametrize(("path", "lang"), CASES, ids=[f"{p.stem}-{lang}" for p, lang in CASES])
def test_document_renders(path: Path, lang: Lang, pool: PdfPool, tmp_path: Path) -> None:
    xml = path.read_bytes()
    check_rendered(xml, lang, render_pdf(xml, lang, pool=pool), tmp_path)


def test_pdf_is_pdfa3b_with_the_xml_as_source(pool: PdfPool) -> None:
    xml = (OWN / "no-b2b-kid.ehf.xml").read_bytes()
    pdf = render_pdf(xml, "nb", pool=pool)
    r = reader(pdf)
    xmp = r.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb'pdfaid:part="3"', xmp) and re.search(rb'pdfaid:conformance="B"', xmp)
    intent = r.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in str(intent["/OutputConditionIdentifier"])
    (spec,) = [a.get_object() for a in r.trailer["/Root"]["/AF"]]
    assert spec["/AFRelationship"] == "/Source" and spec["/F"] == "invoice.xml"  # ISO 19005-3 §6.8
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/xml"
    fonts = {str(f.get_object()["/BaseFont"]) for f in r.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("Nordubl-Sans" in f for f in fonts), fonts  # the bundled font, embedded


def test_same_input_same_bytes(pool: PdfPool) -> None:
    xml = (OWN / "se-b2b.peppol.xml").read_bytes()
    assert render_pdf(xml, "sv", pool=pool) == render_pdf(xml, "sv", pool=pool)
    assert TEMPLATE_VERSION


@pytest.mark.parametrize(
    ("lang", "title", "due", "date", "total"),
    [
        ("nb", "Faktura", "Å betale", "25.11.2026", "1 875,00 NOK"),
        ("da", "Faktura", "At betale", "25.11.2026", "1.875,00 NOK"),
        ("sv", "Faktura", "Att betala", "2026-11-25", "1 875,00 NOK"),
        ("en", "Invoice", "Amount due", "25/11/2026", "NOK 1,875.00"),
    ],
)
def test_labels_and_formats_follow_the_language(
    lang: Lang, title: str, due: str, date: str, total: str, pool: PdfPool
) -> None:
    pdf = render_pdf((OWN / "no-b2b-kid.ehf.xml").read_bytes(), lang, pool=pool)
    text = page_texts(pdf)[0]
    assert text.startswith("Fjellstua Kurs") and f" {title} " in text
    assert due in text and date in text and total in text
    assert "KID 1234567897" in text  # a valid MOD10 KID of a Norwegian seller, in every language
    assert reader(pdf).trailer["/Root"]["/Lang"] == lang


def test_norwegian_seller_shows_org_number_with_mva_and_register(pool: PdfPool) -> None:
    text = page_texts(render_pdf((OWN / "no-b2b-kid.ehf.xml").read_bytes(), "nb", pool=pool))[0]
    assert "Org.nr. 991 825 827 MVA" in text and "Foretaksregisteret" in text
    assert "KID 1234567897" in text and "1503.20.80119" in text  # KID (MOD10) and a Norwegian account


def test_danish_ean_invoice_shows_cvr_and_ean(pool: PdfPool) -> None:
    text = " ".join(page_texts(render_pdf((OWN / "dk-ean-public.oioubl.xml").read_bytes(), "da", pool=pool)))
    assert "EAN-nr. 5798009811578" in text and "FAKTURA TIL" in text  # headings are set in capitals
    assert "Org.nr. 991 825 827 MVA" in text  # the Norwegian seller's ZZZ legal id named by its 0192 id


def _png(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(out, "PNG")
    return out.getvalue()


def test_logo_is_embedded_from_a_data_uri(pool: PdfPool) -> None:
    xml = (OWN / "no-b2b-kid.ehf.xml").read_bytes()
    _, job = prepare(xml, "nb", _png(300, 80))
    result = pool.render(job)
    assert "data:image/png;base64" in result.requested and result.messages == []
    xobjects = reader(result.pdf).pages[0]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    without = page_texts(render_pdf(xml, "nb", pool=pool))[0]
    assert without.startswith("Fjellstua Kurs Fjellstua Kurs og Konferanse AS")  # the name as wordmark


@pytest.mark.parametrize(
    ("logo", "code"),
    [
        (b"GIF89a....", "input.logo"),
        (b"\x89PNG\r\n\x1a\nnot really", "input.logo"),
        (b"\xff\xd8\xff" * 500_000, "input.logo"),
    ],
)
def test_bad_logo_is_refused_before_rendering(logo: bytes, code: str) -> None:
    with pytest.raises(NordublError) as err:
        prepare((OWN / "no-b2b-kid.ehf.xml").read_bytes(), "nb", logo)
    assert err.value.issues[0].code == code


def test_unknown_language_is_refused() -> None:
    with pytest.raises(NordublError) as err:
        render_pdf((OWN / "no-b2b-kid.ehf.xml").read_bytes(), "de")
    assert (err.value.status, err.value.issues[0].code) == (400, "input.lang")
