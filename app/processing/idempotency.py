"""``Idempotency-Key`` on creating requests (IETF draft-ietf-httpapi-idempotency-key-header; Stripe's
behaviour), scoped to the account.

* The first request with a key claims it (a row committed before the work starts) and, when it succeeds,
  stores its status, headers and body; a retry with the same key and the same request gets that answer
  again (``Idempotent-Replayed: true``), without doing the work a second time.
* The same key with another request body (or another endpoint) is refused with 422, naming the first
  field that differs.
* The same key while the first request is still being processed: 409 (retry later). A claim that is not
  finished within ``lock_seconds`` (setting ``idempotency_lock_seconds``, default :data:`LOCK_SECONDS`:
  the process died) can be taken over.
* A request that fails (4xx, 5xx) releases its key: the cause can be fixed and the same request sent again
  with the same key. Only successful answers are kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import NordublError
from app.processing.content import first_difference
from app.processing.models import IdempotencyKey

HEADER = "Idempotency-Key"
#: How long a claim holds a key by default (``idempotency_lock_seconds``): longer than any request runs.
LOCK_SECONDS = 120
MAX_KEY_LENGTH = 255
#: Answer headers kept with the stored answer and replayed.
KEPT_HEADERS = (
    "content-type",
    "location",
    "x-nordubl-ruleset",
    "x-nordubl-profile",
    "x-nordubl-profile-reason",
    "x-nordubl-document-id",
    "x-nordubl-order-state",
)


@dataclass(frozen=True)
class Replay:
    status: int
    headers: dict[str, str]
    body: bytes
    media_type: str | None


@dataclass(frozen=True)
class Claim:
    id: int
    key: str


def _bad_key() -> NordublError:
    return NordublError.of(
        "idempotency.key_invalid",
        HEADER,
        title="Invalid Idempotency-Key",
        status=400,
        max=str(MAX_KEY_LENGTH),
    )


def check_key(key: str) -> str:
    key = key.strip()
    # the draft's key is a Structured Field string: printable ASCII
    if not key or len(key) > MAX_KEY_LENGTH or not all(0x20 <= ord(c) < 0x7F for c in key):
        raise _bad_key()
    return key.strip('"')


def request_hash(method: str, path: str, body: bytes) -> str:
    h = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _difference(old: bytes, new: bytes) -> str:
    try:
        return first_difference(json.loads(old), json.loads(new)) or "body"
    except ValueError:
        return "body"


def _find(session: Session, account_id: int, key: str) -> IdempotencyKey | None:
    return session.scalars(
        select(IdempotencyKey)
        .where(IdempotencyKey.account_id == account_id, IdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    ).one_or_none()


def claim(
    session: Session,
    account_id: int,
    key: str,
    method: str,
    path: str,
    body: bytes,
    now: datetime,
    lock_seconds: int = LOCK_SECONDS,
) -> Claim | Replay:
    """Claim ``key`` for this request (committed at once), or the stored answer of the first one."""
    key = check_key(key)
    digest = request_hash(method, path, body)
    row = _find(session, account_id, key)
    if row is None:
        try:
            with session.begin_nested():
                row = IdempotencyKey(
                    account_id=account_id,
                    key=key,
                    method=method.upper(),
                    path=path[:500],
                    request_hash=digest,
                    request_body=body,
                    state="in_flight",
                    locked_until=now + timedelta(seconds=lock_seconds),
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
            session.commit()
            return Claim(row.id, key)
        except IntegrityError:
            session.rollback()  # a concurrent request with the same key was first
            row = _find(session, account_id, key)
            if row is None:  # … and has released it meanwhile
                return claim(session, account_id, key, method, path, body, now, lock_seconds)
    if row.request_hash != digest:
        if (row.method, row.path) != (method.upper(), path[:500]):
            where, other = "path", {"variant": "path", "request": f"{row.method} {row.path}"}
        else:
            where, other = _difference(row.request_body, body), {}
        session.rollback()
        raise NordublError.of(
            "idempotency.mismatch",
            where,
            title="Idempotency-Key reused for another request",
            status=422,
            key=key,
            **other,
        )
    if row.state == "done":
        assert row.response_status is not None and row.response_body is not None
        replay = Replay(
            row.response_status, dict(row.response_headers or {}), row.response_body, row.response_media_type
        )
        session.rollback()
        return replay
    if row.locked_until is not None and row.locked_until > now:
        session.rollback()
        raise NordublError.of(
            "idempotency.in_flight",
            HEADER,
            title="A request with this Idempotency-Key is in progress",
            status=409,
            key=key,
        )
    # the first request's claim ran out (its process died): take it over, unless someone else just did
    taken = session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == row.id, IdempotencyKey.locked_until == row.locked_until)
        .values(locked_until=now + timedelta(seconds=lock_seconds), updated_at=now)
    )
    session.commit()
    if getattr(taken, "rowcount", 0) != 1:
        return claim(session, account_id, key, method, path, body, now, lock_seconds)
    return Claim(row.id, key)


def finish(
    session: Session,
    c: Claim,
    status: int,
    headers: dict[str, str],
    body: bytes,
    media_type: str | None,
    now: datetime,
) -> None:
    """Keep a successful answer for replays; release the key after a failure. Commits."""
    session.rollback()  # whatever the request left open (its own work is committed or rolled back)
    if 200 <= status < 300:
        kept = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.id == c.id)
            .values(
                state="done",
                locked_until=None,
                response_status=status,
                response_headers=kept,
                response_body=body,
                response_media_type=media_type,
                updated_at=now,
            )
        )
    else:
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == c.id))
    session.commit()


def replay_headers(replay: Replay) -> dict[str, Any]:
    return {**replay.headers, "Idempotent-Replayed": "true"}
