"""The hardened Saxon processor reads no file a document names; a rule stage that cannot run fails the report.

Each probe stylesheet reads the ``file:`` URI given in its input document. The hardened processor
(:func:`app.validation.engine.new_processor`, :func:`app.validation.jvm.new_processor`) must refuse or
answer empty; a plain processor (the control) must read the canary, so each probe is shown able to fail.
Every test runs on both engines, saxonche and jvm (the jvm one skips where no Java runtime is installed).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from saxonche import PySaxonProcessor

from app.validation import jvm
from app.validation.engine import Engine, new_processor

ENGINES = ["saxonche", "jvm"]

CANARY_TEXT = "CANARY-5d21e0-the-file-was-read"

#: XPath expressions reading the URIs in the input document (``/r/text``: a text file, ``/r/xml``: an
#: XML file, ``/r/dir``: a folder collection selecting the canary).
PROBES = {
    "unparsed-text": "unparsed-text(string(/r/text))",
    "unparsed-text-lines": "string-join(unparsed-text-lines(string(/r/text)), ' ')",
    "unparsed-text-available": "if (unparsed-text-available(string(/r/text))) then unparsed-text(string(/r/text)) else ''",
    "doc": "string(doc(string(/r/xml)))",
    "doc-available": "if (doc-available(string(/r/xml))) then string(doc(string(/r/xml))) else ''",
    "document": "string(document(string(/r/xml)))",
    "collection": "string-join(for $d in collection(string(/r/dir)) return string($d), ' ')",
    "json-doc": "string(json-doc(string(/r/json))?secret)",
}


def _stylesheet(expr: str) -> str:
    return (
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text"/>'
        f'<xsl:template match="/"><xsl:value-of select="{expr}"/></xsl:template>'
        "</xsl:stylesheet>"
    )


@pytest.fixture(scope="module")
def canary_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("canary")
    (folder / "canary.txt").write_text(CANARY_TEXT + "\n", encoding="utf-8")
    (folder / "canary.xml").write_text(f"<secret>{CANARY_TEXT}</secret>", encoding="utf-8")
    (folder / "canary.json").write_text(f'{{"secret": "{CANARY_TEXT}"}}', encoding="utf-8")
    return folder


def _input(folder: Path) -> str:
    return (
        f"<r><text>{(folder / 'canary.txt').as_uri()}</text><xml>{(folder / 'canary.xml').as_uri()}</xml>"
        f"<json>{(folder / 'canary.json').as_uri()}</json>"
        f"<dir>{folder.as_uri()}/?select=canary.xml</dir></r>"
    )


class Saxonche:
    """The saxonche engine's processor, stylesheet and parser calls."""

    engine = Engine

    @staticmethod
    def processor(hardened: bool) -> Any:
        return new_processor() if hardened else PySaxonProcessor(license=False)

    @staticmethod
    def compile(proc: Any, text: str) -> Any:
        return proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=text)

    @staticmethod
    def parse(proc: Any, text: str) -> Any:
        return proc.parse_xml(xml_text=text)

    @staticmethod
    def transform(xslt: Any, node: Any) -> str | None:
        out: str | None = xslt.transform_to_string(xdm_node=node)
        return out


class Jvm:
    """The same calls on Saxon-HE under the JVM (app/validation/jvm.py)."""

    engine = jvm.JvmEngine

    @staticmethod
    def processor(hardened: bool) -> Any:
        return jvm.new_processor(hardened)

    @staticmethod
    def compile(proc: Any, text: str) -> Any:
        return jvm.compile_text(proc, text)

    @staticmethod
    def parse(proc: Any, text: str) -> Any:
        return jvm.parse(proc, text.encode("utf-8"))

    @staticmethod
    def transform(xslt: Any, node: Any) -> str | None:
        return jvm.transform_to_string(xslt, node)


@pytest.fixture(scope="module", params=ENGINES)
def saxon(request: pytest.FixtureRequest) -> Any:
    if request.param == "jvm":
        request.getfixturevalue("jvm_engine")  # skips where no Java runtime is installed
        return Jvm
    return Saxonche


