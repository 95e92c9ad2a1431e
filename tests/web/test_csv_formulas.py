"""Issue 18 (9): the CSV report of the validation page never lets a spreadsheet read a cell as a formula,
whether it splits the line at ``,`` (as written) or at ``;`` (a semicolon locale), OWASP "CSV injection"."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Route, expect

#: Cell texts a spreadsheet would read as a formula (at the start, or after a separator inside the text),
#: and the text the report keeps: a ' before each formula character that starts a cell for some reader.
HOSTILE = {
    "x;=cmd|' /C calc'!A0": "x;'=cmd|' /C calc'!A0",
    "=1+2": "'=1+2",
    "+1": "'+1",
    "-1": "'-1",
    "@SUM(A1)": "'@SUM(A1)",
    "\tx": "'\tx",
    "\rx": "'\rx",
    "a,=1+2": "a,'=1+2",
    'a";=1+2': "a\";'=1+2",
    "ok; @x": "ok; '@x",
    "line\n=1": "line\n'=1",
    "x\t\t-1": "x\t'\t'-1",
    "O'Brien, 12.50": "O'Brien, 12.50",
}
#: Characters that start a formula (OWASP): = + - @ tab CR.
STARTS = ("=", "+", "-", "@", "\t", "\r")


def fake_job(values: list[str]) -> dict[str, Any]:
    """A finished batch job whose one report carries each hostile text as an issue's value and message."""
    issues = [
        {"code": f"T-{n}", "severity": "error", "message": v, "value": v, "hint": v, "xpath": "/Invoice"}
        for n, v in enumerate(values)
    ]
    row = {
        "index": 0,
        "file": "x;=cmd|' /C calc'!A0.xml",
        "entry": "x;=cmd|' /C calc'!A0.xml",
        "archive": None,
        "valid": False,
        "ruleset": '=HYPERLINK("http://evil")',
        "release": "2026.5",
        "document": "Invoice",
        "counts": {"fatal": 0, "error": len(issues), "warning": 0},
        "stages": [{"name": "xsd", "status": "failed"}],
        "issues": issues,
    }
    return {"id": "job-1", "status": "done", "total": 1, "done": 1, "names": [row["file"]], "files": [row]}


def cells(text: str, delimiter: str) -> list[str]:
    """Every cell of the report as a reader splitting at ``delimiter`` (quotes honoured) sees it."""
    return [cell for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in line]


def test_no_cell_of_the_csv_report_starts_a_formula(
    live_server: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        def answer(route: Route) -> None:
            route.fulfill(
                status=200, content_type="application/json", body=json.dumps(fake_job(list(HOSTILE)))
            )

        page.route("**/v1/validate/batch", answer)
        page.goto(f"{live_server}/?lang=en")
        upload = tmp_path / "x.xml"
        upload.write_bytes(b"<Invoice/>")
        page.set_input_files("#files", [str(upload)])
        expect(page.locator("#results")).to_have_attribute("data-state", "done", timeout=180_000)
        with page.expect_download() as info:
            page.click("#download-csv")
        text = Path(info.value.path()).read_bytes().decode("utf-8-sig")  # no newline translation
        assert errors == []
    finally:
        context.close()

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(HOSTILE)
    # read as written (","): each value is kept, a ' before each formula character that starts a cell
    for row, kept in zip(rows, HOSTILE.values(), strict=True):
        assert (row["value"], row["message"], row["hint"]) == (kept, kept, kept), row
    assert rows[0]["file"] == "x;'=cmd|' /C calc'!A0.xml"
    assert rows[0]["ruleset"] == '\'=HYPERLINK("http://evil")'
    # read by readers that split at ";" or at tabs (quotes honoured, as spreadsheets do): no cell starts
    # a formula, the case of the issue included
    for delimiter in (",", ";", "\t"):
        bad = [c for c in cells(text, delimiter) if c.startswith(STARTS)]
        assert bad == [], (delimiter, bad)
    assert any(c.startswith("'=cmd|' /C calc'!A0") for c in cells(text, ";"))


def test_a_nordic_csv_report_uses_semicolons_and_its_language(
    live_server: str, browser: Browser, tmp_path: Path
) -> None:
    """nb: ``;`` between fields (Norwegian spreadsheets read ``,`` as the decimal separator), translated
    headers, document type, severity and hints of ours; the official rule text as published, formula-safe."""
    from app.validation.hints import HINTS

    job = fake_job(["=1+2"])
    job["files"][0]["issues"].append(
        {"code": "BR-CO-15", "severity": "error", "message": "[BR-CO-15]-Invoice total amount with VAT",
         "value": None, "hint": HINTS["BR-CO-15"], "xpath": "/Invoice"}
    )  # fmt: skip
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.route(
            "**/v1/validate/batch",
            lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(job)),
        )
        page.goto(f"{live_server}/?lang=nb")
        upload = tmp_path / "x.xml"
        upload.write_bytes(b"<Invoice/>")
        page.set_input_files("#files", [str(upload)])
        expect(page.locator("#results")).to_have_attribute("data-state", "done", timeout=30_000)
        expect(page.locator("tr.row td").nth(3)).to_have_text("Faktura")
        with page.expect_download() as info:
            page.click("#download-csv")
        text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    finally:
        context.close()

    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert list(rows[0]) == [
        "fil", "gyldig", "regelsett", "versjon", "dokument", "alvorlighet", "regel", "linje", "XPath", "verdi",
        "melding (offisiell tekst)", "slik retter du det", "funnet", "forventet",
    ]  # fmt: skip
    assert [(r["gyldig"], r["dokument"], r["alvorlighet"]) for r in rows] == [("nei", "Faktura", "feil")] * 2
    assert rows[0]["verdi"] == "'=1+2"  # still formula-safe
    assert rows[1]["melding (offisiell tekst)"] == "[BR-CO-15]-Invoice total amount with VAT"
    assert rows[1]["slik retter du det"] == "TaxInclusiveAmount må være TaxExclusiveAmount + mva-totalen."
