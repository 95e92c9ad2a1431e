"""The validation budget of one uploaded document: what it may cost the API before it is refused.

An anonymous caller can send a document that is cheap to send and dear to check: a million sibling
``<cbc:Note>`` elements are 22 MB and keep the official stylesheets busy for most of a minute, while every
other request waits for the same engine. So the API's validation routes (``POST /v1/validate``,
``/v1/render`` and each document of ``/v1/validate/batch``) validate within a :class:`Budget`:

- **size**: at most ``validation_budget_bytes`` (413, ``validation.too_large``), checked before parsing;
- **elements**: at most ``validation_budget_elements`` elements (422, ``validation.too_many_elements``),
  counted right after the safe parse and before any rule runs. The rules' cost grows with the element
  count (about 45 µs per element for Peppol BIS Billing, both stylesheets), so this
  bound is what keeps the rule stages short;
- **time**: no stage (XSD, each stylesheet) starts once ``validation_budget_seconds`` have passed since
  the validation began (422, ``validation.over_budget``). A stage that has started runs to its end (lxml
  and Saxon cannot be interrupted from outside), so a validation may overrun the budget by one stage;
  the element bound keeps that stage short.

Documents the service generates itself (orders, invoices) and the CLI (``nordubl validate``) have no
budget. Each refusal names its limit and setting and says how to go on: split the document, or validate
it locally with ``nordubl validate``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from app.codes import issue
from app.config import Settings
from app.errors import NordublError

#: The issue codes of a budget refusal.
CODES = frozenset({"validation.too_large", "validation.too_many_elements", "validation.over_budget"})


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits for one document (picklable: it travels to the validation pool's workers)."""

    max_bytes: int
    max_elements: int
    seconds: float

    @classmethod
    def of(cls, settings: Settings) -> Budget:
        return cls(
            settings.validation_budget_bytes,
            settings.validation_budget_elements,
            settings.validation_budget_seconds,
        )

    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise _exceeded(413, "validation.too_large", size=f"{size:,}", limit=f"{self.max_bytes:,}")

    def check_elements(self, data: bytes, tree: etree._ElementTree) -> None:
        # Every element has one start tag "<name"; the other "<" open end tags ("</"), comments, PIs and
        # CDATA sections (XML 1.0 §2.5-2.8, §3.1), and a "<" in text must be escaped (§2.4). So the count
        # of "<" minus that of "</" bounds the elements from above, in any encoding of XML 1.0 appendix F
        # (a start tag's "<" is never followed by a "/" byte): the tree is walked only when it is passed.
        if data.count(b"<") - data.count(b"</") <= self.max_elements:
            return
        count = sum(1 for _ in tree.getroot().iter(etree.Element))
        if count > self.max_elements:
            raise _exceeded(
                422, "validation.too_many_elements", count=f"{count:,}", limit=f"{self.max_elements:,}"
            )

    def clock(self) -> Deadline:
        return Deadline(self.seconds)


@dataclass
class Deadline:
    """The time budget of one validation, from its start."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self, stage: str) -> None:
        """Refuse to start ``stage`` once the budget is spent."""
        spent = time.monotonic() - self.started
        if spent > self.seconds:
            raise _exceeded(
                422, "validation.over_budget", spent=f"{spent:.1f}", stage=stage, seconds=f"{self.seconds:g}"
            )


class BudgetExceeded(NordublError):
    """The document costs more than the budget allows; answered 413 or 422 problem+json."""


def _exceeded(status: int, code: str, **params: str) -> BudgetExceeded:
    """The refusal of one catalogued ``validation.*`` code (app/codes/, field ``body``)."""
    return BudgetExceeded(
        title="The document exceeds this service's validation budget",
        issues=[issue(code, params=params)],
        status=status,
    )


def is_budget(err: NordublError) -> bool:
    """Whether ``err`` is a budget refusal (also after the trip back from a pool worker, as a plain
    :class:`NordublError`)."""
    return bool(err.issues) and err.issues[0].code in CODES


def validate_within(engine: Any, data: bytes, filename: str | None, budget: Budget) -> Any:
    """``engine.validate`` within ``budget``; module-level, so the validation pool can send it to a worker."""
    return engine.validate(data, filename, budget)
