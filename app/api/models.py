"""The table of the HTTP API: the rate limit's token buckets (revision 0008; logic in :mod:`app.api.ratelimit`)."""

from __future__ import annotations

from sqlalchemy import Double, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class RateBucket(Base):
    """One client's bucket, shared by every process on the database (revision 0008)."""

    __tablename__ = "rate_buckets"

    #: The client key (:func:`client_key`): an IPv4 address or an IPv6 /64 prefix.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Tokens left at ``stamp``.
    tokens: Mapped[float] = mapped_column(Double)
    #: Unix time (seconds) of the last granted take; the purge reads it.
    stamp: Mapped[float] = mapped_column(Double, index=True)
