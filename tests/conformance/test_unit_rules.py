"""The official rule unit tests (OpenPEPPOL ``<testSet>`` files), run through the engine's rule stages.

Each ``<test>`` holds one document fragment and the rule ids expected under ``<success>`` (must not
fire at all), ``<error>`` (must fire as fatal or error) and ``<warning>`` (must fire). The fragments
are not schema-valid documents, so only the Schematron stages run (``Engine.run_rules``), never the XSD.
The fragments carry no CustomizationID either: each testSet names the validator configuration it was
written for (``configuration="peppolbis-t19-base-3.0"``), which :data:`CONFIGURATIONS` maps to a rule set
of the table (:mod:`app.validation.rulesets`).

Why ``<warning>`` ids may fire with any severity: three tests of ``DK_Validation_DKR003`` (#10, #11,
#12) were written when DK-R-003 was a warning; the published Peppol 2026.5 stylesheet has since
raised its flag to ``fatal``. Firing is what those tests assert; the severity comes from the
stylesheet, which is the authority.

Likewise ``PEPPOL-T114-R008`` (:data:`FLAGGED_WARNING`): two tests of unit-order-change list it under
``<error>``, the published T114 stylesheet flags it ``warning``; those tests assert that it fires, and
``test_flagged_warning_is_a_warning_in_the_stylesheet`` pins the published flag.

One expectation is stale upstream (:data:`STALE`): marked xfail, strictly, so it fails the suite the day
it holds.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from unit_sets import UnitTest, load

from app.config import get_settings
from app.validation.engine import Engine
from app.validation.report import Report
from app.validation.rulesets import KIND_BY_NAME, RuleSet

UNIT = get_settings().standards_dir / "peppol-2026.5" / "unit"
#: Tests per folder in the mirrored releases (BIS Billing 3.0.19, POACC 3.0.15); every post-award test
#: lists one rule id, so there tests = expectations (standards README).
EXPECTED_COUNTS = {
    "unit-UBL-PEPPOL": 221,
    "unit-UBL-NO": 14,
    "unit-UBL-DK": 126,
    "unit-order": 126,
    "unit-order-response": 28,
    "unit-catalogue": 63,
    "unit-common": 29,
    "unit-despatch-advice": 27,
    "unit-invoice-response": 13,
    "unit-order-agreement": 116,
    "unit-order-cancellation": 3,
    "unit-order-change": 122,
    "unit-order-response-advanced": 28,
    "unit-punch-out": 31,
}
#: The validator configuration of a testSet (poacc-upgrade-3 and peppol-bis-invoice-3
#: ``rules/buildconfig.xml``) -> the rule set that runs the same stylesheets.
CONFIGURATIONS = {
    "peppolbis-en16931-base-3.0-ubl": "peppol-billing",
    "peppolbis-en16931-01-3.0-ubl-invoice": "peppol-billing",
    "peppolbis-t01-base-3.0": "peppol-order",
    "peppolbis-t16-base-3.0": "peppol-despatch-advice",
    "peppolbis-t19-base-3.0": "peppol-catalogue",
    "peppolbis-t76-base-3.0": "peppol-order-response",
    "peppolbis-t77-base-3.0": "peppol-punch-out",
    "peppolbis-t110-base-3.0": "peppol-order-agreement",
    "peppolbis-t111-base-3.0": "peppol-invoice-response",
    "peppolbis-t114-base-3.0": "peppol-order-change",
    "peppolbis-t115-base-3.0": "peppol-order-cancellation",
    "peppolbis-t116-base-3.0": "peppol-order-response-advanced",
}
#: Where a testSet names no configuration: the rule set of its folder.
FOLDERS = {
    "unit-UBL-PEPPOL": "peppol-billing",
    "unit-UBL-NO": "peppol-billing",
    "unit-UBL-DK": "peppol-billing",
}
#: Upstream expectations the official stylesheets do not meet, with the reason (standards README).
STALE = {
    "unit-common/PEPPOL-COMMON-R048#2": "upstream stale expectation: unit-common (POACC 3.0.15) expects warning "
    "PEPPOL-COMMON-R048 (Italian ICD 9906 check digit) from T01, but R048 is in no post-award sch of "
    "Peppol 2026.5 (nor of poacc-upgrade-3 @ 0e7e5c7); only the Billing and Self-Billing rules have it",
}

#: Rules listed under ``<error>`` that the published stylesheet flags ``warning`` (stylesheet: the authority).
FLAGGED_WARNING = {"PEPPOL-T114-R008": "peppol-2026.5/xslt/PEPPOLBIS-T114.xslt"}

TESTS: list[UnitTest] = [t for name in EXPECTED_COUNTS for t in load(UNIT / name)]


def ruleset_for(case: UnitTest) -> RuleSet:
    name = CONFIGURATIONS[case.configuration] if case.configuration else FOLDERS[case.file.parent.name]
    return KIND_BY_NAME[name].ruleset(etree.QName(case.document).localname)


def test_every_unit_test_is_collected(standards_dir: Path) -> None:
    assert UNIT.is_relative_to(standards_dir)
    counts = Counter(t.file.parent.name for t in TESTS)
    assert counts == EXPECTED_COUNTS
    assert len(TESTS) == sum(EXPECTED_COUNTS.values()) == 515 + 432
    assert len({t.id for t in TESTS}) == len(TESTS)
    assert {t.configuration for t in TESTS} - {""} <= CONFIGURATIONS.keys()
    assert STALE.keys() <= {t.id for t in TESTS}


def _params() -> list[object]:
    marks = {case_id: pytest.mark.xfail(strict=True, reason=reason) for case_id, reason in STALE.items()}
    return [pytest.param(t, id=t.id, marks=marks.get(t.id, ())) for t in TESTS]


@pytest.mark.parametrize("case", _params())
def test_unit_rule(case: UnitTest, validation_engine: Engine) -> None:
    rs = ruleset_for(case)
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
        code: fired.get(code)
        for code in case.error
        if not fired.get(code, set())
        & ({"fatal", "error", "warning"} if code in FLAGGED_WARNING else {"fatal", "error"})
    }
    assert not missing_errors, (
        f"{case.id}: rules listed under <error> did not fire as errors: {missing_errors}"
    )
    missing_warnings = sorted(case.warning - fired.keys())
    assert not missing_warnings, f"{case.id}: rules listed under <warning> did not fire: {missing_warnings}"


@pytest.mark.parametrize("rule", sorted(FLAGGED_WARNING))
def test_flagged_warning_is_a_warning_in_the_stylesheet(rule: str, standards_dir: Path) -> None:
    text = (standards_dir / FLAGGED_WARNING[rule]).read_text(encoding="utf-8")
    # the compiled assert: <xsl:attribute name="id">RULE</xsl:attribute>, then its flag
    pattern = rf'name="id">{re.escape(rule)}</xsl:attribute>\s*<xsl:attribute name="flag">(\w+)<'
    flags = set(re.findall(pattern, text))
    assert flags == {"warning"}, flags
