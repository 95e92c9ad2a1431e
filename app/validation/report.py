"""The result of validating one document: the rule set, every stage that ran (or did not) and its issues."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from app.issues import Issue

StageStatus = Literal["passed", "failed", "not_run"]
Verdict = Literal["valid", "invalid", "unreadable"]

#: Codes that mean "the input's bytes could not be got at" (a missing path, a file that is not a zip
#: archive, a file past the batch's limit): the verdict ``unreadable``. Bytes that were read but are not
#: well-formed XML (``xml.*``), not UBL or not supported are ``invalid``: a first stage failed, as the XSD
#: or a rule can fail. The CLI, the HTTP API and the page all take the verdict from :attr:`Report.verdict`.
UNREADABLE_CODES = frozenset({"input.unreadable", "input.too_many_files"})


@dataclass
class Stage:
    #: ``parse``, ``xsd`` or the stylesheet's file name.
    name: str
    status: StageStatus
    detail: str | None = None


@dataclass
class Report:
    ruleset: str | None = None
    release: str | None = None
    document: str | None = None
    issues: list[Issue] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    filename: str | None = None

    @property
    def valid(self) -> bool:
        """Valid only when every stage ran and no fatal or error issue was found.

        A stage that did not run fails the report: it never reads as valid.
        """
        if not self.stages or any(s.status != "passed" for s in self.stages):
            return False
        return not any(i.severity in ("fatal", "error") for i in self.issues)

    @property
    def verdict(self) -> Verdict:
        """``valid``, ``invalid`` or ``unreadable`` (see :data:`UNREADABLE_CODES`): one each."""
        if any(i.code in UNREADABLE_CODES for i in self.issues):
            return "unreadable"
        return "valid" if self.valid else "invalid"

    @property
    def label(self) -> str | None:
        return f"{self.ruleset} {self.release}" if self.ruleset else None

    def fatal_codes(self) -> set[str]:
        return {i.code for i in self.issues if i.severity in ("fatal", "error")}

    def counts(self) -> dict[str, int]:
        c = Counter(i.severity for i in self.issues)
        return {s: c.get(s, 0) for s in ("fatal", "error", "warning")}

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "valid": self.valid,
            "verdict": self.verdict,
            "ruleset": self.ruleset,
            "release": self.release,
            "document": self.document,
            "counts": self.counts(),
            "stages": [{k: v for k, v in vars(s).items() if v is not None} for s in self.stages],
            "issues": [i.as_dict() for i in self.issues],
        }
