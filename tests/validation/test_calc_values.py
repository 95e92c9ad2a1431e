"""Calculation rules show the value found and the value the rule expects, computed from the document.

Each case breaks one amount in a copy of an official example (never the file itself), lets the official
stylesheets give the verdict, and checks the found/expected values the report carries for the rule that
fired: the arithmetic of the rule's published definition, done by hand here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from app.validation.engine import Engine

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
BASE = "peppol-2026.5/examples/billing/base-example.xml"
ALLOWANCE = "peppol-2026.5/examples/billing/Allowance-example.xml"
OIO_INVOICE = "oioubl-1.17.2/examples/OIOUBL_Invoice_v2p2.xml"
OIO_CREDIT = "oioubl-1.17.2/examples/OIOUBL_CreditNote_v2p2.xml"
LINES = "sum of 2 InvoiceLine/LineExtensionAmount (2800.00 + (-1500.00)) = 1300.00"

# (example, XPath of the amount changed, new text, rule, found, expected)
CASES = [
    (
        BASE,
        "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
        "1400",
        "BR-CO-10",
        "LineExtensionAmount 1400.00",
        LINES,
    ),
    (
        ALLOWANCE,
        "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount",
        "99",
        "BR-CO-11",
        "AllowanceTotalAmount 99.00",
        "document-level allowance Amount 200.00 = 200.00",
    ),
    (
        BASE,
        "cac:LegalMonetaryTotal/cbc:ChargeTotalAmount",
        "30",
        "BR-CO-12",
        "ChargeTotalAmount 30.00",
        "document-level charge Amount 25.00 = 25.00",
    ),
    (
        BASE,
        "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
        "1320",
        "BR-CO-13",
        "TaxExclusiveAmount 1320.00",
        "LineExtensionAmount 1300.00 + ChargeTotalAmount 25.00 = 1325.00",
    ),
    (
        BASE,
        "cac:TaxTotal/cbc:TaxAmount",
        "330",
        "BR-CO-14",
        "TaxTotal/TaxAmount 330.00",
        "TaxSubtotal/TaxAmount 331.25 = 331.25",
    ),
    (
        BASE,
        "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
        "1600",
        "BR-CO-15",
        "TaxInclusiveAmount 1600.00",
        "TaxExclusiveAmount 1325.00 + TaxAmount 331.25 = 1656.25",
    ),
    (
        BASE,
        "cac:LegalMonetaryTotal/cbc:PayableAmount",
        "1000",
        "BR-CO-16",
        "PayableAmount 1000.00",
        "TaxInclusiveAmount 1656.25 = 1656.25",
    ),
    (
        BASE,
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount",
        "300",
        "BR-CO-17",
        "TaxSubtotal/TaxAmount 300.00",
        "TaxableAmount 1325.00 × 25 % = 331.25",
    ),
    (
        BASE,
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount",
        "300",
        "BR-S-09",
        "TaxSubtotal/TaxAmount 300.00",
        "TaxableAmount 1325.00 × 25 % = 331.25",
    ),
    (
        BASE,
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount",
        "1300",
        "BR-S-08",
        "TaxSubtotal/TaxableAmount 1300.00",
        "sum of 2 InvoiceLine net amounts of category S 25 % (2800.00 + (-1500.00)) + charges 25.00 = 1325.00",
    ),
    (
        "peppol-2026.5/examples/billing/vat-category-Z.xml",
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount",
        "1",
        "BR-Z-08",
        "TaxSubtotal/TaxableAmount 1.00",
        "InvoiceLine net amounts of category Z 1200.00 = 1200.00",
    ),
    (
        "peppol-2026.5/examples/billing/vat-category-E.xml",
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount",
        "5",
        "BR-E-09",
        "TaxSubtotal/TaxAmount 5.00",
        "0.00",
    ),
    (
        BASE,
        "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
        "1300.001",
        "BR-DEC-09",
        "LineExtensionAmount 1300.001 (3 decimals)",
        "at most 2 decimals: 1300.00",
    ),
    (
        BASE,
        "cac:InvoiceLine[1]/cbc:LineExtensionAmount",
        "900",
        "PEPPOL-EN16931-R120",
        "LineExtensionAmount 900.00",
        "quantity 7 × PriceAmount 400.00 = 2800.00",
    ),
    (
        OIO_INVOICE,
        "cac:LegalMonetaryTotal/cbc:PayableAmount",
        "1",
        "F-INV133",
        "PayableAmount 1.00",
        "LineExtensionAmount 5050.00 + VAT of the TaxSubtotals 1262.50 = 6312.50",
    ),
    (
        OIO_INVOICE,
        "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount",
        "1",
        "F-INV127",
        "TaxExclusiveAmount 1262.50",
        "TaxSubtotal/TaxAmount 1.00 = 1.00",
    ),
    (
        OIO_CREDIT,
        "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
        "1",
        "F-CRN072",
        "LineExtensionAmount 1.00",
        "sum of 2 CreditNoteLine/LineExtensionAmount (not free of charge) (5000.00 + 50.00) = 5050.00",
    ),
]


def broken(standards_dir: Path, rel: str, path: str, text: str) -> bytes:
    tree = etree.parse(str(standards_dir / rel))
    (el,) = tree.getroot().xpath(path, namespaces=NS)
    el.text = text
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize(
    ("rel", "path", "text", "rule", "found", "expected"), CASES, ids=[c[3] for c in CASES]
)
def test_found_and_expected_values(
    validation_engine: Engine,
    standards_dir: Path,
    rel: str,
    path: str,
    text: str,
    rule: str,
    found: str,
    expected: str,
) -> None:
    intact = validation_engine.validate((standards_dir / rel).read_bytes())
    assert rule not in {i.code for i in intact.issues}  # the official example passes this rule
    report = validation_engine.validate(broken(standards_dir, rel, path, text))
    issues = [i for i in report.issues if i.code == rule]
    assert issues, sorted({i.code for i in report.issues})  # the official stylesheet fires it
    assert (issues[0].found, issues[0].expected) == (found, expected)
    assert not report.valid


def test_every_calculation_rule_that_fired_has_values(validation_engine: Engine, standards_dir: Path) -> None:
    """Over all the cases, a calculation rule that fires always gets its values (none left blank)."""
    calculation = ("BR-CO-1", "BR-S-", "BR-Z-", "BR-E-", "BR-AE-", "BR-DEC-", "F-INV12", "F-INV13", "F-CRN07")
    missing = set()
    for rel, path, text, *_ in CASES:
        for issue in validation_engine.validate(broken(standards_dir, rel, path, text)).issues:
            if issue.code.startswith(calculation) and issue.code != "F-INV134" and not issue.expected:
                missing.add(issue.code)
    assert not missing


def test_rules_without_a_formula_get_no_values(validation_engine: Engine, standards_dir: Path) -> None:
    report = validation_engine.validate(broken(standards_dir, BASE, "cbc:IssueDate", "2017-13-45"))
    assert report.issues and all(
        i.found is None and i.expected is None for i in report.issues if i.code.startswith("BR")
    )
