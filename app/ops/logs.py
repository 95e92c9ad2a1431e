"""Structured logs: one JSON object per line on standard error, each carrying the request id.

The request id lives in a context variable set by :class:`app.api.middleware.RequestContextMiddleware`
for the duration of a request, so every log line written while handling it (in the handler, in a
dependency, in a thread the handler awaits) carries the same ``request_id``. Fields: ``ts`` (UTC,
ISO 8601), ``level``, ``logger``, ``message``, ``request_id`` when there is one, ``exc`` with the
traceback, and every ``extra={...}`` key given to the logging call.

Uvicorn's own loggers are routed through the same handler; its access log is left to the middleware,
which knows the route template, the status and the request id.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: The id of the request being handled in this context, if any.
request_id: ContextVar[str | None] = ContextVar("nordubl_request_id", default=None)

#: Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged as a field.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime", "taskName"}
)
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``ts level logger [request id] message``, for a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", None) or request_id.get()
        line = (
            f"{datetime.fromtimestamp(record.created, UTC).isoformat(timespec='milliseconds')} "
            f"{record.levelname.lower():7} {record.name}{f' [{rid}]' if rid else ''} {record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time of each record (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            stream = sys.stderr
            stream.write(line + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def configure_logging(fmt: str = "json", level: str = "INFO") -> None:
    """Install the handler on the root logger (once; calling again replaces it) and route uvicorn's logs."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, StderrHandler):
            root.removeHandler(handler)
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in _UVICORN:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # The middleware writes one access line per request (with the route and the request id).
    logging.getLogger("uvicorn.access").disabled = True
    # Alembic says at INFO, on every start, which plugins it sets up, which dialect it uses, that it assumes
    # transactional DDL and each revision it applies: noise among the service's lines. Its warnings show.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def configure_worker_logging() -> None:
    """Logging of a spawned worker process: the same lines on its standard error."""
    from app.config import get_settings

    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