def _run(saxon: Any, proc: Any, expr: str, folder: Path) -> tuple[str | None, str | None]:
    """(output, error text) of the probe on the canary input."""
    try:
        xslt = saxon.compile(proc, _stylesheet(expr))
        node = saxon.parse(proc, _input(folder))
        return saxon.transform(xslt, node), None
    except Exception as exc:  # Saxon's own error type: the call was refused
        return None, str(exc)


@pytest.fixture(scope="module")
def hardened(saxon: Any) -> Any:
    return saxon.processor(True)


@pytest.fixture(scope="module")
def plain(saxon: Any) -> Any:
    return saxon.processor(False)


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_hardened_processor_refuses_file_access(
    probe: str, saxon: Any, hardened: Any, canary_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out, error = _run(saxon, hardened, PROBES[probe], canary_dir)
    assert error is not None or not (out or "").strip(), out
    assert CANARY_TEXT not in (out or "") + (error or "")
    captured = capfd.readouterr()
    assert CANARY_TEXT not in captured.out + captured.err


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_control_plain_processor_reads_the_canary(
    probe: str, saxon: Any, plain: Any, canary_dir: Path
) -> None:
    out, error = _run(saxon, plain, PROBES[probe], canary_dir)
    assert error is None, error
    assert CANARY_TEXT in (out or "")


DOCTYPE_INPUT = '<!DOCTYPE r [<!ENTITY x SYSTEM "{uri}">]><r>&x;</r>'


def test_hardened_parser_refuses_a_doctype(saxon: Any, hardened: Any, canary_dir: Path) -> None:
    with pytest.raises(Exception, match="DOCTYPE is disallowed") as err:
        saxon.parse(hardened, DOCTYPE_INPUT.format(uri=(canary_dir / "canary.txt").as_uri()))
    assert CANARY_TEXT not in str(err.value)


def test_control_plain_parser_expands_the_entity(saxon: Any, plain: Any, canary_dir: Path) -> None:
    node = saxon.parse(plain, DOCTYPE_INPUT.format(uri=(canary_dir / "canary.txt").as_uri()))
    assert CANARY_TEXT in str(node)


# -- a stage that cannot run fails the report ----------------------------------------------------

ORDER_XSLT = "peppol-2026.5/xslt/PEPPOLBIS-T01.xslt"
ORDER_EXAMPLE = "peppol-2026.5/examples/order/Order_Example.xml"

BROKEN_STYLESHEETS = {
    # Not XML at all: compiling fails.
    "not-xml": "<xsl:stylesheet version='2.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'><xsl:template",
    # Well-formed, but not XSLT Saxon can compile (an unknown instruction in the XSLT namespace).
    "bad-instruction": (
        "<xsl:stylesheet version='2.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:template match='/'><xsl:no-such-instruction/></xsl:template></xsl:stylesheet>"
    ),
    # Compiles, then fails at run time (XPath error()).
    "runtime-error": (
        "<xsl:stylesheet version='2.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:template match='/'><xsl:sequence select=\"error((), 'broken rules')\"/></xsl:template>"
        "</xsl:stylesheet>"
    ),
    # Runs and writes text, not XML.
    "text-output": (
        "<xsl:stylesheet version='2.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:output method='text'/><xsl:template match='/'>all fine</xsl:template></xsl:stylesheet>"
    ),
    # Runs and writes XML that is not an SVRL report (no failed-assert in it, yet nothing was checked).
    "not-svrl": (
        "<xsl:stylesheet version='2.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:template match='/'><report valid='true'/></xsl:template></xsl:stylesheet>"
    ),
    # Runs and writes nothing: no SVRL, so no rule was checked.
    "no-output": (
        "<xsl:stylesheet version='2.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
        "<xsl:output method='text'/><xsl:template match='/'/></xsl:stylesheet>"
    ),
}


def _copy(standards_dir: Path, target: Path, *paths: str) -> None:
    for rel in paths:
        src = standards_dir / rel
        dest = target / rel
        if src.is_dir():
            shutil.copytree(src, dest)
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)


