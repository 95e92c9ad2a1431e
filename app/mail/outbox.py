"""The mail rows of the outbox: claim with a lease, record each step, never hand a row over twice.

A row's life (``status``)::

    queued ──claim (lease)──► queued+leased ──prepare──► sending ──provider accepts──► sent
      ▲                            │                       │ ├─ temporary failure ─► queued (backoff)
      │                            └─ lease runs out ──────┤ ├─ permanent failure ─► failed
      │                               (claimable again)    │ └─ no answer ─────────► unknown
      └──────── explicit resend (who / when recorded) ◄────┴─ lease runs out ─────► unknown

* **Claim.** PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` picks a due, unleased row, the ``UPDATE`` sets
  ``lease_owner`` / ``lease_until`` in the same transaction. SQLite: the transaction starts with
  ``BEGIN IMMEDIATE`` (``app.db.engine``) and one ``UPDATE … RETURNING`` picks and leases the row;
  SQLAlchemy drops ``SKIP LOCKED`` there, so nothing relies on it. Either way two workers never hold
  the same row.
* **Prepare** (load the document, render the PDF, compose) happens under the lease while the row is still
  ``queued``: a worker that dies here leaves nothing sent, and the row is claimable once the lease ends.
* **sending** is committed *before* the message goes to the provider, ``sent`` after the provider accepted
  it. A row found ``sending`` with its lease run out belonged to a worker that died in between: whether the
  provider took the message cannot be known, so the row becomes ``unknown``, is shown to the owner and is
  never sent again automatically (:func:`reap_expired`). Only an explicit resend queues it again.

Every update names the row *and* the lease owner it expects, so a worker that lost its lease changes
nothing. Times come from the worker's clock (``now`` arguments): workers on several hosts need NTP.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, or_, select, update
from sqlalchemy.orm import Session

from app.store.models import OutboxEntry

STATUSES = ("queued", "sending", "sent", "failed", "unknown")

#: The outbox table (app.store; revision 0002), used through SQL expressions: every step is one statement.
outbox = cast(Table, OutboxEntry.__table__)
c = outbox.c


@dataclass(frozen=True, slots=True)
class Claim:
    """A mail row this worker holds the lease of."""

    id: int
    account_id: int
    document_id: int
    attempts: int
    message_id: str | None
    owner: str


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter, capped; ``max_attempts`` hand-overs at most."""

    max_attempts: int = 8
    base_seconds: float = 60.0
    max_seconds: float = 3600.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        """Wait after the ``attempts``-th failed hand-over: half the capped exponential, plus up to half again
        at random ("equal jitter"), so workers retrying together spread out but never retry at once."""
        ceiling = min(self.max_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        jitter = (rng or random).random()
        return timedelta(seconds=ceiling / 2 + ceiling / 2 * jitter)


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        c.kind == "mail",
        c.status == "queued",
        c.next_attempt_at <= now,
        or_(c.lease_until.is_(None), c.lease_until < now),
    )


