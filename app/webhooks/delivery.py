"""Deliver the webhook rows of the outbox: lease, post, record; retried with exponential backoff.

:func:`deliver_webhooks` handles every due row once and returns; a worker calls it in a loop
(``nordubl webhooks deliver``). Rows are leased before the call (``lease_owner``, ``lease_until``) and each
update names the lease it expects, so two workers never post the same row at once. A row whose lease ran
out while ``sending`` (the worker died) is posted again: receivers drop duplicates by ``Nordubl-Event-Id``.

Each post has one total deadline (``deadline_seconds``: connect, send and the whole answer read), shorter
than the lease, so a receiver that trickles its answer a byte at a time is cut off at the deadline and the
attempt recorded as failed. While a post runs, the lease is renewed every ``renew_seconds`` by an update
that names the lease it owns, so no other worker takes over a row whose post is still running; a renewal
that finds the row taken over ends the post. An account whose post failed gets no further post in the same
round (its other rows wait for the next one), so one slow receiver holds up other accounts' events for at
most one deadline per round.

Backoff after a failed attempt *n*: ``base × 2^(n-1)`` seconds, at most ``max_seconds``; after
``max_attempts`` the row is ``failed``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.processing import account as accounts
from app.store.blobs import BlobError, BlobStore
from app.store.models import Document, OrderRecord, OutboxEntry
from app.webhooks import signing
from app.webhooks.posting import Cutoff, DeliveryError, post

if TYPE_CHECKING:
    from app.config import Settings

USER_AGENT = "nordubl-webhooks/1"
log = logging.getLogger("nordubl.webhooks")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 30.0
    max_seconds: float = 6 * 3600.0
    #: How long a worker holds a row it posts; renewed while the post runs.
    lease_seconds: float = 120.0
    #: Total time of one post: connect, send and the whole answer. Shorter than the lease.
    deadline_seconds: float = 10.0
    #: Seconds between lease renewals while a post runs; default a quarter of the lease.
    renew_seconds: float | None = None

    def __post_init__(self) -> None:
        if not self.deadline_seconds > 0:
            raise ValueError(f"deadline_seconds must be positive, not {self.deadline_seconds}")
        if not self.deadline_seconds < self.lease_seconds:
            raise ValueError(
                f"deadline_seconds ({self.deadline_seconds:g}) must be shorter than lease_seconds "
                f"({self.lease_seconds:g}): a post still running when its lease runs out would be posted "
                "again by another worker"
            )
        if self.renew_seconds is not None and not 0 < self.renew_seconds < self.lease_seconds:
            raise ValueError(
                f"renew_seconds ({self.renew_seconds:g}) must be positive and shorter than lease_seconds "
                f"({self.lease_seconds:g})"
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            lease_seconds=settings.webhook_lease_seconds, deadline_seconds=settings.webhook_deadline_seconds
        )

    @property
    def renew_interval(self) -> float:
        # a quarter of the lease: three renewals may be missed (a busy database) before the lease runs out
        return self.renew_seconds if self.renew_seconds is not None else self.lease_seconds / 4

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.base_seconds * 2 ** max(0, attempts - 1), self.max_seconds))


def _due(now: datetime) -> Any:
    return and_(
        OutboxEntry.kind == "webhook",
        or_(
            and_(OutboxEntry.status == "queued", OutboxEntry.next_attempt_at <= now),
            and_(OutboxEntry.status == "sending", OutboxEntry.lease_until < now),
        ),
    )


def renew_lease(session: Session, entry_id: int, owner: str, until: datetime) -> bool:
    """Extend the lease ``owner`` holds on a ``sending`` row to ``until``; answers False (and changes
    nothing) when the row is no longer this owner's (another worker took it over, or it was finished)."""
    result = session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, OutboxEntry.lease_owner == owner, OutboxEntry.status == "sending")
        .values(lease_until=until)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


class _LeaseKeeper(threading.Thread):
    """Renews one row's lease every ``policy.renew_interval`` seconds while its post runs (with a session of
    its own); cuts the post when the row turns out to be someone else's."""

    def __init__(
        self,
        session: Session,
        entry_id: int,
        owner: str,
        policy: RetryPolicy,
        clock: Callable[[], datetime],
        cutoff: Cutoff,
    ) -> None:
        super().__init__(name=f"webhook-lease-{entry_id}", daemon=True)
        self._bind = session.get_bind()
        self._args = (entry_id, owner)
        self._policy = policy
        self._clock = clock
        self._cutoff = cutoff
        self._stopping = threading.Event()

    def run(self) -> None:
        entry_id, owner = self._args
        with Session(bind=self._bind) as session:
            while not self._stopping.wait(self._policy.renew_interval):
                until = self._clock() + timedelta(seconds=self._policy.lease_seconds)
                try:
                    mine = renew_lease(session, entry_id, owner, until)
                except SQLAlchemyError as exc:  # the next renewal tries again; the deadline ends the post
                    session.rollback()
                    log.warning("webhook %s: the lease could not be renewed: %s", entry_id, exc)
                    continue
                if not mine:
                    self._cutoff.cut("the row was taken over by another worker while it was being posted")
                    return

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def payload(session: Session, entry: OutboxEntry, blobs: BlobStore | None, now: datetime) -> dict[str, Any]:
    document = session.get(Document, entry.document_id)
    if document is None:
        raise DeliveryError(f"document {entry.document_id} is missing")
    order = session.get(OrderRecord, document.order_id) if document.order_id else None
    body: dict[str, Any] = {
        "id": f"evt_{entry.id}",
        "type": "order.processed",
        "created_at": entry.created_at.isoformat(),
        "delivered_at": now.isoformat(),
        "account_id": entry.account_id,
        "order": {
            "id": order.external_id if order else None,
            "state": order.state if order else None,
            "shop_status": order.shop_status if order else None,
        },
        "document": {
            "id": document.id,
            "uuid": document.uuid,
            "kind": document.kind,
            "number": document.number,
            "status": document.status,
            "profile": document.profile,
            "issue_date": document.issue_date.isoformat(),
            "currency": document.currency,
            "payable": document.payable,
            "customer_number": document.customer_number,
            "sha256": document.sha256,
            "xml_url": f"/v1/documents/{document.id}.xml",
        },
    }
    if blobs is not None:
        try:
            body["document"]["xml"] = blobs.get(document.sha256).decode("utf-8")
        except BlobError as exc:
            raise DeliveryError(str(exc)) from None
    return body


