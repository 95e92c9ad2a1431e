"""Record findings, resolve them, list them in the account's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.text import storable
from app.errorlog.messages import localize
from app.errorlog.models import ErrorLogEntry
from app.errors import NordublError
from app.issues import Issue


@dataclass(frozen=True)
class Finding:
    """One finding about an order: the issue (English text), whether it blocks, and the parameters the
    message catalogue fills in."""

    issue: Issue
    blocking: bool = True
    params: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        # the columns' widths: a field path built from the shop's own keys can be long
        return storable(self.issue.code[:100]), storable((self.issue.field or "")[:300])


def record(
    session: Session, account_id: int, order_key: str, findings: Sequence[Finding], now: datetime
) -> list[ErrorLogEntry]:
    """Add the findings to the log or count them again; a resolved entry that recurs is reopened.
    Flushes; the caller commits."""
    out: list[ErrorLogEntry] = []
    seen: set[tuple[str, str]] = set()
    # a refused form is logged as it came: a NUL or a lone surrogate in it is shown, not stored (PostgreSQL
    # cannot hold either), so the owner still sees which field to clean
    order_key = storable(order_key)
    for f in findings:
        if f.key in seen:
            continue
        seen.add(f.key)
        code, fld = f.key
        entry = _get(session, account_id, order_key, code, fld)
        if entry is None:
            entry = ErrorLogEntry(
                account_id=account_id,
                order_key=order_key,
                code=code,
                field=fld,
                severity="error" if f.blocking else "warning",
                message=storable(f.issue.message),
                hint=storable(f.issue.hint) if f.issue.hint else None,
                value=storable((f.issue.value or "")[:500]) or None,
                params=_params(f),
                first_seen_at=now,
                last_seen_at=now,
                count=1,
            )
            try:
                with session.begin_nested():
                    session.add(entry)
                    session.flush()
                out.append(entry)
                continue
            except IntegrityError:  # recorded by a concurrent transaction meanwhile
                entry = _get(session, account_id, order_key, code, fld)
                assert entry is not None
        entry.count += 1
        entry.last_seen_at = now
        entry.severity = "error" if f.blocking else "warning"
        entry.message = storable(f.issue.message)
        entry.hint = storable(f.issue.hint) if f.issue.hint else None
        entry.value = storable((f.issue.value or "")[:500]) or None
        entry.params = _params(f)
        entry.resolved_at = None
        entry.resolved_by = None
        out.append(entry)
    session.flush()
    return out


def _params(f: Finding) -> dict[str, str]:
    return {storable(k): storable(str(v)) for k, v in f.params.items()}


def _get(session: Session, account_id: int, order_key: str, code: str, fld: str) -> ErrorLogEntry | None:
    return session.scalars(
        select(ErrorLogEntry).where(
            ErrorLogEntry.account_id == account_id,
            ErrorLogEntry.order_key == order_key,
            ErrorLogEntry.code == code,
            ErrorLogEntry.field == fld,
        )
    ).one_or_none()


def resolve_order(
    session: Session,
    account_id: int,
    order_key: str,
    now: datetime,
    by: str,
    keep: Iterable[tuple[str, str]] = (),
) -> int:
    """Resolve the order's open entries whose cause is gone (all but ``keep``); answers how many."""
    still = set(keep)
    n = 0
    for entry in session.scalars(
        select(ErrorLogEntry).where(
            ErrorLogEntry.account_id == account_id,
            ErrorLogEntry.order_key == order_key,
            ErrorLogEntry.resolved_at.is_(None),
        )
    ):
        if (entry.code, entry.field) in still:
            continue
        entry.resolved_at = now
        entry.resolved_by = by
        n += 1
    session.flush()
    return n


def resolve_entry(session: Session, account_id: int, entry_id: int, now: datetime) -> ErrorLogEntry:
    """The owner marks an entry resolved by hand (e.g. an order that will never be sent again)."""
    entry = session.scalars(
        select(ErrorLogEntry).where(ErrorLogEntry.id == entry_id, ErrorLogEntry.account_id == account_id)
    ).one_or_none()
    if entry is None:
        raise NordublError.of(
            "errorlog.not_found", title="No such error log entry", status=404, entry_id=str(entry_id)
        )
    if entry.resolved_at is None:
        entry.resolved_at = now
        entry.resolved_by = "owner"
        session.flush()
    return entry


def unresolved_errors_since(session: Session, account_id: int, since: datetime) -> int:
    """Open blocking entries seen at or after ``since`` (the trial rule: none in the last N days)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ErrorLogEntry)
            .where(
                ErrorLogEntry.account_id == account_id,
                ErrorLogEntry.severity == "error",
                ErrorLogEntry.resolved_at.is_(None),
                ErrorLogEntry.last_seen_at >= since,
            )
        )
        or 0
    )


def entries(
    session: Session,
    account_id: int,
    *,
    state: str = "open",
    order_key: str | None = None,
    code: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ErrorLogEntry], int]:
    where: list[Any] = [ErrorLogEntry.account_id == account_id]
    if state == "open":
        where.append(ErrorLogEntry.resolved_at.is_(None))
    elif state == "resolved":
        where.append(ErrorLogEntry.resolved_at.is_not(None))
    if order_key is not None:
        where.append(ErrorLogEntry.order_key == order_key)
    if code is not None:
        where.append(ErrorLogEntry.code == code)
    total = int(session.scalar(select(func.count()).select_from(ErrorLogEntry).where(*where)) or 0)
    rows = list(
        session.scalars(
            select(ErrorLogEntry)
            .where(*where)
            .order_by(ErrorLogEntry.last_seen_at.desc(), ErrorLogEntry.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    return rows, total


def as_dict(entry: ErrorLogEntry, language: str | None) -> dict[str, Any]:
    """An entry as the API shows it: message and hint in the account's language."""
    message, hint = localize(
        entry.code,
        language,
        {k: str(v) for k, v in (entry.params or {}).items()},
        entry.message,
        entry.hint,
        entry.field or None,
    )
    return {
        "id": entry.id,
        "order_id": entry.order_key or None,
        "code": entry.code,
        "field": entry.field or None,
        "severity": entry.severity,
        "message": message,
        "hint": hint,
        "value": entry.value,
        "first_seen_at": entry.first_seen_at,
        "last_seen_at": entry.last_seen_at,
        "count": entry.count,
        "resolved": entry.resolved_at is not None,
        "resolved_at": entry.resolved_at,
        "resolved_by": entry.resolved_by,
    }


def localized_issue(f: Finding, language: str | None) -> Issue:
    """The finding's issue with message and hint in ``language`` (for problem+json answers)."""
    from dataclasses import replace

    message, hint = localize(f.issue.code, language, f.params, f.issue.message, f.issue.hint, f.issue.field)
    severity = f.issue.severity if f.blocking else "warning"
    return replace(f.issue, message=message, hint=hint, severity=severity)
