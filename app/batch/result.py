"""The result of one input in a batch (:class:`FileResult`) and the running totals (:class:`Tally`).

A broken or refused input is a value here, never an exception: it becomes a :class:`Report` whose
single stage ``input`` failed, with one ``input.*`` or ``engine.*`` issue.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.codes import issue
from app.issues import Issue
from app.validation.report import UNREADABLE_CODES as UNREADABLE_CODES
from app.validation.report import Report, Stage, Verdict

# The batch exits 2 when any result is unreadable (UNREADABLE_CODES: the report's verdict; exit codes as
# in :mod:`app.cli`: 0 all valid, 1 any invalid, 2 usage or unreadable input).
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class FileResult:
    """One validated (or refused) input: its report and the seconds the engine spent on it."""

    report: Report
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.report.filename or ""

    @property
    def valid(self) -> bool:
        return self.report.valid

    @property
    def unreadable(self) -> bool:
        return self.report.verdict == "unreadable"

    @property
    def unsupported(self) -> bool:
        """No installed rule set checks the document (``ruleset.unsupported``): not valid, only its XSD ran."""
        return any(i.code == "ruleset.unsupported" for i in self.report.issues)

    @property
    def verdict(self) -> Verdict:
        """``valid``, ``invalid`` or ``unreadable`` (each result has exactly one): the report's."""
        return self.report.verdict


def refused_result(name: str, issue: Issue) -> FileResult:
    """An input refused before any rule ran (bad path, zip bomb, traversal name …)."""
    report = Report(filename=name, issues=[issue], stages=[Stage("input", "failed", issue.code)])
    return FileResult(report)


def crashed_result(
    name: str, seconds: float = 0.0, *, variant: str | None = None, **params: str
) -> FileResult:
    """The engine died or raised on this input (``engine.crashed``, its ``variant`` and parameters in
    app/codes/); the batch goes on without it."""
    crashed = issue("engine.crashed", params=params | ({"variant": variant} if variant else {}))
    report = Report(
        filename=name, issues=[crashed], stages=[Stage("engine", "not_run", crashed.message[:500])]
    )
    return FileResult(report, seconds)


@dataclass
class Tally:
    """Counts over the results seen so far; :attr:`exit_code` is the batch's exit status."""

    files: int = 0
    valid: int = 0
    invalid: int = 0
    #: Of the invalid ones, those no installed rule set checks (``ruleset.unsupported``).
    unsupported: int = 0
    unreadable: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, result: FileResult) -> None:
        self.files += 1
        verdict = result.verdict
        if verdict == "valid":
            self.valid += 1
        elif verdict == "invalid":
            self.invalid += 1
            self.unsupported += result.unsupported
        else:
            self.unreadable += 1

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_USAGE
        return EXIT_INVALID if self.invalid else EXIT_OK

    def line(self) -> str:
        unsupported = f" ({self.unsupported} unsupported)" if self.unsupported else ""
        return (
            f"{self.files} {'file' if self.files == 1 else 'files'}: {self.valid} valid, {self.invalid} invalid"
            f"{unsupported}, {self.unreadable} unreadable ({self.elapsed:.1f} s)"
        )
