"""The validation page in headless Chromium against a real server: 20 files (a zip and a broken file among
them) → a row per document with the engine's verdict, one file's issues, the JSON and CSV reports, a PDF."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from app.config import get_settings
from app.validation.engine import Engine

STD = get_settings().standards_dir
PEPPOL = STD / "peppol-2026.5" / "examples"
TIMEOUT_MS = 180_000


def wrong_total(data: bytes) -> bytes:
    """BR-CO-15: the amount with VAT no longer adds up."""
    start = data.index(b"<cbc:TaxInclusiveAmount")
    end = data.index(b"</cbc:TaxInclusiveAmount>", start)
    return data[:start] + b'<cbc:TaxInclusiveAmount currencyID="EUR">1.00' + data[end:]


def make_files(folder: Path) -> tuple[list[Path], dict[str, bytes]]:
    """20 files to choose: 16 official examples, one invalid invoice, one broken file, one file that is not
    UBL, and a zip of three documents. Returns the paths and every document's bytes by its row name."""
    billing = sorted((PEPPOL / "billing").glob("*.xml"))
    chosen = [*billing, PEPPOL / "billing-NO" / "Norwegian-example-1.xml"]
    chosen += (
        sorted((PEPPOL / "order").glob("*.xml"))[:3] + sorted((PEPPOL / "order-response").glob("*.xml"))[:2]
    )
    assert len(chosen) == 16
    documents: dict[str, bytes] = {}
    paths: list[Path] = []
    for src in chosen:
        documents[src.name] = src.read_bytes()
        paths.append(src)
    extra = {
        "wrong-total.xml": wrong_total((PEPPOL / "billing" / "base-example.xml").read_bytes()),
        "broken.xml": b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'><cbc:ID>",
        "not-ubl.xml": b"<?xml version='1.0'?><html><body>not an invoice</body></html>",
    }
    for name, data in extra.items():
        (folder / name).write_bytes(data)
        documents[name] = data
        paths.append(folder / name)
    inner = {
        "batch/vat-s.xml": (PEPPOL / "billing" / "Vat-category-S.xml").read_bytes(),
        "batch/order.xml": (PEPPOL / "order" / "Order_Example.xml").read_bytes(),
        "batch/wrong-credit.xml": wrong_total((PEPPOL / "billing" / "Allowance-example.xml").read_bytes()),
    }
    archive = folder / "archive.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in inner.items():
            zf.writestr(name, data)
            documents[f"archive.zip!{name}"] = data
    paths.append(archive)
    assert len(paths) == 20
    return paths, documents


