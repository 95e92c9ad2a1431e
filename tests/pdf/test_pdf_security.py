"""Hostile input: document text never becomes markup, CSS or a URL; the renderer reaches nothing but data:
URIs and its own bundled files; limits of lines, time and memory end a render with a coded error while the
caller, and the pool, keep working. A canary file proves that no local file reaches the PDF."""

from __future__ import annotations

import copy
import os
import socket
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from jinja2.exceptions import SecurityError
from lxml import etree
from pdfcheck import OWN, attachments, flat, page_texts, reader

from app.config import get_settings
from app.errors import NordublError
from app.pdf import render_pdf
from app.pdf.engine import write_pdf
from app.pdf.fetcher import ASSETS, BASE_URL, MAX_DATA_BYTES, BundleFetcher, RefusedURL
from app.pdf.html import environment
from app.pdf.render import prepare
from app.pdf.worker import PdfPool

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
BASE = OWN / "no-b2b-kid.ehf.xml"


@pytest.fixture()
def canary(tmp_path: Path) -> dict[str, Any]:
    """Local files a hostile document points at; their content must never reach a PDF."""
    secret = f"CANARY{uuid.uuid4().hex}"
    files = {
        "txt": tmp_path / "canary.txt",
        "css": tmp_path / "canary.css",
        "svg": tmp_path / "canary.svg",
    }
    files["txt"].write_text(secret)
    files["css"].write_text(f'body::before {{ content: "{secret}"; }}')
    files["svg"].write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><text y="20">{secret}</text></svg>')
    return {"secret": secret, **{k: v.as_uri() for k, v in files.items()}}


# -- the fetcher ------------------------------------------------------------------------------------------


def test_fetcher_serves_data_uris_and_bundled_files() -> None:
    f = BundleFetcher()
    assert f.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    assert f.fetch("data:text/plain,h%C3%A9").read() == "hé".encode()
    css = f.fetch(urljoin(BASE_URL, "invoice.css"))
    assert css.content_type == "text/css" and b"@font-face" in css.read()
    assert f.fetch(urljoin(BASE_URL, "fonts/Inter-Regular.otf")).read()[:4] == b"OTTO"
    assert f.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        urljoin(BASE_URL, "../../../../../etc/passwd"),
        urljoin(BASE_URL, "../render.py"),
        urljoin(BASE_URL, "missing.css"),
        "file://example.com" + str(ASSETS / "invoice.css"),
        "http://127.0.0.1:9/x.css",
        "https://example.invalid/x.png",
        "ftp://example.invalid/x",
        "gopher://example.invalid/",
        "javascript:alert(1)",
        "invoice.css",
        "data:text/plain",
        "data:image/png;base64," + "A" * (MAX_DATA_BYTES * 4 // 3 + 8),
    ],
)
def test_fetcher_refuses_everything_else(url: str) -> None:
    f = BundleFetcher()
    with pytest.raises(RefusedURL):
        f.fetch(url)
    assert len(f.refused) == 1 and len(f.requested) == 1


def test_fetcher_refuses_a_symlink_out_of_the_bundle(canary: dict[str, Any]) -> None:
    link = ASSETS / f"link-{uuid.uuid4().hex}.css"
    link.symlink_to(Path(canary["css"].removeprefix("file://")))
    try:
        with pytest.raises(RefusedURL):
            BundleFetcher().fetch(link.as_uri())
    finally:
        link.unlink()


def test_template_environment_is_sandboxed_and_autoescapes() -> None:
    env = environment()
    assert env.is_safe_callable is not None and env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(SecurityError, match="unsafe"):
        env.from_string("{{ x.__class__.__mro__ }}").render(x="")


# -- WeasyPrint behind the fetcher, in this process: markup that did get through still fetches nothing -----


@pytest.mark.parametrize(
    "body",
    [
        '<link rel="attachment" href="{txt}">',
        '<style>@import url("{css}");</style>',
        '<div style="background: url({svg})">x</div>',
        '<img src="{svg}">',
        '<img src="http://127.0.0.1:9/pixel.png">',
        '<link rel="stylesheet" href="https://example.invalid/x.css">',
    ],
)
def test_hostile_markup_stops_the_render(
    body: str, canary: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    connects: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: connects.append(addr))
    html = f'<html><head><link rel="stylesheet" href="invoice.css"></head><body>{body.format(**canary)}</body></html>'
    with pytest.raises(RefusedURL):
        write_pdf(html, b"<x/>", "invoice.xml", datetime(2026, 1, 1))
    assert connects == []  # nothing reached the network


# -- a hostile document through render_pdf ------------------------------------------------------------------


