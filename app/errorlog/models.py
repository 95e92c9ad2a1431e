"""The error log table: one entry per (account, order, code, field), counted while it recurs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import AccountRow, Base, UTCDateTime, utcnow


class ErrorLogEntry(AccountRow, Base):
    __tablename__ = "error_log"
    __table_args__ = (
        UniqueConstraint("account_id", "order_key", "code", "field"),
        CheckConstraint("severity IN ('error', 'warning')", name="severity"),
        CheckConstraint("count >= 1", name="count"),
        Index(
            "ix_error_log_account_id_resolved_at_last_seen_at", "account_id", "resolved_at", "last_seen_at"
        ),
    )

    #: The shop's order id the finding is about ("" when none).
    order_key: Mapped[str] = mapped_column(String(100))
    #: A stable code: ``product.unknown``, ``fee.unmapped`` …, ``customer.*``, ``input.*`` or a rule id.
    code: Mapped[str] = mapped_column(String(100))
    #: The form field to fix ("" when none).
    field: Mapped[str] = mapped_column(String(300))
    #: error: blocked the order; warning: reported, the order went through.
    severity: Mapped[str] = mapped_column(String(10))
    #: The message and hint as produced (English); the API shows them in the account's language from
    #: ``params`` when the code is in the message catalogue.
    message: Mapped[str] = mapped_column(Text)
    hint: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(String(500))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    count: Mapped[int] = mapped_column(Integer, default=1)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: ``resubmit`` (the order went through), ``skipped`` (the order is not processed), ``owner`` (by hand).
    resolved_by: Mapped[str | None] = mapped_column(String(20))