def test_twenty_files_in_the_browser(
    live_server: str, browser: Browser, tmp_path: Path, artifacts: Path, validation_engine: Engine
) -> None:
    paths, documents = make_files(tmp_path)
    expected = {name: validation_engine.validate(data, name) for name, data in documents.items()}
    not_valid = sorted(n for n, r in expected.items() if not r.valid)
    assert not_valid == ["archive.zip!batch/wrong-credit.xml", "broken.xml", "not-ubl.xml", "wrong-total.xml"]

    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server}/validate")
        expect(page.locator("h1")).to_have_text("Validate UBL documents")
        # rows appear as soon as the upload is accepted, then fill in: count the waiting rows ever shown
        page.evaluate(
            """() => {
                window.pendingSeen = 0;
                new MutationObserver(() => {
                    const n = document.querySelectorAll("tr.row[data-verdict=pending]").length;
                    window.pendingSeen = Math.max(window.pendingSeen, n);
                }).observe(document.getElementById("rows"), { childList: true });
            }"""
        )
        page.set_input_files("#files", [str(p) for p in paths])
        expect(page.locator("#results")).to_have_attribute("data-state", "done", timeout=TIMEOUT_MS)
        assert page.evaluate("window.pendingSeen") == len(documents)

        rows = page.locator("tr.row")
        expect(rows).to_have_count(len(documents))
        seen: dict[str, str] = {}
        for i in range(rows.count()):
            row = rows.nth(i)
            name = row.locator("td.file").get_attribute("title") or ""
            seen[name] = row.get_attribute("data-valid") or ""
            report = expected[name]
            assert seen[name] == str(report.valid).lower(), name
            errors_cell = row.locator("td.num").nth(1).inner_text()
            assert int(errors_cell) == report.counts()["fatal"] + report.counts()["error"], name
            if report.ruleset:
                assert report.ruleset in row.inner_text()
        assert set(seen) == set(documents)
        assert page.locator("#count-valid").inner_text() == str(sum(r.valid for r in expected.values()))
        # broken XML is "invalid" here as in the CLI and the API (the report's verdict)
        broken = page.locator("tr.row[data-verdict=invalid]", has_text="broken.xml")
        expect(broken).to_have_count(1)
        assert page.locator("tr.row[data-verdict=unreadable]").count() == 0

        # one file's issues: rule, severity, line, message, hint
        invalid = page.locator("tr.row[data-verdict=invalid]", has_text="wrong-total.xml")
        invalid.locator(".details-toggle").click()
        detail = page.locator("tr.detail")
        expect(detail).to_have_count(1)
        br_co_15 = detail.locator("tr.issue[data-code='BR-CO-15']")
        expect(br_co_15).to_have_count(1)
        expect(br_co_15).to_contain_text("BT-112")
        expect(br_co_15.locator("td.hint")).to_contain_text("TaxInclusiveAmount must be")
        assert br_co_15.locator("td.num").inner_text().isdigit()
        page.screenshot(path=str(artifacts / "validation-page.png"), full_page=True)

        # the JSON report, as downloaded
        with page.expect_download() as info:
            page.click("#download-json")
        download = info.value
        assert download.suggested_filename == "nordubl-report.json"
        report_json = json.loads(Path(download.path()).read_text("utf-8"))
        assert [r["file"] for r in report_json] == list(seen)
        for r in report_json:
            want = expected[r["file"]].as_dict()
            assert (r["valid"], r["ruleset"], r["counts"]) == (want["valid"], want["ruleset"], want["counts"])
            assert [i["code"] for i in r["issues"]] == [i["code"] for i in want["issues"]]

        # the CSV report: one line per issue (one for a file without issues)
        with page.expect_download() as info:
            page.click("#download-csv")
        text = Path(info.value.path()).read_text("utf-8-sig")
        lines = list(csv.DictReader(io.StringIO(text)))
        assert len(lines) == sum(max(1, len(r.issues)) for r in expected.values())
        assert {line["code"] for line in lines if line["file"] == "wrong-total.xml"} >= {"BR-CO-15"}

        # a PDF of a valid invoice chosen as a file (POST /v1/render)
        valid_invoice = page.locator("tr.row[data-valid=true]", has_text="base-example.xml").first
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            valid_invoice.locator("button.pdf").click()
        pdf = Path(info.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF-") and info.value.suggested_filename == "base-example.pdf"
        assert page.locator("tr.row[data-valid=false] button.pdf").count() == 0
        assert page.locator("#problem").is_hidden()
        assert errors == []
    finally:
        context.close()


def test_the_page_speaks_norwegian_and_danish(live_server: str, browser: Browser) -> None:
    context = browser.new_context(locale="da-DK", extra_http_headers={"Accept-Language": "da-DK,da;q=0.9"})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/")
        expect(page.locator("h1")).to_have_text("Valider UBL-dokumenter")
        expect(page.locator("label[for=files]")).to_have_text("Vælg filer")
        page.click("nav.langs a[hreflang=nb]")
        expect(page.locator("label[for=files]")).to_have_text("Velg filer")
        assert page.locator("html").get_attribute("lang") == "nb"
    finally:
        context.close()


def test_a_refused_upload_shows_the_problem(live_server: str, browser: Browser, tmp_path: Path) -> None:
    bad = tmp_path / "hostile.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../escape.xml", "<a/>")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_server}/?lang=en")
        page.set_input_files("#files", [str(bad)])
        problem = page.locator("#problem")
        expect(problem).to_be_visible(timeout=TIMEOUT_MS)
        expect(problem).to_contain_text("input.zip_traversal")
        assert problem.get_attribute("data-status") == "422"
    finally:
        context.close()


DOCS = Path(__file__).resolve().parents[2] / "docs"
NO_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


