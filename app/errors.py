"""The failure a caller can fix: :class:`NordublError`, the issues (:mod:`app.issues`) it carries and the
HTTP status it maps to; :meth:`NordublError.of` writes one catalogued code (:mod:`app.codes`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.codes import issue
from app.issues import Issue


@dataclass
class NordublError(Exception):
    """A failure the caller can fix: carries issues and the HTTP status it maps to."""

    title: str
    issues: list[Issue] = field(default_factory=list)
    status: int = 422
    #: The language its issues are written in: English, or the account's (a blocked order's findings);
    #: a request's ``Accept-Language`` has them written again (app.api.problems).
    language: str = "en"

    def __str__(self) -> str:
        return f"{self.title}: " + "; ".join(f"{i.code} {i.message}" for i in self.issues)

    @classmethod
    def of(
        cls,
        code: str,
        field: str | None = None,
        *,
        title: str,
        status: int = 422,
        value: str | None = None,
        **params: str,
    ) -> NordublError:
        """The error of one catalogued code (``app.codes``: severity, message and hint written once)."""
        return cls(title, [issue(code, field, value=value, params=params)], status=status)
