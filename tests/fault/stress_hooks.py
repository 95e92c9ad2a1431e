"""What the stress test's pool workers run (module level: imported there by name)."""

from __future__ import annotations

import os
import threading

from app.validation.engine import Engine


def verdict(engine: Engine, index: int, data: bytes) -> tuple[int, int, int, bool, tuple[str, ...]]:
    """(pid, thread, document index, valid, sorted failed rule ids) of one validation in a worker."""
    report = engine.validate(data)
    return os.getpid(), threading.get_ident(), index, report.valid, tuple(sorted(report.fatal_codes()))