def _files_for_filter(folder: Path) -> list[Path]:
    """A valid invoice, one with a warning, an invalid one, broken XML and a zip with a valid invoice."""
    (folder / "wrong-total.xml").write_bytes(
        wrong_total((PEPPOL / "billing" / "base-example.xml").read_bytes())
    )
    (folder / "broken.xml").write_bytes(
        b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>"
    )
    archive = folder / "invoices.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2026/vat-s.xml", (PEPPOL / "billing" / "Vat-category-S.xml").read_bytes())
        zf.writestr(
            "2026/wrong.xml", wrong_total((PEPPOL / "billing" / "Allowance-example.xml").read_bytes())
        )
    return [
        PEPPOL / "billing" / "base-example.xml",
        PEPPOL / "billing-NO" / "Norwegian-example-1.xml",
        folder / "wrong-total.xml",
        folder / "broken.xml",
        archive,
    ]


def _visible_rows(page: Page) -> list[str]:
    rows = page.locator("tr.row:visible td.file")
    return sorted(rows.nth(i).get_attribute("title") or "" for i in range(rows.count()))


def test_filter_narrow_layout_and_pdf_of_a_zip_entry(
    live_server: str, browser: Browser, tmp_path: Path, validation_engine: Engine
) -> None:
    paths = _files_for_filter(tmp_path)
    names = {
        "base-example.xml",
        "Norwegian-example-1.xml",
        "wrong-total.xml",
        "broken.xml",
        "invoices.zip!2026/vat-s.xml",
        "invoices.zip!2026/wrong.xml",
    }
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(
            accept_downloads=True, viewport={"width": width, "height": height}, locale="en-GB"
        )
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, seen=errors: seen.append(str(exc)))
            page.goto(f"{live_server}/validate?lang=en")
            assert page.evaluate(NO_SCROLL), width
            page.set_input_files("#files", [str(p) for p in paths])
            expect(page.locator("#results")).to_have_attribute("data-state", "done", timeout=TIMEOUT_MS)
            assert set(_visible_rows(page)) == names
            assert page.evaluate(NO_SCROLL), f"horizontal scroll at {width} px"

            # the filter hides the rows that do not match, and shows them again
            page.click(".filter-button[data-filter=invalid]")
            invalid = {"wrong-total.xml", "broken.xml", "invoices.zip!2026/wrong.xml"}
            assert set(_visible_rows(page)) == invalid
            page.click(".filter-button[data-filter=warnings]")
            assert _visible_rows(page) == ["Norwegian-example-1.xml"]
            page.click(".filter-button[data-filter=all]")
            assert set(_visible_rows(page)) == names

            # the details name the rule set, and BR-CO-15 its values found and expected
            row = page.locator("tr.row", has_text="wrong-total.xml")
            row.locator(".details-toggle").click()
            detail = page.locator("tr.detail")
            expect(detail.locator(".applied")).to_have_text("Checked with peppol-billing 2026.5")
            issue = detail.locator("tr.issue[data-code='BR-CO-15']")
            expect(issue.locator(".found")).to_contain_text("TaxInclusiveAmount 1.00")
            expect(issue.locator(".expected")).to_contain_text("= 1656.25")
            assert page.evaluate(NO_SCROLL), f"horizontal scroll at {width} px with the details open"
            if width < 700:  # cards: the verdict of every row is on screen, labelled
                verdict = page.locator("tr.row", has_text="broken.xml").locator("td.verdict")
                box = verdict.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
                label = verdict.evaluate("td => getComputedStyle(td, '::before').content")
                assert "Result" in label
            page.screenshot(path=str(DOCS / f"validation-page-{width}.png"), full_page=False)

            # a valid invoice inside a zip archive gets its PDF; the invalid entry gets no button
            entry = page.locator("tr.row", has_text="2026/vat-s.xml")
            with page.expect_download(timeout=TIMEOUT_MS) as info:
                entry.locator("button.pdf").click()
            assert Path(info.value.path()).read_bytes().startswith(b"%PDF-")
            assert info.value.suggested_filename == "vat-s.pdf"
            assert page.locator("tr.row", has_text="2026/wrong.xml").locator("button.pdf").count() == 0
            assert page.locator("#problem").is_hidden()
            assert errors == []
        finally:
            context.close()
