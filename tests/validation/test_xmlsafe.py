"""Hostile and broken XML: the engine answers with a report (never an exception), quickly, and reads nothing.

The committed corpus is ``fixtures/hostile/`` (``expected.json`` names the code each file must get);
large documents and those pointing at a canary file are made here, at test time.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import NordublError
from app.validation.engine import Engine
from app.validation.report import Report
from app.validation.xmlsafe import parse_untrusted

HOSTILE = Path(__file__).resolve().parents[2] / "fixtures" / "hostile"
EXPECTED: dict[str, dict[str, str]] = json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8"))
#: Wall-clock bound for refusing one hostile document (generous: two cores, a loaded CI machine).
LIMIT_S = 3.0
INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CANARY_TEXT = "CANARY-7f3a9c-the-file-was-read"
BASE_EXAMPLE = "peppol-2026.5/examples/billing/base-example.xml"


def _timed(engine: Engine, data: bytes) -> tuple[Report, float]:
    start = time.perf_counter()
    report = engine.validate(data)
    return report, time.perf_counter() - start


def _dump(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False)


def _invoice(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<Invoice xmlns="{INV}" xmlns:cbc="{CBC}">\n'
        f"  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>\n{body}\n</Invoice>\n"
    )


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary.txt"
    path.write_text(CANARY_TEXT + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base_example(standards_dir: Path) -> bytes:
    return (standards_dir / BASE_EXAMPLE).read_bytes()


@pytest.fixture(scope="module")
def base_report(validation_engine: Engine, base_example: bytes) -> Report:
    """The untouched official example's report (also compiles the billing stylesheets before timing)."""
    report = validation_engine.validate(base_example)
    assert report.valid, report.as_dict()
    return report


# -- the committed corpus -----------------------------------------------------------------------


def test_corpus_is_listed() -> None:
    files = {p.name for p in HOSTILE.glob("*.xml")}
    assert files == set(EXPECTED)
    assert len(files) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name: str, validation_engine: Engine) -> None:
    data = (HOSTILE / name).read_bytes()
    report, seconds = _timed(validation_engine, data)
    code = EXPECTED[name]["code"]

    assert not report.valid
    assert code in {i.code for i in report.issues}, report.as_dict()
    assert all(i.severity == "fatal" for i in report.issues if i.code == code)
    assert seconds < LIMIT_S
    if code.startswith("xml."):
        # Refused before any rule ran: the parse stage failed and nothing else ran.
        assert [(s.name, s.status) for s in report.stages] == [("parse", "failed")]
        assert report.ruleset is None
    # Nothing of a local file the corpus names ever reaches the report.
    dumped = _dump(report)
    assert "root:x:0:0" not in dumped
    assert "/bin/" not in dumped


# -- canary: a file the document names is never read -------------------------------------------


def _xxe_general(uri: str) -> bytes:
    return _invoice(
        "  <cbc:Note>&xxe;</cbc:Note>", f'<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "{uri}">]>\n'
    ).encode()


def _xxe_attribute(uri: str) -> bytes:
    prolog = f'<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "{uri}"><!ENTITY w "&xxe;">]>\n'
    return _invoice('  <cbc:Note languageID="&w;">x</cbc:Note>', prolog).encode()


def _xxe_parameter(uri: str) -> bytes:
    return _invoice(
        "  <cbc:Note>x</cbc:Note>", f'<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{uri}"> %p;]>\n'
    ).encode()


def _xxe_utf16(uri: str) -> bytes:
    text = _xxe_general(uri).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return text.encode("utf-16")


def _xxe_after_long_comment(uri: str) -> bytes:
    # The DOCTYPE stands beyond the byte scan of the prolog: the parsed tree's doctype must catch it.
    comment = "<!--" + "x" * 70_000 + "-->\n"
    return _xxe_general(uri).replace(b"<!DOCTYPE", comment.encode() + b"<!DOCTYPE", 1)


def _external_dtd(uri: str) -> bytes:
    return _invoice("  <cbc:Note>x</cbc:Note>", f'<!DOCTYPE Invoice SYSTEM "{uri}">\n').encode()


CANARY_CASES: dict[str, Callable[[str], bytes]] = {
    "general-entity": _xxe_general,
    "entity-in-attribute": _xxe_attribute,
    "parameter-entity": _xxe_parameter,
    "utf16": _xxe_utf16,
    "after-64k-comment": _xxe_after_long_comment,
    "external-dtd": _external_dtd,
}


