"""The official rule unit tests (OpenPEPPOL ``<testSet>`` files), run through the engine's rule stages.

Each ``<test>`` holds one document fragment and the rule ids expected under ``<success>`` (must not
fire at all), ``<error>`` (must fire as fatal or error) and ``<warning>`` (must fire). The fragments
are not schema-valid documents, so only the Schematron stages run (``Engine.run_rules``), never the XSD.

Why ``<warning>`` ids may fire with any severity: three tests of ``DK_Validation_DKR003`` (#10, #11,
#12) were written when DK-R-003 was a warning; the published Peppol 2026.5 stylesheet has since
raised its flag to ``fatal``. Firing is what those tests assert; the severity comes from the
stylesheet, which is the authority.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from unit_sets import UnitTest, load

from app.config import get_settings
from app.validation.engine import Engine
from app.validation.report import Report
from app.validation.rulesets import detect

UNIT = get_settings().standards_dir / "peppol-2026.5" / "unit"
#: Tests per folder in the mirrored releases (BIS Billing 3.0.19, POACC 3.0.15).
EXPECTED_COUNTS = {
    "unit-UBL-PEPPOL": 221,
    "unit-UBL-NO": 14,
    "unit-UBL-DK": 126,
    "unit-order": 126,
    "unit-order-response": 28,
}

TESTS: list[UnitTest] = [t for name in EXPECTED_COUNTS for t in load(UNIT / name)]


def test_every_unit_test_is_collected(standards_dir: Path) -> None:
    assert UNIT.is_relative_to(standards_dir)
    counts = Counter(t.file.parent.name for t in TESTS)
    assert counts == EXPECTED_COUNTS
    assert len(TESTS) == sum(EXPECTED_COUNTS.values()) == 515
    assert len({t.id for t in TESTS}) == len(TESTS)


@pytest.mark.parametrize("case", TESTS, ids=lambda t: t.id)
def test_unit_rule(case: UnitTest, validation_engine: Engine) -> None:
    rs = detect(case.document)
    report = Report()
    validation_engine.run_rules(rs, case.document, report)

    # A stage that did not run fails the result: every stylesheet of the rule set must have run.
    assert [s.name for s in report.stages] == [p.rsplit("/", 1)[-1] for p in rs.stylesheets]
    assert all(s.status != "not_run" for s in report.stages), report.stages

    fired: dict[str, set[str]] = {}
    for issue in report.issues:
        fired.setdefault(issue.code, set()).add(issue.severity)

    unexpected = {code: fired[code] for code in case.success if code in fired}
    assert not unexpected, f"{case.id}: rules listed under <success> fired: {unexpected}"
    missing_errors = {
        code: fired.get(code) for code in case.error if not fired.get(code, set()) & {"fatal", "error"}
    }
    assert not missing_errors, (
        f"{case.id}: rules listed under <error> did not fire as errors: {missing_errors}"
    )
    missing_warnings = sorted(case.warning - fired.keys())
    assert not missing_warnings, f"{case.id}: rules listed under <warning> did not fire: {missing_warnings}"
