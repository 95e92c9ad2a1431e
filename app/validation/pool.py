"""A pool of spawned validation processes, each with one warm :class:`~app.validation.engine.Engine`.

Saxon must not cross a thread or a fork, so the API can validate on more than one core only with more
processes. :class:`ValidationPool` runs N worker processes started with ``spawn`` (a fresh interpreter,
nothing inherited from the server process but the arguments); the initializer of each one creates its
engine, optionally caps its address space (``RLIMIT_AS``), compiles the rule sets most documents need (the warm-up; the rest on first use) and only
then counts itself ready. A worker ends with the server process, however that ends (``kill -9``
included): :mod:`app.ops.lifeline`. A call ``fn(engine, *args)`` runs in whichever worker is free; ``fn`` must be a
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

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import process as futures_process
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

from app.codes import issue
from app.errors import NordublError
from app.issues import Issue
from app.ops import lifeline

log = logging.getLogger(__name__)

_CTX = multiprocessing.get_context("spawn")
#: How often the watcher looks for a pool broken while idle.
WATCH_INTERVAL_S = 0.5
#: Pools in a row whose workers died before any was ready: the installation is broken, stop restarting.
MAX_START_FAILURES = 3

# -- inside a worker process --------------------------------------------------------------------------

_engine: Any = None


def _initializer(
    standards_dir: str,
    max_bytes: int,
    memory_mb: int,
    warm_up: bool,
    ready: Synchronized[int],
    families: frozenset[str] | None = None,
) -> None:  # pragma: no cover - runs in the spawned worker
    """Runs once in each worker: cap memory, create the engine, compile the eager rule sets, count as ready."""
    global _engine
    lifeline.die_with_parent()
    _close_parent_ends(sys._getframe(1))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and the server's shutdown are the parent's
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from app.ops.logs import configure_worker_logging

    configure_worker_logging()
    from app.validation.engine import Engine
    from app.validation.rulesets import eager_rulesets

    engine = Engine(Path(standards_dir), max_bytes, families)
    if warm_up:
        engine.warm_up([rs for rs in eager_rulesets() if families is None or rs.family in families])
    _engine = engine
    with ready.get_lock():
        ready.value += 1


def _close_parent_ends(caller: Any) -> None:  # pragma: no cover - runs in the spawned worker
    """Close the ends of the executor's queues that only the server uses. ProcessPoolExecutor hands each
    worker both ends of its call queue (so an idle worker blocked reading it would never see end of file)
    and offers no hook for this; the initializer is called by ``_process_worker(call_queue,
    result_queue, …)``, whose frame holds them."""
    if caller.f_code is not futures_process._process_worker.__code__:
        return
    call_queue, result_queue = caller.f_locals.get("call_queue"), caller.f_locals.get("result_queue")
    lifeline.close_parent_ends(getattr(call_queue, "_writer", None), getattr(result_queue, "_reader", None))


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


def _pid() -> int:  # pragma: no cover - in the worker
    return os.getpid()


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


class ValidationPool:
    """N spawned validation workers (see the module docstring)."""

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
        self.workers = workers
        self.standards_dir = Path(standards_dir)
        self.max_bytes = max_bytes
        self.memory_mb = memory_mb
        self.warm_up = warm_up
        self.on_crash = on_crash
        #: Rule-set families the workers compile and validate (None: all; see ``validation_oioubl_workers``).
        self.families = families
        #: Pools replaced after a worker died (for metrics and tests).
        self.restarts = 0
        #: Why the pool gave up (its workers died before any became ready, MAX_START_FAILURES times).
        self.failed: str | None = None
        self._start_failures = 0
        self._in_flight = 0
        self._count_lock = threading.Lock()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._executor: ProcessPoolExecutor | None = None
        self._ready: Synchronized[int] | None = None
        self._started_at = 0.0
        self._watcher: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the workers (they warm up in the background) and the watcher thread."""
        with self._lock:
            if self._executor is None:
                self._new_executor()
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="validation-pool-watch", daemon=True)
            self._watcher.start()

    def _new_executor(self) -> None:
        """Replace the executor (the caller holds the lock) and launch every worker at once, forked from
        the spawner thread (``lifeline``: the kernel's parent of a worker is the thread that forked it)."""
        lifeline.on_spawner_thread(self._launch)

    def _launch(self) -> None:
        self._ready = _CTX.Value("i", 0)
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_CTX,
            initializer=_initializer,
            initargs=(
                str(self.standards_dir),
                self.max_bytes,
                self.memory_mb,
                self.warm_up,
                self._ready,
                self.families,
            ),
        )
        self._started_at = time.monotonic()
        # With spawn, the executor starts a worker per submitted call while none is idle: N calls start N.
        for _ in range(self.workers):
            self._executor.submit(_pid)

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            _shutdown(executor)
        if self._watcher is not None:
            self._watcher.join(timeout=5)

    def __enter__(self) -> ValidationPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- state -----------------------------------------------------------------------------------
    @property
    def ready_workers(self) -> int:
        ready = self._ready
        return int(ready.value) if ready is not None else 0

    @property
    def ready(self) -> bool:
        """Every worker has compiled its rule sets and the pool is not broken."""
        executor = self._executor
        return executor is not None and not executor._broken and self.ready_workers >= self.workers

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.failed is None:
            if self.ready:
                return True
            if self._executor is not None and self._executor._broken:
                self._replace_if(self._executor)
            time.sleep(0.05)
        return self.ready

    def pids(self) -> list[int]:
        """Process ids of the current workers (``ProcessPoolExecutor._processes``, typed in typeshed)."""
        executor = self._executor
        if executor is None:
            return []
        return [p.pid for p in list(executor._processes.values()) if p.pid is not None]

    def status(self) -> dict[str, Any]:
        return {
            "workers": self.workers,
            "ready_workers": min(self.ready_workers, self.workers),
            "restarts": self.restarts,
            "in_flight": self.in_flight,
            "failed": self.failed,
            "warming_for_s": None if self.ready else round(time.monotonic() - self._started_at, 1),
        }

    # -- calls -----------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Send ``fn(engine, *args)`` to a worker; a pool found broken is replaced first."""
        for _ in range(2):
            with self._lock:
                executor = self._executor
            if executor is None:
                raise RuntimeError("the validation pool is closed")
            try:
                future = executor.submit(_invoke, fn, args)
            except BrokenProcessPool:
                self._replace_if(executor)
                continue
            with self._count_lock:
                self._in_flight += 1
            future.add_done_callback(self._done)
            return future
        raise engine_crashed("the pool could not be restarted")

    def _done(self, future: Future[Any]) -> None:
        with self._count_lock:
            self._in_flight -= 1

    @property
    def in_flight(self) -> int:
        """Calls submitted and not finished yet."""
        return self._in_flight

    def call_sync(self, fn: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            executor = self._executor
        future = self.submit(fn, *args)
        try:
            result = future.result()
        except BrokenProcessPool as exc:
            self._crashed(executor, exc)
        return _unwrap(result)

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            executor = self._executor
        future = self.submit(fn, *args)
        try:
            result = await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            self._crashed(executor, exc)
        return _unwrap(result)

    def validate_sync(self, data: bytes, filename: str | None = None) -> Any:
        return self.call_sync(_validate, data, filename)

    async def validate(self, data: bytes, filename: str | None = None) -> Any:
        return await self.call(_validate, data, filename)

    # -- failures --------------------------------------------------------------------------------
    def _crashed(self, executor: ProcessPoolExecutor | None, exc: BaseException) -> None:
        log.error("validation worker died; replacing the pool", extra={"error": str(exc)[:300]})
        if executor is not None:
            self._replace_if(executor)
        raise engine_crashed("a worker process exited") from exc

    def _replace_if(self, broken: ProcessPoolExecutor) -> None:
        """Replace ``broken`` by a new pool, once, however many callers saw it break."""
        with self._lock:
            if self._executor is not broken or self._closed.is_set() or self.failed:
                return
            if self.ready_workers == 0:
                self._start_failures += 1
                if self._start_failures >= MAX_START_FAILURES:
                    self.failed = (
                        f"validation workers died {self._start_failures} times before any was ready "
                        "(see the worker log: standards installed? memory cap too low?)"
                    )
                    log.error("validation pool gave up", extra={"reason": self.failed})
                    return
            else:
                self._start_failures = 0
            self.restarts += 1
            self._new_executor()
        if self.on_crash is not None:
            self.on_crash()
        _shutdown(broken)

    def _watch(self) -> None:
        while not self._closed.wait(WATCH_INTERVAL_S):
            executor = self._executor
            if executor is not None and executor._broken:
                log.error("validation worker died while idle; replacing the pool")
                self._replace_if(executor)


def _unwrap(result: Any) -> Any:
    if isinstance(result, _Failed):
        if result.kind == "family":
            from app.validation.engine import OutsideFamily

            raise OutsideFamily(result.title)
        if result.kind == "nordubl":
            raise NordublError(result.title, result.issues, result.status)
        raise EngineFailed(f"{result.kind}: {result.title}\n{result.detail}")
    return result


def _shutdown(executor: ProcessPoolExecutor) -> None:
    """Stop a pool without waiting on calls in flight; kill workers that linger."""
    processes = list(executor._processes.values())
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 5
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            with contextlib.suppress(OSError):
                p.kill()
            p.join(1)
