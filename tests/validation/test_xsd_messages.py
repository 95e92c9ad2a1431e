"""XSD errors in words: the element with its usual prefix and what the schema expects there."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.validation.engine import Engine
from app.validation.xsdtext import describe

BASE = "peppol-2026.5/examples/billing/base-example.xml"
DATE = b"<cbc:IssueDate>2017-11-13</cbc:IssueDate>"
PAYABLE = b'<cbc:PayableAmount currencyID="EUR">1656.25</cbc:PayableAmount>'

CASES = [
    (
        DATE,
        b"<cbc:IssueDate>13.11.2017</cbc:IssueDate>",
        "cbc:IssueDate holds '13.11.2017', which is not a date written YYYY-MM-DD (e.g. 2026-05-31).",
        "a date written YYYY-MM-DD (e.g. 2026-05-31)",
    ),
    (
        DATE,
        b"",
        "cbc:DueDate is not allowed at this place. The schema expects cbc:CopyIndicator, cbc:UUID or "
        "cbc:IssueDate here: an element may be missing before it, or it stands in the wrong order.",
        "cbc:CopyIndicator, cbc:UUID or cbc:IssueDate",
    ),
    (
        PAYABLE,
        b"<cbc:PayableAmount>1656.25</cbc:PayableAmount>",
        "cbc:PayableAmount needs the attribute currencyID.",
        "the attribute currencyID",
    ),
    (
        PAYABLE,
        b'<cbc:PayableAmount currencyID="EUR">1.656,25</cbc:PayableAmount>',
        "cbc:PayableAmount holds '1.656,25', which is not a number with a point as decimal separator "
        "(e.g. 1250.00).",
        "a number with a point as decimal separator (e.g. 1250.00)",
    ),
    (
        b"<cac:InvoiceLine>",
        b'<cac:InvoiceLine note="x">',
        "cac:InvoiceLine may not carry the attribute note.",
        None,
    ),
]


@pytest.mark.parametrize(("old", "new", "message", "expected"), CASES)
def test_xsd_errors_in_words(
    validation_engine: Engine, standards_dir: Path, old: bytes, new: bytes, message: str, expected: str | None
) -> None:
    data = (standards_dir / BASE).read_bytes()
    assert old in data
    report = validation_engine.validate(data.replace(old, new, 1))
    xsd = [i for i in report.issues if i.code.startswith("xsd.")]
    assert xsd and not report.valid
    assert (xsd[0].message, xsd[0].expected) == (message, expected)
    assert all("{urn:" not in i.message for i in xsd)


def test_unknown_forms_keep_libxml2s_words_with_short_names() -> None:
    raw = (
        "Element '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}Note': something new."
    )
    assert describe(raw) == ("cbc:Note: something new.", None)
    other = "Element '{urn:example}Thing': This element is not expected."
    assert describe(other)[0].startswith("Thing (namespace urn:example) is not allowed at this place")