@pytest.mark.parametrize("case", sorted(CANARY_CASES))
def test_xxe_never_reads_the_canary(
    case: str, canary: Path, validation_engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    data = CANARY_CASES[case](canary.as_uri())
    assert canary.as_uri().encode() in data.replace(b"\x00", b"")
    report, seconds = _timed(validation_engine, data)

    assert not report.valid
    assert [i.code for i in report.issues] == ["xml.doctype_forbidden"]
    assert seconds < LIMIT_S
    assert CANARY_TEXT not in _dump(report)
    assert CANARY_TEXT not in repr(report)
    out, err = capfd.readouterr()
    assert CANARY_TEXT not in out + err


def test_xinclude_is_not_processed(canary: Path, validation_engine: Engine) -> None:
    include = (
        f'  <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{canary.as_uri()}" parse="text"/>'
    )
    report = validation_engine.validate(_invoice(include).encode())
    assert not report.valid
    assert "xsd.element_content" in report.fatal_codes()
    assert CANARY_TEXT not in _dump(report)


def test_xxe_http_entity_is_refused(validation_engine: Engine) -> None:
    report, seconds = _timed(validation_engine, _xxe_general("http://127.0.0.1:9/secret"))
    assert [i.code for i in report.issues] == ["xml.doctype_forbidden"]
    assert seconds < LIMIT_S


# -- size and shape bombs (generated) ------------------------------------------------------------


def _quadratic_blowup() -> bytes:
    # One 50 kB entity referenced 20,000 times: 1 GB if expanded.
    prolog = '<!DOCTYPE Invoice [<!ENTITY a "' + "a" * 50_000 + '">]>\n'
    return _invoice("  <cbc:Note>" + "&a;" * 20_000 + "</cbc:Note>", prolog).encode()


def _deep_nesting() -> bytes:
    depth = 100_000
    return _invoice("<cbc:Note>" * depth + "x" + "</cbc:Note>" * depth).encode()


def _huge_attribute() -> bytes:
    # Over libxml2's 10 MB limit for one value without XML_PARSE_HUGE.
    return _invoice(f'  <cbc:Note languageID="{"a" * 11_000_000}">x</cbc:Note>').encode()


def _huge_text() -> bytes:
    return _invoice(f"  <cbc:Note>{'a' * 11_000_000}</cbc:Note>").encode()


def _long_name() -> bytes:
    return _invoice(f"  <cbc:{'N' * 60_000}>x</cbc:{'N' * 60_000}>").encode()


def _many_attributes() -> bytes:
    attrs = " ".join(f'a{i}="{i}"' for i in range(100_000))
    return _invoice(f"  <cbc:Note {attrs}>x</cbc:Note>").encode()


BOMBS: dict[str, tuple[Callable[[], bytes], str]] = {
    "quadratic-blowup": (_quadratic_blowup, "xml.doctype_forbidden"),
    "nesting-100000-deep": (_deep_nesting, "xml.too_deep"),
    "attribute-11MB": (_huge_attribute, "xml.text_too_long"),
    "text-node-11MB": (_huge_text, "xml.text_too_long"),
    "name-60000-chars": (_long_name, "xml.name_too_long"),
    # Well-formed for lxml, but Saxon's parser (the JDK's) refuses more than 10,000 attributes on an
    # element: refused at parsing, with the element's line, before any stage runs.
    "100000-attributes": (_many_attributes, "xml.too_many_attributes"),
}


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_bomb(case: str, validation_engine: Engine) -> None:
    make, code = BOMBS[case]
    data = make()
    report, seconds = _timed(validation_engine, data)
    assert not report.valid
    assert code in {i.code for i in report.issues}, [i.code for i in report.issues][:5]
    assert seconds < LIMIT_S
    # The report stays small: never a copy of the bomb.
    assert len(_dump(report)) < 200_000
    # parser limits in words, never libxml2's advice to switch them off
    assert not any("XML_PARSE_HUGE" in i.message for i in report.issues)


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("nesting-100000-deep", "nested more than 256 levels deep"),
        ("text-node-11MB", "longer than 10,000,000 characters"),
        ("name-60000-chars", "longer than 50,000 characters"),
    ],
)
def test_parser_limits_are_named_in_words(case: str, words: str) -> None:
    with pytest.raises(NordublError) as info:
        parse_untrusted(BOMBS[case][0]())
    (issue,) = info.value.issues
    assert words in issue.message and issue.hint and issue.line is not None


def _attributes(count: int) -> bytes:
    attrs = " ".join(f'a{i}="{i}"' for i in range(count))
    return _invoice(f"  <cbc:Note {attrs}>x</cbc:Note>").encode()


def test_attribute_limit_is_the_parsers(validation_engine: Engine) -> None:
    """10,000 attributes reach the rules (and the XSD refuses them); 10,001 are refused at parsing with the
    element's line, as Saxon's parser would refuse them (jdk.xml.elementAttributeLimit)."""
    at_limit = validation_engine.validate(_attributes(10_000))
    assert "xml.too_many_attributes" not in {i.code for i in at_limit.issues}
    assert "engine.not_run" not in {i.code for i in at_limit.issues}
    over = validation_engine.validate(_attributes(10_001))
    (issue,) = over.issues
    assert issue.code == "xml.too_many_attributes" and issue.line is not None
    assert "Note has 10001 attributes" in issue.message
    assert [(s.name, s.status) for s in over.stages] == [("parse", "failed")]


def test_too_large(base_example: bytes) -> None:
    small = Engine(max_bytes=4096)
    report, seconds = _timed(small, base_example)
    assert [i.code for i in report.issues] == ["xml.too_large"]
    assert [(s.name, s.status) for s in report.stages] == [("parse", "failed")]
    assert not report.valid
    assert seconds < LIMIT_S