def claim_next(session: Session, owner: str, now: datetime, lease: timedelta) -> Claim | None:
    """Lease the next due mail row to ``owner`` and commit; None when none is due."""
    due = _due(now)
    order = (c.next_attempt_at, c.id)
    values = {"lease_owner": owner, "lease_until": now + lease, "updated_at": now}
    returning = (c.id, c.account_id, c.document_id, c.attempts, c.message_id)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        picked = session.execute(
            select(c.id).where(due).order_by(*order).limit(1).with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if picked is None:
            session.rollback()
            return None
        row = session.execute(
            update(outbox).where(c.id == picked, due).values(**values).returning(*returning)
        ).one_or_none()
    else:
        # SQLite: the session's transaction began with BEGIN IMMEDIATE (app.db.engine), so this single
        # statement runs while no other writer can; the sub-select picks, the UPDATE leases.
        if dialect == "sqlite":
            _require_immediate(session)
        pick = select(c.id).where(due).order_by(*order).limit(1).scalar_subquery()
        row = session.execute(
            update(outbox).where(c.id == pick, due).values(**values).returning(*returning)
        ).one_or_none()
    session.commit()
    if row is None:
        return None
    return Claim(row.id, row.account_id, row.document_id, row.attempts, row.message_id, owner)


def _require_immediate(session: Session) -> None:
    from sqlalchemy import event

    from app.db.engine import _sqlite_begin

    engine = session.get_bind().engine
    if not event.contains(engine, "begin", _sqlite_begin):
        raise RuntimeError(
            "SQLite engines for the mail worker must come from app.db.make_engine (BEGIN IMMEDIATE)"
        )


def _mine(claim: Claim, *statuses: str) -> ColumnElement[bool]:
    return and_(c.id == claim.id, c.lease_owner == claim.owner, c.status.in_(statuses))


def _move(session: Session, claim: Claim, statuses: tuple[str, ...], *where: Any, **values: Any) -> bool:
    """Update the claimed row while this claim still holds its lease in one of ``statuses``; False when
    the lease was lost (another worker, a reaper or a resend got there first)."""
    result = session.execute(update(outbox).where(_mine(claim, *statuses), *where).values(**values))
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def _failure(error: str, count: bool) -> dict[str, Any]:
    """The columns of a failed try: its error kept, the lease given up; ``count``: it failed before any
    hand-over (preparing the message) and counts as an attempt all the same."""
    return {"attempts": c.attempts + (1 if count else 0), "lease_until": None, "last_error": error[:4000]}


def mark_sending(session: Session, claim: Claim, now: datetime, lease: timedelta, message_id: str) -> bool:
    """``sending`` with a fresh lease, before the hand-over (the caller commits, with its attempt record);
    False when the lease was lost."""
    return _move(
        session,
        claim,
        ("queued",),
        c.lease_until >= now,
        status="sending",
        attempts=c.attempts + 1,
        lease_until=now + lease,
        message_id=message_id,
        updated_at=now,
    )


def mark_sent(session: Session, claim: Claim, now: datetime, reply: str) -> bool:
    """The provider accepted the message. Also from ``unknown`` (the lease ran out while the provider was
    still answering): an acceptance is a fact and wins; a row queued again by a resend is left alone."""
    return _move(
        session,
        claim,
        ("sending", "unknown"),
        status="sent",
        last_error=None,
        lease_until=None,
        updated_at=now,
    )


def mark_retry(
    session: Session, claim: Claim, now: datetime, delay: timedelta, error: str, count: bool = False
) -> bool:
    """A temporary failure: queued again after ``delay``; the lease is given back. ``count``: the failure
    came before any hand-over (preparing the message) and counts as an attempt all the same."""
    return _move(
        session,
        claim,
        ("sending", "queued"),
        status="queued",
        next_attempt_at=now + delay,
        lease_owner=None,
        updated_at=now,
        **_failure(error, count),
    )


def mark_failed(session: Session, claim: Claim, now: datetime, error: str, count: bool = False) -> bool:
    """Given up (``count``: the last try failed before any hand-over and counts as an attempt)."""
    return _move(
        session, claim, ("sending", "queued"), status="failed", updated_at=now, **_failure(error, count)
    )


def mark_unknown(session: Session, claim: Claim, now: datetime, error: str) -> bool:
    return _move(
        session,
        claim,
        ("sending",),
        status="unknown",
        lease_until=None,
        last_error=error[:4000],
        updated_at=now,
    )


@dataclass(frozen=True, slots=True)
class Reaped:
    id: int
    account_id: int
    document_id: int
    lease_owner: str | None


def reap_expired(session: Session, now: datetime) -> list[Reaped]:
    """Rows left ``sending`` by a worker that died (lease run out) become ``unknown`` (the caller commits)."""
    rows = session.execute(
        update(outbox)
        .where(c.kind == "mail", c.status == "sending", c.lease_until < now)
        .values(
            status="unknown",
            last_error="The worker stopped after handing the mail over and before recording the answer "
            "(or just before handing it over): it may or may not have been delivered. It is not sent again "
            "unless resent by hand.",
            updated_at=now,
        )
        .returning(c.id, c.account_id, c.document_id, c.lease_owner)
    ).all()
    return [Reaped(r.id, r.account_id, r.document_id, r.lease_owner) for r in rows]