@pytest.fixture(scope="module")
def order_example(standards_dir: Path) -> bytes:
    return (standards_dir / ORDER_EXAMPLE).read_bytes()


@pytest.mark.parametrize("kind", sorted(BROKEN_STYLESHEETS))
def test_broken_stylesheet_is_not_run(
    kind: str, saxon: Any, standards_dir: Path, tmp_path: Path, order_example: bytes
) -> None:
    _copy(standards_dir, tmp_path, "ubl-2.1/common", "ubl-2.1/maindoc/UBL-Order-2.1.xsd")
    sheet = tmp_path / ORDER_XSLT
    sheet.parent.mkdir(parents=True)
    sheet.write_text(BROKEN_STYLESHEETS[kind], encoding="utf-8")

    report = saxon.engine(tmp_path).validate(order_example)

    stages = {s.name: s.status for s in report.stages}
    assert stages == {"xsd": "passed", "PEPPOLBIS-T01.xslt": "not_run"}
    assert not report.valid
    assert report.fatal_codes() == {"engine.not_run"}


def test_control_real_stylesheet_passes(
    saxon: Any, standards_dir: Path, tmp_path: Path, order_example: bytes
) -> None:
    """The same copied folder with the real stylesheet validates: the failures above come from the sheet."""
    _copy(standards_dir, tmp_path, "ubl-2.1/common", "ubl-2.1/maindoc/UBL-Order-2.1.xsd", ORDER_XSLT)
    report = saxon.engine(tmp_path).validate(order_example)
    assert report.valid, report.as_dict()
    assert {s.name: s.status for s in report.stages} == {"xsd": "passed", "PEPPOLBIS-T01.xslt": "passed"}


def test_missing_xsd_is_not_run(
    saxon: Any, standards_dir: Path, tmp_path: Path, order_example: bytes
) -> None:
    _copy(standards_dir, tmp_path, ORDER_XSLT)
    report = saxon.engine(tmp_path).validate(order_example)
    stages = {s.name: s.status for s in report.stages}
    assert stages == {"xsd": "not_run", "PEPPOLBIS-T01.xslt": "passed"}
    assert not report.valid
    assert "engine.not_run" in report.fatal_codes()


def test_missing_stylesheet_is_not_run(
    saxon: Any, standards_dir: Path, tmp_path: Path, order_example: bytes
) -> None:
    _copy(standards_dir, tmp_path, "ubl-2.1/common", "ubl-2.1/maindoc/UBL-Order-2.1.xsd")
    report = saxon.engine(tmp_path).validate(order_example)
    assert {s.name: s.status for s in report.stages} == {"xsd": "passed", "PEPPOLBIS-T01.xslt": "not_run"}
    assert not report.valid


def test_one_stage_not_run_fails_even_when_the_others_pass(
    saxon: Any, standards_dir: Path, tmp_path: Path
) -> None:
    """Peppol billing runs two stylesheets: the PEPPOL one broken, the CEN one real."""
    billing = "peppol-2026.5/xslt/"
    _copy(
        standards_dir,
        tmp_path,
        "ubl-2.1/common",
        "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
        billing + "CEN-EN16931-UBL.xslt",
    )
    (tmp_path / billing / "PEPPOL-EN16931-UBL.xslt").write_text(
        BROKEN_STYLESHEETS["runtime-error"], encoding="utf-8"
    )
    doc = (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_bytes()
    report = saxon.engine(tmp_path).validate(doc)
    assert [(s.name, s.status) for s in report.stages] == [
        ("xsd", "passed"),
        ("CEN-EN16931-UBL.xslt", "passed"),
        ("PEPPOL-EN16931-UBL.xslt", "not_run"),
    ]
    assert not report.valid
    assert report.fatal_codes() == {"engine.not_run"}
