"""Functions the pool tests send to spawned validation workers (module level: imported there by name)."""

from __future__ import annotations

import os
import resource
import signal
import time
from typing import Any

from app.validation.engine import Engine
from app.validation.report import Report


def pid(engine: Engine) -> int:
    return os.getpid()


def die(engine: Engine) -> None:
    """A crash inside the engine: the process ends at once, without cleaning up (as a SIGSEGV would)."""
    os._exit(70)


def slow_validate(engine: Engine, data: bytes, seconds: float) -> Report:
    """Validate after ``seconds``: a request that is surely in flight when the test kills its worker."""
    time.sleep(seconds)
    return engine.validate(data)


def sleep_then_kill_self(engine: Engine, seconds: float) -> None:
    time.sleep(seconds)
    os.kill(os.getpid(), signal.SIGKILL)


def limits(engine: Engine) -> dict[str, Any]:
    """The worker's address-space cap and what it holds compiled."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/status", encoding="ascii") as fh:
        status = dict(line.split(":", 1) for line in fh if ":" in line)
    return {
        "soft": soft,
        "hard": hard,
        "vm_size_kb": int(status["VmSize"].split()[0]),
        "vm_peak_kb": int(status["VmPeak"].split()[0]),
        "stylesheets": len(engine._xslt),
    }


def raise_plain(engine: Engine) -> None:
    raise ValueError("plain failure inside the worker")


def nordubl_error(engine: Engine) -> None:
    """A NordublError built with keywords (its args do not rebuild it): must still come back whole."""
    from app.errors import NordublError
    from app.issues import Issue

    raise NordublError(title="too large", status=413, issues=[Issue("input.too_large", "fatal", "big")])


def compiled(engine: Engine) -> list[str]:
    """The stylesheets this worker's engine has compiled (relative paths)."""
    return sorted(engine._xslt)
