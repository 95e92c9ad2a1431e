"""Every official example, and a few broken copies of them, gets the same verdict as the independent oracle.

The oracle (``../shared/tools/oracle.py``) runs once per session, as a subprocess, over all files.
Where it names rule ids the project must report the same set of fatal ids; XSD errors are compared
by count (the oracle prints ``XSD:<line>:<message>``, the project ``xsd.<type>`` codes).

Two documented differences are kept out of the comparison and pinned by tests of their own:

- document types with no official stylesheet (OIOUBL Catalogue, Reminder, Statement …): the oracle
  prints the exception it met; the project reports ``ruleset.unsupported``. Only the verdict
  (not valid) is compared there.
- the oracle reads only ``svrl:failed-assert``; OIOUBL writes most of its fatal ``F-*`` rules as
  ``svrl:successful-report``, which the project counts (see
  ``test_f_lib302_oioubl_successful_report_is_fatal``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.config import get_settings
from app.standards import load_manifest
from app.validation.engine import Engine
from app.validation.rulesets import all_rulesets

STANDARDS = get_settings().standards_dir
ORACLE = get_settings().standards_mirror.parent / "tools" / "oracle.py"
EXAMPLES = sorted(STANDARDS.glob("*/examples/**/*.xml"))


@dataclass(frozen=True)
class Mutation:
    """A copy of an official example with one change that trips official rules."""

    source: str
    pattern: str
    replacement: str


#: Each breaks a rule of a different rule set; every one of them is reported by a failed-assert or the XSD.
MUTATIONS = {
    # BR-CO-16: amount due = total with VAT - paid amount + rounding amount.
    "billing-payable-amount": Mutation(
        "peppol-2026.5/examples/billing/base-example.xml",
        r'(<cbc:PayableAmount currencyID="EUR">)[^<]*',
        r"\g<1>1.00",
    ),
    # BR-CL-25 / PEPPOL-EN16931-CL008: electronic address scheme from the EAS code list.
    "billing-endpoint-scheme": Mutation(
        "peppol-2026.5/examples/billing/base-example.xml", r'schemeID="0088"', 'schemeID="9999"'
    ),
    # UBL 2.1 XSD: cbc:ID is required before cbc:IssueDate (and BR-02: an invoice shall have a number).
    "billing-no-id": Mutation(
        "peppol-2026.5/examples/billing/base-example.xml", r"<cbc:ID>Snippet1</cbc:ID>", ""
    ),
    # BR-CO-15 / PEPPOL-EN16931-R051: currency code from ISO 4217, and consistent.
    "creditnote-currency": Mutation(
        "peppol-2026.5/examples/billing/base-creditnote-correction.xml",
        r"<cbc:DocumentCurrencyCode>[^<]*",
        "<cbc:DocumentCurrencyCode>XXX",
    ),
    # PEPPOL-T01-B03802: electronic address scheme (Peppol Order, T01).
    "order-endpoint-scheme": Mutation(
        "peppol-2026.5/examples/order/Order_Example.xml", r'schemeID="0192"', 'schemeID="9999"'
    ),
    # PEPPOL-T76-B00801: OrderResponseCode from UNCL 4343 subset.
    "order-response-code": Mutation(
        "peppol-2026.5/examples/order-response/OrderResponse_Example.xml",
        r"<cbc:OrderResponseCode>[^<]*",
        "<cbc:OrderResponseCode>ZZ",
    ),
    # EHF-T01-B03402: electronic address scheme (EHF Ordering 3.0).
    "ehf-order-endpoint-scheme": Mutation(
        "ehf-2023-02/examples/ordering-3.0/Order_Example.xml", r'schemeID="0192"', 'schemeID="9999"'
    ),
    # Post-award and the other billing types (the standards README's type table):
    # electronic address scheme from the EAS code list (PEPPOL-T16-B…, T111, EHF catalogue, EHF reminder).
    "despatch-advice-endpoint-scheme": Mutation(
        "peppol-2026.5/examples/despatch-advice/DespatchAdvice_Example.xml",
        r'schemeID="0088"',
        'schemeID="9999"',
    ),
    "invoice-response-endpoint-scheme": Mutation(
        "peppol-2026.5/examples/invoice-response/InvoiceResponse_Example.xml",
        r'schemeID="0088"',
        'schemeID="9999"',
    ),
    "ehf-catalogue-endpoint-scheme": Mutation(
        "ehf-2023-02/examples/catalogue-3.0/Catalogue_Example.xml", r'schemeID="0192"', 'schemeID="9999"'
    ),
    "ehf-reminder-endpoint-scheme": Mutation(
        "ehf-2023-02/examples/reminder-3.0/Reminder-Example.xml", r'schemeID="0088"', 'schemeID="9999"'
    ),
    # BR-CO-16 under Peppol Self-Billing (CEN + PEPPOL-EN16931-UBL-SB).
    "self-billing-payable-amount": Mutation(
        "peppol-2026.5/examples/self-billing/SB-base-example.xml",
        r'(<cbc:PayableAmount currencyID="[A-Z]+">)[^<]*',
        r"\g<1>1.00",
    ),
    # UBL 2.3 XSD (Peppol T114, through the driver schema): an amount without its required currencyID.
    "order-change-no-currency": Mutation(
        "peppol-2026.5/examples/order-change/OrderChange_Example.xml", r' currencyID="[A-Z]+"', ""
    ),
    # F-LIB403 (OIOUBL, a failed-assert): currencyID from the ISO 4217 code list.
    "oioubl-invoice-currency": Mutation(
        "oioubl-1.17.2/examples/OIOUBL_Invoice_v2p2.xml",
        r'<cbc:TaxAmount currencyID="DKK">',
        '<cbc:TaxAmount currencyID="XXX">',
    ),
}


def _mutate(m: Mutation) -> str:
    text = (STANDARDS / m.source).read_text(encoding="utf-8")
    out, n = re.subn(m.pattern, m.replacement, text, count=1)
    assert n == 1, f"{m.source}: the pattern {m.pattern!r} no longer matches"
    return out


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Case id -> file: the official examples in place, the mutated copies in a temporary folder."""
    out = {p.relative_to(STANDARDS).as_posix(): p for p in EXAMPLES}
    folder = tmp_path_factory.mktemp("mutated")
    for name, m in MUTATIONS.items():
        path = folder / f"{name}.xml"
        path.write_text(_mutate(m), encoding="utf-8")
        out[f"mutated/{name}"] = path
    return out


