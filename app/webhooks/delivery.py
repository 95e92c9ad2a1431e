"""Deliver the webhook rows of the outbox: lease, post, record; retried with exponential backoff.

:func:`deliver_webhooks` handles every due row once and returns; a worker calls it in a loop
(``nordubl webhooks deliver``). Rows are leased before the call (``lease_owner``, ``lease_until``) and each
update names the lease it expects, so two workers never post the same row at once. A row whose lease ran
out while ``sending`` (the worker died) is posted again: receivers drop duplicates by ``Nordubl-Event-Id``.

Backoff after a failed attempt *n*: ``base × 2^(n-1)`` seconds, at most ``max_seconds``; after
``max_attempts`` the row is ``failed``.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import socket
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from app.processing import account as accounts
from app.store.blobs import BlobError, BlobStore
from app.store.models import Document, OrderRecord
from app.store.outbox import OutboxEntry
from app.webhooks import signing

USER_AGENT = "nordubl-webhooks/1"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 30.0
    max_seconds: float = 6 * 3600.0
    lease_seconds: float = 120.0
    timeout_seconds: float = 10.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.base_seconds * 2 ** max(0, attempts - 1), self.max_seconds))


class DeliveryError(Exception):
    pass


def _due(now: datetime) -> Any:
    return and_(
        OutboxEntry.kind == "webhook",
        or_(
            and_(OutboxEntry.status == "queued", OutboxEntry.next_attempt_at <= now),
            and_(OutboxEntry.status == "sending", OutboxEntry.lease_until < now),
        ),
    )


def _check_address(host: str, port: int, allow_private: bool) -> None:
    """Refuse loopback, private, link-local … addresses unless allowed (an account's URL must not reach
    the service's own network)."""
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DeliveryError(f"{host}: {exc.strerror or exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise DeliveryError(f"{host} resolves to {address}, which is not a public address")


def post(url: str, body: bytes, headers: dict[str, str], timeout: float, allow_private: bool) -> int:
    """POST ``body``; answers the HTTP status (redirects are not followed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError(f"not an http(s) URL: {url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    _check_address(parts.hostname, port, allow_private)
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout)
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        conn.request("POST", target, body=body, headers=headers)
        response = conn.getresponse()
        response.read(64 * 1024)
        return response.status
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
    finally:
        conn.close()


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
    """Post every due webhook row once; answers how many were ``sent``, ``retry`` and ``failed``.
    Commits after each row. ``blobs``: include the document's XML in the payload."""
    policy = policy or RetryPolicy()
    owner = owner or f"{socket.gethostname()}:{os.getpid()}"
    if allow_private is None:
        from app.config import get_settings

        allow_private = get_settings().webhook_allow_private
    counts: Counter[str] = Counter()
    session.rollback()
    ids = list(
        session.scalars(
            select(OutboxEntry.id).where(_due(now)).order_by(OutboxEntry.next_attempt_at).limit(limit)
        )
    )
    session.commit()
    for entry_id in ids:
        # lease the row: only if it is still due (another worker may have taken it meanwhile)
        leased = session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entry_id, _due(now))
            .values(
                status="sending",
                lease_owner=owner,
                lease_until=now + timedelta(seconds=policy.lease_seconds),
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
            try:
                status = post(*request, policy.timeout_seconds, allow_private)
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except DeliveryError as exc:
                error = str(exc)
        mine = and_(
            OutboxEntry.id == entry_id, OutboxEntry.lease_owner == owner, OutboxEntry.status == "sending"
        )
        values: dict[str, Any]
        if error is None:
            values = {"status": "sent", "last_error": None}
            counts["sent"] += 1
        elif attempts >= policy.max_attempts:
            values = {"status": "failed", "last_error": error[:2000]}
            counts["failed"] += 1
        else:
            values = {
                "status": "queued",
                "last_error": error[:2000],
                "next_attempt_at": now + policy.delay(attempts),
            }
            counts["retry"] += 1
        session.execute(
            update(OutboxEntry)
            .where(mine)
            .values(lease_owner=None, lease_until=None, updated_at=now, **values)
        )
        session.commit()
    return counts
