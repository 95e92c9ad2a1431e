"""Report: valid only when every stage ran and passed and no fatal or error issue was found."""

from __future__ import annotations

import json

import pytest

from app.issues import Issue, Severity
from app.validation.report import Report, Stage, StageStatus


def _report(stages: list[tuple[str, StageStatus]], severities: tuple[Severity, ...] = ()) -> Report:
    return Report(
        ruleset="peppol-billing",
        release="2026.5",
        document="Invoice",
        stages=[Stage(n, s) for n, s in stages],
        issues=[Issue(f"R-{i}", sev, f"message {i}") for i, sev in enumerate(severities)],
    )


PASSED: list[tuple[str, StageStatus]] = [("xsd", "passed"), ("CEN-EN16931-UBL.xslt", "passed")]


def test_no_stage_is_not_valid() -> None:
    assert not Report().valid


def test_all_passed_is_valid() -> None:
    assert _report(PASSED).valid


def test_warnings_do_not_fail() -> None:
    report = _report(PASSED, ("warning", "warning"))
    assert report.valid
    assert report.counts() == {"fatal": 0, "error": 0, "warning": 2}
    assert report.fatal_codes() == set()


@pytest.mark.parametrize("severity", ["fatal", "error"])
def test_fatal_or_error_fails(severity: Severity) -> None:
    report = _report(PASSED, ("warning", severity))
    assert not report.valid
    assert report.fatal_codes() == {"R-1"}


@pytest.mark.parametrize("status", ["not_run", "failed"])
def test_a_stage_not_passed_fails_without_any_issue(status: StageStatus) -> None:
    report = _report([("xsd", "passed"), ("PEPPOL-EN16931-UBL.xslt", status)])
    assert report.issues == []
    assert not report.valid


def test_counts_and_label() -> None:
    report = _report(PASSED, ("fatal", "fatal", "error", "warning"))
    assert report.counts() == {"fatal": 2, "error": 1, "warning": 1}
    assert report.label == "peppol-billing 2026.5"
    assert Report().label is None


def test_as_dict_is_json_and_drops_empty_fields() -> None:
    report = _report(PASSED, ("fatal",))
    report.stages.append(Stage("PEPPOL-EN16931-UBL.xslt", "not_run", "compile error"))
    report.filename = "a.xml"
    data = json.loads(json.dumps(report.as_dict()))
    assert data["valid"] is False
    assert data["file"] == "a.xml"
    assert data["counts"] == {"fatal": 1, "error": 0, "warning": 0}
    assert data["stages"] == [
        {"name": "xsd", "status": "passed"},
        {"name": "CEN-EN16931-UBL.xslt", "status": "passed"},
        {"name": "PEPPOL-EN16931-UBL.xslt", "status": "not_run", "detail": "compile error"},
    ]
    assert data["issues"] == [{"code": "R-0", "severity": "fatal", "message": "message 0"}]
