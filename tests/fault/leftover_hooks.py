"""Functions the leftover tests run in spawned workers, and the parent process they kill (module level:
spawned workers import them by name)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.batch.checker import Checker
from app.batch.loader import Input
from app.validation.engine import Engine
from app.validation.report import Report


def worker_pid(engine: Engine) -> int:
    return os.getpid()


def hang(engine: Engine, data: bytes, name: str) -> Report:
    """A check that never ends: writes its worker's pid into the folder of ``name`` (``worker-<pid>``),
    then sleeps for an hour."""
    Path(name).with_name(f"worker-{os.getpid()}").touch()
    time.sleep(3600)
    return Report(filename=name)


def checker_parent(folder: str) -> None:
    """The process the test kills: a two-worker checker validating documents that hang (more than two:
    one may be queued behind each worker's)."""
    with Checker(jobs=2, check=hang) as checker:
        for _ in checker.run([Input(str(Path(folder) / f"doc-{i}.xml"), b"<Invoice/>") for i in range(6)]):
            pass
