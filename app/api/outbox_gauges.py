"""The outbox rows the ``/metrics`` gauges are built from, read from the application database at each
scrape (:class:`app.ops.metrics.OutboxCollector` turns them into gauges)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, text

from app.db import get_engine
from app.ops.metrics import OutboxRow

log = logging.getLogger(__name__)


def outbox_rows(database_url: str) -> list[OutboxRow] | None:
    """Each (kind, status) group of the ``outbox`` table; None when the table does not exist or the
    database does not answer (a scrape must answer anyway)."""
    try:
        engine = get_engine(database_url)
        with engine.connect() as conn:
            if not inspect(conn).has_table("outbox"):
                return None
            result = conn.execute(
                text(
                    "SELECT kind, status, count(*), coalesce(sum(attempts), 0), min(created_at) "
                    "FROM outbox GROUP BY kind, status"
                )
            )
            return [(str(k), str(s), int(c), int(a), _as_datetime(f)) for k, s, c, a, f in result]
    except Exception as exc:  # a scrape must answer even when the database does not
        log.warning("outbox metrics unavailable", extra={"error": str(exc)[:300]})
        return None


def _as_datetime(value: Any) -> datetime | None:
    """SQLite answers min() of a timestamp column as text: parse it (UTC, as the column stores it)."""
    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
