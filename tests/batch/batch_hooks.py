"""Check functions for the worker pool's tests (module level: spawned workers import them by name)."""

from __future__ import annotations

import os
import signal
import time

from app.batch.checker import validate_document
from app.validation.engine import Engine
from app.validation.report import Report

#: A file whose name ends so is fatal to the worker that validates it.
KILL_MARKER = "kill-the-worker.xml"
RAISE_MARKER = "raise-in-engine.xml"


def validate_or_die(engine: Engine, data: bytes, name: str) -> Report:
    """The real validation, except that a worker is killed (SIGKILL, as by the OOM killer) on
    ``KILL_MARKER`` and the check raises on ``RAISE_MARKER``."""
    if name.endswith(KILL_MARKER):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.endswith(RAISE_MARKER):
        raise RuntimeError("simulated engine failure")
    return validate_document(engine, data, name)


def pid(engine: Engine, data: bytes, name: str) -> Report:
    """Reports which process validated the file (as its ruleset) without validating it; takes 50 ms,
    so that a batch of a few dozen outlasts the start-up of every worker."""
    time.sleep(0.05)
    return Report(filename=name, ruleset=str(os.getpid()))
