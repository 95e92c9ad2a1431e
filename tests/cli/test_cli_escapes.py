"""Issue 18 (12): file names and zip entry names with escape sequences and line breaks are shown escaped in
every output of ``nordubl validate``; a name cannot clear the screen nor print a forged "1 files, 1 valid"."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from lxml import etree

from app.cli import main

#: What an attacker names an entry: clear the screen, then a line of its own.
FORGED = "a\x1b[2J\n1 files, 1 valid.xml"
#: A C1 CSI (U+009B), a bidi override and a line separator.
SNEAKY = "b\x9b2J\u202egnp\u2028x.xml"
BROKEN = b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'><unclosed>"
#: What a terminal acts on: C0 controls (but none here is allowed, not even LF inside a line), DEL, C1,
#: bidi formatting, line and paragraph separators.
DISPLAY_CONTROLS = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("escapes")
    archive = base / "in.zip"
    long = "n" * 300 + ".xml"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(FORGED, BROKEN)
        zf.writestr(SNEAKY, BROKEN)
        zf.writestr(long, BROKEN)
    on_disk = base / "c\x1b]0;title\x07\nd.xml"  # a file name on disk may hold them too
    on_disk.write_bytes(BROKEN)
    names = [f"{archive}!{FORGED}", f"{archive}!{SNEAKY}", f"{archive}!{long[:255]}", str(on_disk)]
    return {"paths": [str(archive), str(on_disk)], "names": names}


def run(fmt: str, paths: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main(["validate", "--jobs", "1", "--format", fmt, *paths], out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_text_output_escapes_the_names(inputs: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("text", inputs["paths"], capsys)
    assert code == 1
    for text in (out, err):
        assert not DISPLAY_CONTROLS.search(text), repr(text)
    lines = out.splitlines()
    assert len(lines) == 4, lines  # one issue per input, each on one line
    assert not any(line.startswith("1 files") for line in out.splitlines() + err.splitlines())
    archive = inputs["paths"][0]
    assert lines[0].startswith(f"{archive}!a\\x1b[2J\\n1 files, 1 valid.xml:") and "xml.malformed" in lines[0]
    assert lines[1].startswith(f"{archive}!b\\x9b2J\\u202egnp\\u2028x.xml:")
    assert lines[2].startswith(f"{archive}!{'n' * 255}:")
    assert lines[3].startswith(
        inputs["paths"][1].replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\n", "\\n")
    )
    assert err.strip().splitlines()[-1].startswith("nordubl validate: 4 files: 0 valid, 4 invalid")


def test_json_and_junit_escape_them_and_keep_the_names(
    inputs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run("json", inputs["paths"], capsys)
    assert not DISPLAY_CONTROLS.search(out.replace("\n", "")), repr(out)
    assert [r["file"] for r in json.loads(out)] == inputs["names"]  # the escapes decode to the names

    _, out, _ = run("junit", inputs["paths"], capsys)
    assert not DISPLAY_CONTROLS.search(out.replace("\n", "")), repr(out)
    cases = etree.fromstring(out.encode()).findall("testsuite/testcase")
    # XML 1.0 cannot carry ESC or BEL (§2.2): those become U+FFFD; the rest are character references
    got = [c.get("name") for c in cases]
    want = [re.sub("[\x1b\x07]", "\ufffd", n) for n in inputs["names"]]
    assert got == want
    for case in cases:
        assert not DISPLAY_CONTROLS.search(case[0].text or "")  # the issue lines of the failure

    _, out, _ = run("summary", inputs["paths"], capsys)
    assert not DISPLAY_CONTROLS.search(out.replace("\n", ""))
