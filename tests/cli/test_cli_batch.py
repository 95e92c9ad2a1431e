"""``nordubl validate PATH...`` over a folder and a zip with broken files: every file once, each with its
code; every reporter's output parsed back; exit codes; progress bar only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
#: The independent oracle, beside the checkout like the standards mirror.
ORACLE = ROOT.parent / "shared" / "tools" / "oracle.py"


def _mutate_amount(xml: str) -> str:
    """Change the first line's net amount so the totals no longer add up."""
    return re.sub(r"(<cbc:LineExtensionAmount[^>]*>)[^<]*<", r"\g<1>99999<", xml, count=1)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, standards_dir: Path) -> dict[str, Any]:
    """A folder and an archive; ``expected`` maps each reported name to its code (None = valid)."""
    base = tmp_path_factory.mktemp("batch")
    peppol = standards_dir / "peppol-2026.5/examples"
    folder = base / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "broken").mkdir()
    files = {
        "peppol-order.xml": (peppol / "order/UC1_Order.xml").read_bytes(),
        "ehf-order.xml": (standards_dir / "ehf-2023-02/examples/ordering-3.0/Order_Example.xml").read_bytes(),
        "sub/invoice.xml": (peppol / "billing/base-example.xml").read_bytes(),
        "sub/invoice-wrong-total.xml": (peppol / "billing/base-example.xml")
        .read_text("utf-8")
        .replace(
            '<cbc:LineExtensionAmount currencyID="EUR">1300<',
            '<cbc:LineExtensionAmount currencyID="EUR">1400<',
        )
        .encode(),
        "broken/empty.xml": b"",
        "broken/not-xml.xml": b"PK this is not XML at all",
        "broken/doctype.xml": b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e "x">]>\n<a>&e;</a>',
        "broken/not-ubl.xml": b"<html><body/></html>",
        "broken/bad-utf8.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<a>\xff\xfe</a>',
        "README.txt": b"not validated: folders are searched for *.xml",
    }
    for rel, data in files.items():
        (folder / rel).write_bytes(data)
    expected: dict[str, str | None] = {
        str(folder / "peppol-order.xml"): None,
        str(folder / "ehf-order.xml"): None,
        str(folder / "sub/invoice.xml"): None,
        str(folder / "sub/invoice-wrong-total.xml"): "BR-CO-10",
        str(folder / "broken/empty.xml"): "xml.empty",
        str(folder / "broken/not-xml.xml"): "xml.malformed",
        str(folder / "broken/doctype.xml"): "xml.doctype_forbidden",
        str(folder / "broken/not-ubl.xml"): "xml.not_ubl",
        str(folder / "broken/bad-utf8.xml"): "xml.encoding",
    }
    archive = base / "orders.zip"
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as zf:
        zf.writestr("deep.xml", files["peppol-order.xml"])
    uc3 = (peppol / "order/UC3_Order.xml").read_text("utf-8")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok/order.xml", uc3)
        zf.writestr("bad/order.xml", _mutate_amount(uc3))
        zf.writestr("nested.zip", nested.getvalue())
        zf.writestr("../evil.xml", files["broken/not-ubl.xml"])
        zf.writestr("notes.txt", "skipped")
    expected |= {
        f"{archive}!ok/order.xml": None,
        f"{archive}!bad/order.xml": "PEPPOL-T01-R008",
        f"{archive}!nested.zip": "input.zip_nested",
        f"{archive}!../evil.xml": "input.zip_traversal",
    }
    return {"folder": folder, "archive": archive, "expected": expected}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["validate", *argv], out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def json_run(batch: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    code, text = run("--jobs", "1", "--format", "json", str(batch["folder"]), str(batch["archive"]))
    return code, json.loads(text)


def test_every_file_is_reported_once_with_its_code(
    batch: dict[str, Any], json_run: tuple[int, list[dict[str, Any]]]
) -> None:
    code, reports = json_run
    assert code == 1
    names = Counter(r["file"] for r in reports)
    assert names == Counter(batch["expected"].keys())
    for r in reports:
        want = batch["expected"][r["file"]]
        fatal = {i["code"] for i in r["issues"] if i["severity"] in ("fatal", "error")}
        if want is None:
            assert r["valid"] and not fatal, r["file"]
        else:
            assert not r["valid"] and want in fatal, (r["file"], fatal)
        assert set(r) == {
            "file",
            "valid",
            "verdict",
            "ruleset",
            "release",
            "document",
            "counts",
            "stages",
            "issues",
        }
        assert r["verdict"] == ("valid" if want is None else "invalid")


def test_verdicts_agree_with_the_independent_oracle(
    batch: dict[str, Any], json_run: tuple[int, list[dict[str, Any]]]
) -> None:
    files = sorted(str(p) for p in batch["folder"].rglob("*.xml"))
    proc = subprocess.run(
        [sys.executable, str(ORACLE), *files, "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    oracle = {r["file"]: r["pass"] for r in json.loads(proc.stdout)}
    ours = {r["file"]: r["valid"] for r in json_run[1] if r["file"] in oracle}
    assert ours == oracle
    assert sum(oracle.values()) == 3


def test_text_lines_and_summary_on_stderr(batch: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run("--jobs", "1", str(batch["folder"]), str(batch["archive"]))
    err = capsys.readouterr().err
    assert code == 1
    line = re.compile(
        r"^(?P<file>.+?)(?::(?P<line>\d+))?: (?P<sev>fatal|error|warning) (?P<code>\S+) (?P<msg>.+)$"
    )
    seen: dict[str, set[str]] = {}
    for raw in text.splitlines():
        m = line.match(raw)
        assert m, raw
        seen.setdefault(m["file"], set()).add(m["code"])
    bad = {n: c for n, c in batch["expected"].items() if c is not None}
    assert {n: bad[n] in codes for n, codes in seen.items() if n in bad} == dict.fromkeys(bad, True)
    assert "13 files: 4 valid, 9 invalid, 0 unreadable" in err
    assert "\r" not in err  # stderr is not a terminal here: no progress bar


def test_junit_report_parses_and_counts(batch: dict[str, Any]) -> None:
    code, text = run("--jobs", "1", "--format", "junit", str(batch["folder"]), str(batch["archive"]))
    assert code == 1
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert Counter(c.get("name") for c in cases) == Counter(batch["expected"].keys())
    failing = {c.get("name"): (c[0].tag, c[0].get("type"), c[0].text or "") for c in cases if len(c)}
    for name, want in batch["expected"].items():
        if want is None:
            assert name not in failing
        else:
            tag, _first, body = failing[name]
            assert want in body
            assert tag == ("error" if want.startswith("input.") else "failure")
    assert int(suite.get("tests", "")) == len(cases) == 13
    assert int(suite.get("failures", "")) == sum(1 for t, _, _ in failing.values() if t == "failure") == 7
    assert int(suite.get("errors", "")) == sum(1 for t, _, _ in failing.values() if t == "error") == 2
    assert all(float(c.get("time", "x")) >= 0 for c in cases)


def test_summary_counts_verdicts_and_rule_ids(
    batch: dict[str, Any], json_run: tuple[int, list[dict[str, Any]]]
) -> None:
    code, text = run("--jobs", "1", "--format", "summary", str(batch["folder"]), str(batch["archive"]))
    assert code == 1
    verdicts_part, codes_part = text.strip().split("\n\n")
    verdicts = dict(line.split() for line in verdicts_part.splitlines()[1:])
    assert verdicts == {"valid": "4", "invalid": "9", "unreadable": "0", "total": "13"}
    rows = {}
    for line in codes_part.splitlines()[1:]:
        rule, severity, files, issues = line.rsplit(maxsplit=3)
        rows[rule.strip(), severity] = (int(files), int(issues))
    want_issues = Counter((i["code"], i["severity"]) for r in json_run[1] for i in r["issues"])
    want_files = Counter(k for r in json_run[1] for k in {(i["code"], i["severity"]) for i in r["issues"]})
    assert rows == {k: (want_files[k], n) for k, n in want_issues.items()}
    assert rows["BR-CO-10", "fatal"][0] == 1


def test_unreadable_input_exits_2_and_the_rest_is_still_validated(
    batch: dict[str, Any], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.xml"
    not_a_zip = tmp_path / "broken.zip"
    not_a_zip.write_bytes(b"no central directory here")
    good = batch["folder"] / "peppol-order.xml"
    code, text = run("--jobs", "1", str(good), str(missing), str(not_a_zip))
    assert code == 2
    assert f"{missing}: fatal input.unreadable" in text
    assert f"{not_a_zip}: fatal input.unreadable" in text
    assert str(good) not in text  # valid: nothing to say
    assert run("--jobs", "1", str(good))[0] == 0


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--jobs", "0", str(tmp_path))[0] == 2
    assert run("--format", "yaml", str(tmp_path))[0] == 2
    assert run(str(tmp_path))[0] == 2  # an empty folder: nothing was validated
    assert "no files to validate" in capsys.readouterr().err


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_subprocess_two_jobs_pipe_exit_code_and_progress_on_a_terminal(
    batch: dict[str, Any], json_run: tuple[int, list[dict[str, Any]]]
) -> None:
    cmd = [sys.executable, "-m", "app.cli", "validate", str(batch["folder"]), str(batch["archive"])]
    # piped: no progress bar, exit 1, and two workers give what one engine gave in-process
    proc = subprocess.run(
        [*cmd, "--jobs", "2", "--format", "json"], capture_output=True, env=_env(), timeout=300, check=False
    )
    assert proc.returncode == 1, proc.stderr
    assert b"\r" not in proc.stderr and b"files/s" not in proc.stderr
    pooled = {r["file"]: r for r in json.loads(proc.stdout)}
    assert pooled == {r["file"]: r for r in json_run[1]}
    # stderr on a terminal: the bar is drawn there (and erased), stdout stays clean
    primary, secondary = pty.openpty()
    with tempfile.TemporaryFile() as stdout:  # a file, not a pipe: nothing can fill up unread
        try:
            # the broken files and the archive: no invoice rules to compile for this one
            small = [str(batch["folder"] / "broken"), str(batch["archive"])]
            child = subprocess.Popen(
                [*cmd[:4], *small, "--jobs", "1", "--format", "json"],
                stdout=stdout,
                stderr=secondary,
                env=_env(),
            )
            os.close(secondary)
            tty = b""
            while True:
                try:
                    chunk = os.read(primary, 65536)
                except OSError:  # EIO once the child closed the terminal
                    break
                if not chunk:
                    break
                tty += chunk
            assert child.wait(timeout=300) == 1
        finally:
            os.close(primary)
        stdout.seek(0)
        assert len(json.loads(stdout.read())) == 9
    assert b"\r\x1b[K" in tty and b"files/s" in tty and b"/9" in tty


def test_text_lines_name_the_rule_set_and_broken_xml_is_invalid(
    batch: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = batch["folder"] / "sub/invoice-wrong-total.xml"
    broken = batch["folder"] / "broken/not-xml.xml"
    code, text = run("--jobs", "1", str(wrong), str(broken))
    assert code == 1  # broken XML is invalid, as on the page and in the API: exit 1, not 2
    assert "2 files: 0 valid, 2 invalid, 0 unreadable" in capsys.readouterr().err
    lines = text.splitlines()
    assert lines and all(
        f"{wrong}" in line and " [peppol-billing 2026.5] " in line
        for line in lines
        if line.startswith(str(wrong))
    )
    assert any(line.startswith(f"{broken}") and " xml.malformed [no rule set] " in line for line in lines)
    # a calculation rule shows the value found and the value expected
    (br_co_10,) = [line for line in lines if " BR-CO-10 " in line]
    assert "(found LineExtensionAmount 1400.00; expected sum of 2 InvoiceLine/LineExtensionAmount" in br_co_10
    assert "= 1300.00)" in br_co_10


def test_csv_report_names_the_rule_set_on_every_line_and_parses_back(
    batch: dict[str, Any], json_run: tuple[int, list[dict[str, Any]]]
) -> None:
    code, text = run("--jobs", "1", "--format", "csv", str(batch["folder"]), str(batch["archive"]))
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == [
        "file", "verdict", "ruleset", "release", "document", "severity", "code", "line", "xpath", "value",
        "found", "expected", "message", "hint",
    ]  # fmt: skip
    reports = {r["file"]: r for r in json_run[1]}
    assert len(rows) == sum(max(1, len(r["issues"])) for r in reports.values())
    for row in rows:
        report = reports[row["file"]]
        assert row["verdict"] == report["verdict"]
        assert (row["ruleset"], row["release"]) == (report["ruleset"] or "", report["release"] or "")
    wrong = [r for r in rows if r["code"] == "BR-CO-10"]
    assert wrong and wrong[0]["ruleset"] == "peppol-billing" and wrong[0]["release"] == "2026.5"
    assert wrong[0]["found"] == "LineExtensionAmount 1400.00" and wrong[0]["expected"].endswith("= 1300.00")
