"""A pool of spawned validation processes, each with one warm :class:`~app.validation.engine.Engine`.

Saxon must not cross a thread or a fork, so the API can validate on more than one core only with more
processes. :class:`ValidationPool` runs N worker processes started with ``spawn`` (a fresh interpreter,
nothing inherited from the server process but the arguments); the initializer of each one creates its
engine, optionally caps its address space (``RLIMIT_AS``), compiles the rule sets most documents need
(the warm-up; the rest on first use) and only then counts itself ready. A worker ends with the server
process, however that ends (``kill -9`` included): :mod:`app.pool.lifeline`. Starting, replacing and
stopping the workers is :class:`app.pool.executor.ExecutorPool`'s. A call ``fn(engine, *args)`` runs in whichever worker is free; ``fn`` must be a
module-level function (it is sent by reference) and its arguments and result must pickle.

A worker that dies — killed, out of memory, a crash inside Saxon — breaks a
:class:`~concurrent.futures.ProcessPoolExecutor` and every call in flight with it. Those calls raise
:class:`EngineCrashed` (HTTP 503, issue ``engine.crashed``: retry). The pool is replaced at once by a new
one that warms up in the background; calls made meanwhile wait for it. A watcher thread notices a
worker that died while idle, so the pool is replaced (and readiness recovers) without traffic.

Errors raised by ``fn`` come back as values, never as pickled exceptions: an exception that fails to
unpickle in the server would otherwise break the pool as a crash does.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.codes import issue
from app.errors import NordublError
from app.issues import Issue
from app.pool.executor import ExecutorPool

log = logging.getLogger(__name__)

# -- inside a worker process --------------------------------------------------------------------------

_engine: Any = None


def _setup(
    standards_dir: str, max_bytes: int, warm_up: bool, families: frozenset[str] | None = None
) -> None:  # pragma: no cover - runs in the spawned worker
    """Runs once in each worker, its memory capped: create the engine, compile the eager rule sets."""
    global _engine
    from app.ops.logs import configure_worker_logging

    configure_worker_logging()
    from app.validation.engine import Engine
    from app.validation.rulesets import eager_rulesets

    engine = Engine(Path(standards_dir), max_bytes, families)
    if warm_up:
        engine.warm_up([rs for rs in eager_rulesets() if families is None or rs.family in families])
    _engine = engine


@dataclass(frozen=True)
class _Failed:
    """An exception raised by the called function, carried back as plain values."""

    kind: str
    title: str
    status: int
    issues: list[Issue]
    detail: str


def _invoke(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:  # pragma: no cover - in the worker
    from app.validation.engine import OutsideFamily

    try:
        return fn(_engine, *args)
    except OutsideFamily as exc:
        return _Failed("family", exc.family, 0, [], "")
    except NordublError as err:
        return _Failed("nordubl", err.title, err.status, list(err.issues), "")
    except Exception as exc:
        return _Failed(type(exc).__name__, str(exc)[:1000], 500, [], traceback.format_exc(limit=20)[-4000:])


def _validate(engine: Any, data: bytes, filename: str | None) -> Any:  # pragma: no cover - in the worker
    return engine.validate(data, filename)


# -- in the server process ---------------------------------------------------------------------------


class EngineCrashed(NordublError):
    """The worker validating this request died; answered 503, a retry goes to a fresh worker."""


def engine_crashed(detail: str) -> EngineCrashed:
    return EngineCrashed(
        "The validation engine crashed",
        [issue("engine.crashed", params={"variant": "pool", "detail": detail})],
        503,
    )


class EngineFailed(RuntimeError):
    """The called function raised something other than a :class:`NordublError` inside a worker."""


class ValidationPool(ExecutorPool):
    """N spawned validation workers (see the module docstring)."""

    what = "validation"
    log = log
    invoke = staticmethod(_invoke)

    def __init__(
        self,
        workers: int,
        *,
        standards_dir: Path,
        max_bytes: int,
        memory_mb: int = 0,
        warm_up: bool = True,
        on_crash: Callable[[], None] | None = None,
        families: frozenset[str] | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("a validation pool needs at least one worker")
        self.standards_dir = Path(standards_dir)
        self.max_bytes = max_bytes
        self.warm_up = warm_up
        #: Rule-set families the workers compile and validate (None: all; see ``validation_oioubl_workers``).
        self.families = families
        args = (str(self.standards_dir), max_bytes, warm_up, families)
        super().__init__(workers, _setup, args, memory_mb=memory_mb, on_crash=on_crash)

    def __enter__(self) -> ValidationPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def crashed(self, detail: str) -> EngineCrashed:
        return engine_crashed(detail)

    def unwrap(self, result: Any) -> Any:
        if isinstance(result, _Failed):
            if result.kind == "family":
                from app.validation.engine import OutsideFamily

                raise OutsideFamily(result.title)
            if result.kind == "nordubl":
                raise NordublError(result.title, result.issues, result.status)
            raise EngineFailed(f"{result.kind}: {result.title}\n{result.detail}")
        return result

    def validate_sync(self, data: bytes, filename: str | None = None) -> Any:
        return self.call_sync(_validate, data, filename)

    async def validate(self, data: bytes, filename: str | None = None) -> Any:
        return await self.call(_validate, data, filename)
