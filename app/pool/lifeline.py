"""Worker processes that end with the process that started them.

The validation pool, the batch checker and the PDF renderer run spawned worker processes that serve their
parent only. When the parent is killed (``kill -9``, the OOM killer) none of its code runs to stop them,
and a validation worker (hundreds of MB of compiled rules) would live on, blocked on a pipe. So every
worker calls :func:`die_with_parent` first thing, and every parent starts its workers with :func:`start`
(or :func:`on_spawner_thread`):

- **Linux**: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (prctl(2)): the kernel kills the worker as soon as its
  parent dies, even while it is busy inside Saxon or WeasyPrint. The kernel's "parent" is the *thread*
  that forked the worker, not the process (prctl(2), PR_SET_PDEATHSIG): a worker started from a request
  thread would be killed when that thread ends. :func:`start` therefore forks every worker from one
  daemon thread that lives as long as the process.
- **Everywhere** (and if prctl is missing): a thread in the worker waits on the parent's sentinel, the
  pipe multiprocessing keeps open in the parent for the worker's life (end of file: the parent is gone or
  has let go of the worker), and checks that ``os.getppid()`` has not changed; either way the worker
  ends at once (``os._exit``: nothing of the parent's is left to clean up). It runs Python, so a worker
  busy in native code that holds the interpreter lock (a Saxon transform) exits when that call returns.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")

#: <linux/prctl.h>: set the signal the calling process gets when its parent (thread) dies.
PR_SET_PDEATHSIG = 1
#: How often the fallback watcher also compares ``os.getppid()`` (the sentinel wakes it at once).
WATCH_INTERVAL_S = 1.0
#: Exit status of a worker that found its parent gone.
ORPHAN_EXIT = 70


# -- in the parent ------------------------------------------------------------------------------------


class _Spawner:
    """One daemon thread that runs every worker start of the process (see the module docstring)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="nordubl-spawner", daemon=True)
        self.thread.start()

    def _run(self) -> None:  # never returns: its end would signal PR_SET_PDEATHSIG to every worker
        while True:
            fn, future = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the caller, who re-raises it
                future.set_exception(exc)
            del fn, future

    def call(self, fn: Callable[[], T]) -> T:
        if threading.current_thread() is self.thread:
            return fn()
        future: Future[T] = Future()
        self._jobs.put((fn, future))
        return future.result()


_spawner: _Spawner | None = None
_spawner_lock = threading.Lock()


def on_spawner_thread(fn: Callable[[], T]) -> T:
    """Run ``fn`` on the process's spawner thread and return its result (or raise its exception): every
    worker process must be forked there (a :class:`~concurrent.futures.ProcessPoolExecutor` forks its
    workers inside ``submit``)."""
    global _spawner
    with _spawner_lock:
        if _spawner is None or not _spawner.thread.is_alive():
            _spawner = _Spawner()
        spawner = _spawner
    return spawner.call(fn)


def start(process: BaseProcess) -> None:
    """``process.start()`` on the spawner thread."""
    on_spawner_thread(process.start)


# -- in the worker ------------------------------------------------------------------------------------


def _set_parent_death_signal(sig: int) -> bool:
    """prctl(PR_SET_PDEATHSIG, sig) through libc. Written with ctypes because the standard library has no
    prctl and one call does not justify a compiled dependency (python-prctl builds against libcap)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return bool(prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0)


def _watch(sentinel: int, parent_pid: int) -> None:  # pragma: no cover - runs in the worker
    while True:
        if wait([sentinel], timeout=WATCH_INTERVAL_S) or os.getppid() != parent_pid:
            os._exit(ORPHAN_EXIT)


def die_with_parent() -> bool:
    """Make this spawned worker end when its parent does (see the module docstring). Call it first in the
    worker's main function. Returns whether the kernel will kill it (Linux); the watcher thread runs
    either way. Does nothing in a process that multiprocessing did not start."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid is None:
        return False
    armed = _set_parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent.pid:  # the parent died before prctl: no signal will come
        os._exit(ORPHAN_EXIT)
    sentinel = parent.sentinel
    threading.Thread(
        target=_watch, args=(sentinel, parent.pid), name="nordubl-parent-watch", daemon=True
    ).start()
    return armed


def close_parent_ends(*ends: Connection | None) -> None:
    """Close the ends of pipes that only the parent uses, handed to the worker with the ones it uses: a
    worker holding the write end of the pipe it reads never sees end of file when the parent dies."""
    for end in ends:
        if end is not None and not end.closed:
            end.close()
