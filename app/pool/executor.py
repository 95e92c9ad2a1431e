"""N spawned workers behind a :class:`~concurrent.futures.ProcessPoolExecutor`, replaced whole when one dies.

Each worker runs :func:`enter_worker` (:mod:`app.pool.process`), then its user's ``setup(*args)`` (which
keeps what it builds in a module global of the worker), then counts itself ready. A call
``invoke(fn, args)`` runs in whichever worker is free; ``invoke`` and ``fn`` must be module-level
functions (they are sent by reference) and the arguments and result must pickle. ``invoke`` should return
errors as values: an exception that fails to unpickle in the parent breaks the executor as a crash does.

A worker that dies breaks the executor and every call in flight with it: those calls raise the user's
:meth:`ExecutorPool.crashed` error, and the executor is replaced at once by a new one that starts in the
background; calls made meanwhile wait for it. A watcher thread notices a worker that died while idle.
Executors whose workers die before any was ready count towards :class:`~app.pool.process.StartFailures`;
at its limit the pool gives up (:attr:`ExecutorPool.failed`) instead of restarting for ever.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import process as futures_process
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from app.pool import lifeline
from app.pool.process import SPAWN, StartFailures, WorkerStartError, enter_worker, reap

#: How often the watcher looks for an executor broken while idle.
WATCH_INTERVAL_S = 0.5


# -- inside a worker process --------------------------------------------------------------------------


def _initializer(
    ready: Synchronized[int], memory_bytes: int, setup: Callable[..., None], args: tuple[Any, ...]
) -> None:  # pragma: no cover - runs in the spawned worker
    enter_worker(memory_bytes)
    _close_parent_ends(sys._getframe(1))
    setup(*args)
    with ready.get_lock():
        ready.value += 1


def _close_parent_ends(caller: Any) -> None:  # pragma: no cover - runs in the spawned worker
    """Close the ends of the executor's queues that only the parent uses. ProcessPoolExecutor hands each
    worker both ends of its call queue (so an idle worker blocked reading it would never see end of file)
    and offers no hook for this; the initializer is called by ``_process_worker(call_queue,
    result_queue, …)``, whose frame holds them."""
    if caller.f_code is not futures_process._process_worker.__code__:
        return
    call_queue, result_queue = caller.f_locals.get("call_queue"), caller.f_locals.get("result_queue")
    lifeline.close_parent_ends(getattr(call_queue, "_writer", None), getattr(result_queue, "_reader", None))


def _pid() -> int:  # pragma: no cover - in the worker
    return os.getpid()


# -- in the parent ------------------------------------------------------------------------------------


class ExecutorPool:
    """``workers`` spawned processes set up by ``setup(*args)`` (see the module docstring). A subclass
    names itself (:attr:`what`, :attr:`log`), says how calls run and come back (:meth:`invoke`,
    :meth:`unwrap`) and which error a crash raises (:meth:`crashed`)."""

    #: Who the workers are, in log lines and messages (``validation``).
    what = "worker"
    log = logging.getLogger(__name__)

    def __init__(
        self,
        workers: int,
        setup: Callable[..., None],
        args: tuple[Any, ...],
        *,
        memory_mb: int = 0,
        on_crash: Callable[[], None] | None = None,
    ) -> None:
        self.workers = workers
        self.setup = setup
        self.setup_args = args
        self.memory_mb = memory_mb
        self.on_crash = on_crash
        #: Executors replaced after a worker died (for metrics and tests).
        self.restarts = 0
        #: Why the pool gave up (its workers died before any became ready, MAX_START_FAILURES times).
        self.failed: str | None = None
        self._starts = StartFailures()
        self._in_flight = 0
        self._count_lock = threading.Lock()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._executor: ProcessPoolExecutor | None = None
        self._ready: Synchronized[int] | None = None
        self._started_at = 0.0
        self._watcher: threading.Thread | None = None

    # -- what a subclass says ----------------------------------------------------------------------
    @staticmethod
    def invoke(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:  # pragma: no cover - in the worker
        """Runs in the worker: the call as sent (a subclass passes its worker's state, catches errors)."""
        return fn(*args)

    def unwrap(self, result: Any) -> Any:
        """The value a call returns in the parent, from what :meth:`invoke` sent back."""
        return result

    def crashed(self, detail: str) -> Exception:
        """The error a call raises when its worker died."""
        return RuntimeError(f"a {self.what} worker died: {detail}")

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the workers (they set up in the background) and the watcher thread."""
        with self._lock:
            if self._executor is None:
                self._new_executor()
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name=f"{self.what}-pool-watch", daemon=True)
            self._watcher.start()

    def _new_executor(self) -> None:
        """Replace the executor (the caller holds the lock) and launch every worker at once, forked from
        the spawner thread (``lifeline``: the kernel's parent of a worker is the thread that forked it)."""
        lifeline.on_spawner_thread(self._launch)

    def _launch(self) -> None:
        self._ready = SPAWN.Value("i", 0)
        memory_bytes = self.memory_mb * 1024 * 1024
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=SPAWN,
            initializer=_initializer,
            initargs=(self._ready, memory_bytes, self.setup, self.setup_args),
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

    # -- state -----------------------------------------------------------------------------------
    @property
    def ready_workers(self) -> int:
        ready = self._ready
        return int(ready.value) if ready is not None else 0

    @property
    def ready(self) -> bool:
        """Every worker is set up and the pool is not broken."""
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
        """Send ``fn`` and ``args`` to a worker (:meth:`invoke`); an executor found broken is replaced first."""
        for _ in range(2):
            with self._lock:
                executor = self._executor
            if executor is None:
                raise RuntimeError(f"the {self.what} pool is closed")
            try:
                future = executor.submit(self.invoke, fn, args)
            except BrokenProcessPool:
                self._replace_if(executor)
                continue
            with self._count_lock:
                self._in_flight += 1
            future.add_done_callback(self._done)
            return future
        raise self.crashed("the pool could not be restarted")

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
        return self.unwrap(result)

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            executor = self._executor
        future = self.submit(fn, *args)
        try:
            result = await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            self._crashed(executor, exc)
        return self.unwrap(result)

    # -- failures --------------------------------------------------------------------------------
    def _crashed(self, executor: ProcessPoolExecutor | None, exc: BaseException) -> None:
        self.log.error(f"{self.what} worker died; replacing the pool", extra={"error": str(exc)[:300]})
        if executor is not None:
            self._replace_if(executor)
        raise self.crashed("a worker process exited") from exc

    def _replace_if(self, broken: ProcessPoolExecutor) -> None:
        """Replace ``broken`` by a new executor, once, however many callers saw it break."""
        with self._lock:
            if self._executor is not broken or self._closed.is_set() or self.failed:
                return
            if self.ready_workers == 0:
                try:
                    self._starts.failed(self._gave_up)
                except WorkerStartError as exc:
                    self.failed = str(exc)
                    self.log.error(f"{self.what} pool gave up", extra={"reason": self.failed})
                    return
            else:
                self._starts.up()
            self.restarts += 1
            self._new_executor()
        if self.on_crash is not None:
            self.on_crash()
        _shutdown(broken)

    def _gave_up(self, count: int) -> str:
        return (
            f"{self.what} workers died {count} times before any was ready "
            "(see the worker log: standards installed? memory cap too low?)"
        )

    def _watch(self) -> None:
        while not self._closed.wait(WATCH_INTERVAL_S):
            executor = self._executor
            if executor is not None and executor._broken:
                self.log.error(f"{self.what} worker died while idle; replacing the pool")
                self._replace_if(executor)


def _shutdown(executor: ProcessPoolExecutor) -> None:
    """Stop an executor without waiting on calls in flight; kill workers that linger."""
    processes = list(executor._processes.values())
    executor.shutdown(wait=False, cancel_futures=True)
    reap(processes)