def test_size_limit_is_inclusive(base_example: bytes) -> None:
    assert parse_untrusted(base_example, len(base_example)).getroot() is not None
    with pytest.raises(NordublError) as err:
        parse_untrusted(base_example, len(base_example) - 1)
    assert [i.code for i in err.value.issues] == ["xml.too_large"]
    assert err.value.status == 413


@pytest.mark.parametrize(
    "data", [b"", b" ", b"\n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n", b"\xfe\xff\x00 \x00\n"]
)
def test_empty(data: bytes) -> None:
    with pytest.raises(NordublError) as err:
        parse_untrusted(data)
    assert [i.code for i in err.value.issues] == ["xml.empty"]
    assert err.value.status == 400


def test_junk_bytes_never_raise(validation_engine: Engine) -> None:
    for data in (
        bytes(range(256)),
        bytes(range(255, -1, -1)),
        b"\xff\xfe" + bytes(range(256)),
        b"<" * 10_000,
    ):
        report = validation_engine.validate(data)
        assert not report.valid
        assert report.issues[0].code in ("xml.malformed", "xml.encoding")


# -- unusual but legal: the official example must still validate --------------------------------


def _with_bom(doc: bytes) -> bytes:
    return b"\xef\xbb\xbf" + doc


def _utf16(doc: bytes) -> bytes:
    return doc.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).encode("utf-16")  # with a BOM


def _utf16be_no_bom(doc: bytes) -> bytes:
    return doc.decode().replace('encoding="UTF-8"', 'encoding="UTF-16BE"', 1).encode("utf-16-be")


def _no_declaration_iso_8859_1(doc: bytes) -> bytes:
    text = doc.decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1)
    return text.replace("Lisa Johnson", "Bjørn Ærø").encode("latin-1")


def _processing_instructions(doc: bytes, canary_uri: str) -> bytes:
    text = doc.decode()
    text = text.replace(
        "?>", f'?>\n<?xml-stylesheet type="text/xsl" href="{canary_uri}"?>\n<?php echo 1; ?>', 1
    )
    return text.replace(
        "</cbc:CustomizationID>", "</cbc:CustomizationID><?pi inside?><!-- a comment -->", 1
    ).encode()


def _cdata(doc: bytes, canary_uri: str) -> bytes:
    cdata = f'<![CDATA[Lisa & <b>Johnson</b> <!ENTITY x SYSTEM "{canary_uri}"> &x;]]>'
    return doc.decode().replace("Lisa Johnson", cdata, 1).encode()


def _schema_location(doc: bytes, canary_uri: str) -> bytes:
    xsi = f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{INV} {canary_uri}" '
    return doc.decode().replace("<Invoice ", f"<Invoice {xsi}", 1).encode()


def _doctype_as_text(doc: bytes, _: str) -> bytes:
    # "<!DOCTYPE" outside the prolog is text (in CDATA) or a comment: no reason to refuse the document.
    text = doc.decode().replace("Lisa Johnson", "<![CDATA[Lisa <!DOCTYPE html> Johnson]]>", 1)
    return text.replace("</Invoice>", "<!-- <!DOCTYPE Invoice [<!ENTITY x 'y'>]> --></Invoice>", 1).encode()


LEGAL: dict[str, Callable[[bytes, str], bytes]] = {
    "utf8-bom": lambda d, _: _with_bom(d),
    "utf16-bom": lambda d, _: _utf16(d),
    "utf16be-no-bom": lambda d, _: _utf16be_no_bom(d),
    "iso-8859-1": lambda d, _: _no_declaration_iso_8859_1(d),
    "processing-instructions": _processing_instructions,
    "cdata": _cdata,
    "xsi-schema-location": _schema_location,
    "doctype-as-text": _doctype_as_text,
}


@pytest.mark.parametrize("case", sorted(LEGAL))
def test_legal_variant_still_validates(
    case: str, base_example: bytes, base_report: Report, validation_engine: Engine, canary: Path
) -> None:
    data = LEGAL[case](base_example, canary.as_uri())
    assert data != base_example
    report, seconds = _timed(validation_engine, data)
    assert report.valid, report.as_dict()
    assert [(s.name, s.status) for s in report.stages] == [(s.name, s.status) for s in base_report.stages]
    assert {i.code for i in report.issues} == {i.code for i in base_report.issues}
    assert seconds < LIMIT_S
    assert CANARY_TEXT not in _dump(report)


def test_br_cl_04_cdata_text_reaches_the_rules(
    base_example: bytes, validation_engine: Engine, canary: Path
) -> None:
    # The CDATA content is text: an invoice whose only change is CDATA in a code breaks the code's rule.
    data = re.sub(
        rb"<cbc:DocumentCurrencyCode>[^<]*", b"<cbc:DocumentCurrencyCode><![CDATA[E<R]]>", base_example
    )
    report = validation_engine.validate(data)
    assert not report.valid
    assert "BR-CL-04" in report.fatal_codes()