@pytest.fixture(scope="session")
def oracle(cases: dict[str, Path], validation_engine: Engine) -> dict[str, dict[str, Any]]:
    """The oracle's result per case id (one subprocess for every file).

    The engine compiles its stylesheets while the oracle runs (two cores, two processes).
    """
    assert ORACLE.is_file(), f"the oracle {ORACLE} is missing"
    files = {str(p): case for case, p in cases.items()}
    with subprocess.Popen(
        [sys.executable, str(ORACLE), *files, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        validation_engine.warm_up(all_rulesets())
        stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode in (0, 1), stderr[-2000:]
    results = json.loads(stdout)
    assert len(results) == len(files)
    return {files[r["file"]]: r for r in results}


def test_every_manifest_example_is_checked(standards_dir: Path) -> None:
    listed = {e.path for e in load_manifest() if "/examples/" in e.path and e.path.endswith(".xml")}
    assert listed, "the manifest lists no examples"
    assert {p.relative_to(standards_dir).as_posix() for p in EXAMPLES} == listed


CASE_IDS = [p.relative_to(STANDARDS).as_posix() for p in EXAMPLES] + [f"mutated/{n}" for n in MUTATIONS]


@pytest.mark.parametrize("case", CASE_IDS)
def test_same_verdict_as_oracle(
    case: str, cases: dict[str, Path], oracle: dict[str, dict[str, Any]], validation_engine: Engine
) -> None:
    path = cases[case]
    expected = oracle[case]
    report = validation_engine.validate(path.read_bytes(), filename=str(path))

    assert report.valid == expected["pass"], (expected, report.as_dict())
    if expected["ruleset"] == "unparsable":
        # No official stylesheet for this document type: the oracle met an exception, the project says so
        # (and runs the XSD only).
        assert {i.code for i in report.issues if not i.code.startswith("xsd.")} == {"ruleset.unsupported"}
        assert [s.name for s in report.stages] == ["ruleset", "xsd"]
        return

    assert report.ruleset is not None
    assert report.ruleset.lower() == expected["ruleset"].lower()
    assert all(s.status != "not_run" for s in report.stages), report.stages
    oracle_xsd = [f for f in expected["fatal"] if f.startswith("XSD:")]
    oracle_rules = {f for f in expected["fatal"] if not f.startswith("XSD:")}
    project_xsd = [i for i in report.issues if i.code.startswith("xsd.")]
    project_rules = {c for c in report.fatal_codes() if not c.startswith("xsd.")}
    assert len(project_xsd) == len(oracle_xsd), (oracle_xsd, project_xsd)
    assert project_rules == oracle_rules
    # Warnings: every failed-assert warning of the oracle is a warning in the report too.
    project_warnings = {i.code for i in report.issues if i.severity == "warning"}
    assert set(expected["warnings"]) <= project_warnings


def test_mutations_trip_rules(oracle: dict[str, dict[str, Any]]) -> None:
    """The broken copies do fail: the comparison above is not between two empty sets only."""
    for name in MUTATIONS:
        assert not oracle[f"mutated/{name}"]["pass"], name
        assert oracle[f"mutated/{name}"]["fatal"], name


def test_f_lib302_oioubl_successful_report_is_fatal(validation_engine: Engine) -> None:
    # F-LIB302 (OIOUBL, an svrl:successful-report): ProfileID from the profile code list.
    m = Mutation("oioubl-1.17.2/examples/OIOUBL_Invoice_v2p2.xml", r"profile5:ver2\.0", "profile99:ver2.0")
    report = validation_engine.validate(_mutate(m).encode("utf-8"))
    assert not report.valid
    assert report.fatal_codes() == {"F-LIB302"}
    (issue,) = [i for i in report.issues if i.code == "F-LIB302"]
    assert issue.severity == "fatal"
    assert issue.xpath == "/Invoice"
