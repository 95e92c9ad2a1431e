"""Tables of order processing: an account's processing settings and webhook, idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import AccountRow, Base, PerAccount, Timestamps, UTCDateTime, utcnow


class AccountProcessing(PerAccount, Base):
    """One row per account that changed its processing settings (none: the defaults)."""

    __tablename__ = "account_processing"

    #: ProcessingSettings as JSON.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    #: HMAC-SHA256 key of the webhook signatures (must be kept in clear to sign).
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    #: Since when the account is in draft mode (None: since it was created).
    draft_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class IdempotencyKey(AccountRow, Timestamps, Base):
    """A creating request by its ``Idempotency-Key`` (IETF draft-ietf-httpapi-idempotency-key-header),
    scoped to the account: the first answer is stored and replayed."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("account_id", "key"),
        CheckConstraint("state IN ('in_flight', 'done')", name="state"),
    )

    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    #: SHA-256 of method, path and body: "the same request".
    request_hash: Mapped[str] = mapped_column(String(64))
    #: The request body (to name the difference when a key comes back with another body).
    request_body: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(10))
    #: While in flight, the claim is good until then (a crashed request does not hold the key forever).
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_media_type: Mapped[str | None] = mapped_column(Text)
