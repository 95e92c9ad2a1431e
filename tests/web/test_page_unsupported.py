"""The validation page in headless Chromium: a document no installed rule set checks reads "Not supported"
(not valid, as the CLI and the API say), a Peppol invoice beside it "Valid"."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from app.config import get_settings

STD = get_settings().standards_dir
TIMEOUT_MS = 180_000
PEPPOL_ID = b"urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
# the CustomizationID of phax/phive-rules test-files xrechnung 3.0.0/ubl-inv/01.01a-INVOICE_ubl.xml
XRECHNUNG_ID = b"urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


def test_unsupported_document_reads_not_supported(live_server: str, browser: Browser, tmp_path: Path) -> None:
    peppol = (STD / "peppol-2026.5" / "examples" / "billing" / "base-example.xml").read_bytes()
    assert PEPPOL_ID in peppol
    files = {"peppol.xml": peppol, "xrechnung.xml": peppol.replace(PEPPOL_ID, XRECHNUNG_ID)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server}/validate")
        page.set_input_files("#files", [str(tmp_path / n) for n in files])
        expect(page.locator("#results")).to_have_attribute("data-state", "done", timeout=TIMEOUT_MS)
        row = page.locator("tr.row", has_text="xrechnung.xml")
        expect(row).to_have_attribute("data-valid", "false")
        expect(row).to_have_attribute("data-verdict", "invalid")
        expect(row.locator(".badge")).to_have_text("Not supported")
        valid = page.locator("tr.row", has_text="peppol.xml")
        expect(valid.locator(".badge")).to_have_text("Valid")
        row.locator(".details-toggle").click()
        issue = page.locator("tr.detail tr.issue[data-code='ruleset.unsupported']")
        expect(issue).to_have_count(1)
        expect(issue).to_contain_text("XRechnung 3.0 (Germany)")
        assert errors == []
    finally:
        context.close()
