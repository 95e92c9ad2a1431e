"""One spawned worker process and its pipe, from both ends.

In the worker, :func:`enter_worker` runs first (it ends with its parent, Ctrl-C is left to the parent, its
address space is capped), then the worker does its own set-up and calls :func:`serve`. The protocol on the
duplex pipe: the worker says ``("ready", pid)`` once it can work; then each message from the parent is
answered by one message back, until the parent sends ``None`` or closes its end.

In the parent, a :class:`Worker` starts the process (on the spawner thread, :mod:`app.pool.lifeline`) and
talks to it; :func:`stop` ends workers politely, then by force; :func:`exit_reason` names how one died.
Workers that die before they are up count towards :class:`StartFailures`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from app.pool import lifeline

#: saxonche must not be forked and a worker must inherit nothing of the server but its arguments.
SPAWN = multiprocessing.get_context("spawn")
#: Workers in a row that died before any came up: the installation is broken, stop starting more.
MAX_START_FAILURES = 3
#: How long a worker asked to stop may take before it is killed, and how long a killed one is waited for.
STOP_TIMEOUT_S = 5.0


# -- in the worker ------------------------------------------------------------------------------------


def cap_address_space(limit_bytes: int) -> None:  # pragma: no cover - runs in the worker
    """``setrlimit(RLIMIT_AS)`` (setrlimit(2)) on this process, soft and hard; 0: no cap. Set before the
    worker loads Saxon or WeasyPrint, so that what they map counts against it."""
    if limit_bytes > 0:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def peak_address_space() -> int:  # pragma: no cover - runs in the worker
    """This process's peak address space (``VmPeak``, proc(5)), the quantity ``RLIMIT_AS`` caps; 0 when
    unknown (not Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def enter_worker(memory_bytes: int = 0) -> None:  # pragma: no cover - runs in the worker
    """The first thing a worker does: end with the parent (:func:`app.pool.lifeline.die_with_parent`),
    leave SIGINT (Ctrl-C in a terminal, the server's shutdown) to the parent, cap the address space."""
    lifeline.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cap_address_space(memory_bytes)


def serve(
    conn: Connection, handle: Callable[[Any], Any], *, out_of_memory: Any = None
) -> None:  # pragma: no cover - runs in the worker
    """Say ready, then answer each message with ``handle(message)`` until ``None`` or the end of the pipe.
    ``out_of_memory`` is sent instead of an answer too large to pickle under the memory cap."""
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        answer = handle(message)
        try:
            conn.send(answer)
        except OSError:  # the parent is gone
            return
        except MemoryError:
            if out_of_memory is None:
                raise
            conn.send(out_of_memory)
        del message, answer  # what a job held is freed before the next one arrives


# -- in the parent ------------------------------------------------------------------------------------


class WorkerStartError(RuntimeError):
    """Worker processes die before they can do anything (:class:`StartFailures`)."""


class StartFailures:
    """Workers in a row that died before they were up: at :data:`MAX_START_FAILURES` the installation
    is taken as broken (the standards missing, a memory cap too low), and restarting stops."""

    def __init__(self, limit: int = MAX_START_FAILURES) -> None:
        self.limit = limit
        self.count = 0

    def up(self) -> None:
        """A worker came up: the installation works."""
        self.count = 0

    def failed(self, why: Callable[[int], str]) -> None:
        """A worker died before it was up; raises :class:`WorkerStartError` with ``why(count)`` when
        that makes :attr:`limit` in a row."""
        self.count += 1
        if self.count >= self.limit:
            raise WorkerStartError(why(self.count))


class Worker:
    """A spawned process running ``target(conn, *args)``, and the parent's end of its pipe."""

    def __init__(self, target: Callable[..., None], args: Sequence[Any], name: str) -> None:
        self.conn, child = SPAWN.Pipe(duplex=True)
        self.process: BaseProcess = SPAWN.Process(target=target, args=(child, *args), name=name, daemon=True)
        lifeline.start(self.process)
        child.close()  # the worker's end: held here, the parent would never see the worker's end of file

    @property
    def pid(self) -> int | None:
        return self.process.pid

    @property
    def exitcode(self) -> int | None:
        return self.process.exitcode

    def hello(self, timeout: float) -> tuple[Any, ...] | None:
        """The worker's first message within ``timeout`` (``("ready", pid)`` or its own refusal), ``None``
        when it said nothing in time, ``("died",)`` when it ended first."""
        if not self.conn.poll(timeout):
            return None
        try:
            message: tuple[Any, ...] = self.conn.recv()
        except (EOFError, OSError):
            return ("died",)
        return message

    def ended(self, timeout: float = STOP_TIMEOUT_S) -> int | None:
        """Wait up to ``timeout`` for a worker that is ending (its pipe closed), kill it past that, free
        what it holds; its exit code."""
        reap([self.process], timeout)
        code = self.exitcode
        self.release()
        return code

    def kill(self) -> None:
        """End the worker now and close the pipe."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(STOP_TIMEOUT_S)
        self.conn.close()

    def release(self) -> None:
        """Free what the ended worker holds (its process object, its pipe)."""
        self.conn.close()
        with contextlib.suppress(ValueError):  # still running after a kill: left to the lifeline
            self.process.close()


def stop(workers: Iterable[Worker], timeout: float = STOP_TIMEOUT_S) -> None:
    """Ask every worker to stop (``None``), wait up to ``timeout`` for all of them, kill those that linger."""
    workers = list(workers)
    for w in workers:
        with contextlib.suppress(OSError, ValueError):
            w.conn.send(None)
    reap([w.process for w in workers], timeout)
    for w in workers:
        w.release()


def reap(processes: Iterable[BaseProcess], timeout: float = STOP_TIMEOUT_S) -> None:
    """Wait up to ``timeout`` (together) for ``processes`` to end; kill those still running."""
    deadline = time.monotonic() + timeout
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            with contextlib.suppress(OSError):
                p.kill()
            p.join(STOP_TIMEOUT_S)


def exit_signal(code: int | None) -> signal.Signals | None:
    """The signal a process with exit code ``code`` died of (multiprocessing: ``-signum``), if any."""
    if code is None or code >= 0:
        return None
    try:
        return signal.Signals(-code)
    except ValueError:
        return None


def exit_reason(code: int | None) -> str:
    """``signal SIGKILL`` or ``exit code 1``: how a worker ended, for a log line or an issue."""
    sig = exit_signal(code)
    if sig is not None:
        return f"signal {sig.name}"
    if code is not None and code < 0:
        return f"signal {-code}"
    return f"exit code {code}"