def hostile_document(canary: dict[str, Any], lines: int = 1) -> bytes:
    root = etree.parse(str(BASE)).getroot()

    def put(path: str, text: str) -> None:
        node = root.find(path, NS)
        assert node is not None, path
        node.text = text

    put(
        "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name",
        f"</style><style>@import url({canary['css']});</style>Evil AS",
    )
    put(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name",
        f'<link rel="attachment" href="{canary["txt"]}">Seller',
    )
    put("cbc:BuyerReference", "R" * 10_000)
    put(
        "cac:InvoiceLine/cac:Item/cbc:Name",
        f'<script>alert(1)</script><img src="{canary["svg"]}"> url({canary["svg"]})',
    )
    put("cac:PaymentTerms/cbc:Note", "lang tekst " * 1_000)  # 10,000 characters with spaces
    line = root.find("cac:InvoiceLine", NS)
    assert line is not None
    note = etree.SubElement(root, f"{{{NS['cbc']}}}Note")
    note.text = "x" * 10_000  # one unbreakable 10,000-character word
    root.remove(note)
    root.insert(list(root).index(root.find("cbc:DocumentCurrencyCode", NS)), note)
    for i in range(2, lines + 1):
        extra = copy.deepcopy(line)
        extra.find("cbc:ID", NS).text = str(i)  # type: ignore[union-attr]
        root.append(extra)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_hostile_document_renders_as_plain_text(canary: dict[str, Any], pool: PdfPool) -> None:
    xml = hostile_document(canary)
    _, job = prepare(xml, "nb")
    result = pool.render(job)
    assert result.messages == []
    # only bundled files and data: URIs were asked for: nothing named by the document, no network
    assert all(u.startswith((BASE_URL, "data:")) for u in result.requested), result.requested
    assert not [u for u in result.requested if "canary" in u]
    texts = page_texts(result.pdf)
    text = " ".join(texts)
    assert canary["secret"] not in text
    assert "@importurl(file:" in text.replace(" ", "")  # the CSS in a name printed as text
    assert "<script>alert(1)</script>" in text.replace(" ", "")
    files = attachments(result.pdf)
    assert files == {"invoice.xml": [xml]}  # no attachment from document text
    assert (
        canary["secret"].encode() not in files["invoice.xml"][0]
    )  # the XML names the canary, never holds it
    assert len(texts) >= 2  # the 10,000-character texts flowed over pages instead of overflowing
    for page in reader(result.pdf).pages:  # and stayed inside the A4 page
        assert float(page.mediabox.width) < 600 and float(page.mediabox.height) < 850


def _lines_xml(n: int) -> bytes:
    root = etree.parse(str(OWN / "no-b2b-200-lines.ehf.xml")).getroot()
    lines = root.findall("cac:InvoiceLine", NS)
    for ln in lines:
        root.remove(ln)
    for i in range(n):
        ln = copy.deepcopy(lines[i % len(lines)])
        ln.find("cbc:ID", NS).text = str(i + 1)  # type: ignore[union-attr]
        root.append(ln)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_too_many_lines_is_refused_before_rendering() -> None:
    with pytest.raises(NordublError) as err:
        render_pdf(_lines_xml(5_000), "nb")
    assert (err.value.status, err.value.issues[0].code) == (413, "pdf.too_large")


@pytest.fixture()
def no_line_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings().model_copy(update={"pdf_max_lines": 100_000})
    monkeypatch.setattr("app.pdf.render.get_settings", lambda: settings)


@pytest.mark.usefixtures("no_line_limit")
def test_time_cap_kills_the_render_and_the_pool_carries_on() -> None:
    pool = PdfPool(workers=1, timeout=1.5)
    try:
        pool.warm()
        (first,) = pool.idle_pids()
        with pytest.raises(NordublError) as err:
            render_pdf(_lines_xml(5_000), "nb", pool=pool)
        assert (err.value.status, err.value.issues[0].code) == (422, "pdf.timeout")
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)  # the worker was killed, not left running
        # a new worker takes the next job; it gets all the time it needs (a loaded machine may take
        # longer than the cap set for the 5,000 lines)
        pool.timeout = 600
        pdf = render_pdf(BASE.read_bytes(), "nb", pool=pool)
        assert "2026-0042" in page_texts(pdf)[0]
        assert pool.outcomes == ["timeout", "ok"]
    finally:
        pool.close()


def _peak_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmPeak")


@pytest.mark.usefixtures("no_line_limit")
def test_memory_cap_ends_the_render_and_the_pool_carries_on(pool: PdfPool) -> None:
    probe = PdfPool(workers=1)
    probe.warm()
    render_pdf(BASE.read_bytes(), "nb", pool=probe)
    peak = _peak_mb(probe.idle_pids()[0])  # what a warm worker needs for a one-page invoice
    probe.close()
    # 2,000 lines need some 250 MB more than a one-page invoice: far beyond a cap 24 MB above the peak
    capped = PdfPool(workers=1, timeout=120, memory_mb=peak + 24)
    try:
        with pytest.raises(NordublError) as err:
            render_pdf(_lines_xml(2_000), "nb", pool=capped)
        assert (err.value.status, err.value.issues[0].code) == (413, "pdf.too_large")
        assert capped.outcomes == ["memory"]
        pdf = render_pdf(BASE.read_bytes(), "nb", pool=capped)
        assert "2026-0042" in page_texts(pdf)[0]
    finally:
        capped.close()
    assert "2026-0042" in flat(" ".join(page_texts(render_pdf(BASE.read_bytes(), "nb", pool=pool))))


def test_a_document_that_is_not_an_invoice_is_refused(pool: PdfPool) -> None:
    with pytest.raises(NordublError) as err:
        render_pdf(b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>", "nb", pool=pool)
    assert err.value.issues[0].code == "reader.unsupported"