def deliver_webhooks(
    session: Session,
    now: datetime,
    *,
    blobs: BlobStore | None = None,
    owner: str | None = None,
    limit: int = 100,
    policy: RetryPolicy | None = None,
    allow_private: bool | None = None,
) -> Counter[str]:
    """Post every due webhook row once; answers how many were ``sent``, ``retry`` and ``failed``, and
    ``lost`` (taken over by another worker while being posted). Commits after each row. ``blobs``: include the document's XML in the payload.

    ``now`` is the time of the round; a lease is taken and renewed from it plus the time the round has
    run (``now`` + monotonic elapsed), so a row posted late in a long round still gets a whole lease."""
    policy = policy or RetryPolicy()
    owner = owner or f"{socket.gethostname()}:{os.getpid()}"
    if allow_private is None:
        from app.config import get_settings

        allow_private = get_settings().webhook_allow_private
    started = time.monotonic()

    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    counts: Counter[str] = Counter()
    session.rollback()
    rows = list(
        session.execute(
            select(OutboxEntry.id, OutboxEntry.account_id)
            .where(_due(now))
            .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
            .limit(limit)
        )
    )
    session.commit()
    failed_accounts: set[int] = set()
    for entry_id, account_id in rows:
        if account_id in failed_accounts:
            continue  # its receiver failed in this round: its other rows wait for the next round
        # lease the row: only if it is still due (another worker may have taken it meanwhile)
        leased = session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entry_id, _due(now))
            .values(
                status="sending",
                lease_owner=owner,
                lease_until=clock() + timedelta(seconds=policy.lease_seconds),
                attempts=OutboxEntry.attempts + 1,
                updated_at=now,
            )
            .returning(OutboxEntry.id)
        ).first()
        session.commit()
        if leased is None:
            continue
        entry = session.get(OutboxEntry, entry_id, populate_existing=True)
        assert entry is not None
        attempts = entry.attempts
        error: str | None = None
        request: tuple[str, bytes, dict[str, str]] | None = None
        try:
            hook = accounts.webhook_of(session, entry.account_id)
            if hook is None:
                raise DeliveryError("the account has no webhook URL any more")
            url, secret = hook
            body = json.dumps(
                payload(session, entry, blobs, now), separators=(",", ":"), ensure_ascii=False
            ).encode()
            headers = {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Nordubl-Event-Id": f"evt_{entry.id}",
                signing.HEADER: signing.header_value(secret, int(now.timestamp()), body),
            }
            request = (url, body, headers)
        except DeliveryError as exc:
            error = str(exc)
        session.commit()  # no transaction (and no SQLite lock) is held during the call
        if request is not None:
            # a whole lease from the start of the post (building the payload took time), and the row is
            # still ours: the post then ends (deadline < lease) before the lease can run out
            if not renew_lease(session, entry_id, owner, clock() + timedelta(seconds=policy.lease_seconds)):
                counts["lost"] += 1  # taken over meanwhile; the new owner records the outcome
                continue
            cutoff = Cutoff()
            keeper = _LeaseKeeper(session, entry_id, owner, policy, clock, cutoff)
            keeper.start()
            try:
                status = post(*request, policy.deadline_seconds, allow_private, cutoff)
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except DeliveryError as exc:
                error = str(exc)
            finally:
                keeper.stop()
            if error is not None:  # the receiver failed (or was too slow): not again in this round
                failed_accounts.add(account_id)
        mine = and_(
            OutboxEntry.id == entry_id, OutboxEntry.lease_owner == owner, OutboxEntry.status == "sending"
        )
        values: dict[str, Any]
        if error is None:
            values, outcome = {"status": "sent", "last_error": None}, "sent"
        elif attempts >= policy.max_attempts:
            values, outcome = {"status": "failed", "last_error": error[:2000]}, "failed"
        else:
            values = {
                "status": "queued",
                "last_error": error[:2000],
                "next_attempt_at": now + policy.delay(attempts),
            }
            outcome = "retry"
        result = session.execute(
            update(OutboxEntry)
            .where(mine)
            .values(lease_owner=None, lease_until=None, updated_at=now, **values)
        )
        session.commit()
        # "lost": another worker took the row over meanwhile; its outcome is that worker's to record
        counts[outcome if getattr(result, "rowcount", 0) == 1 else "lost"] += 1
    return counts
