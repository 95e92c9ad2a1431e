"""Rendering in spawned worker processes, each with a memory cap, every job with a time cap.

A worker is a fresh interpreter (``spawn``) that sets ``RLIMIT_AS`` on itself before importing WeasyPrint,
renders one tiny page to warm its fonts, then serves jobs over a pipe. The parent waits for an answer with a
deadline: past it, the worker is killed (``pdf.timeout``); a worker that runs out of memory answers
``MemoryError`` or dies (``pdf.too_large``); anything else is ``pdf.failed``. Either way the caller gets a
:class:`NordublError` and the pool carries on with a new worker. Warm workers are kept idle between jobs so
a render pays only the pipe, not the interpreter start; a worker retires after ``max_jobs`` jobs. A worker
ends with its parent, however the parent ends (``kill -9`` included): :mod:`app.pool.lifeline`. Its start,
pipe protocol and shutdown are :mod:`app.pool.process`'s; a worker that cannot start is reported to the
render that needed it (``pdf.failed``), as each start waits for the worker.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from app.errors import NordublError
from app.pool.process import Worker, enter_worker, exit_signal, peak_address_space, serve, stop

log = logging.getLogger(__name__)
#: signals a worker dies of when its memory cap bites inside C code (GLib aborts when malloc fails)
_OOM_SIGNALS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL}
_WARM_HTML = (
    '<html><head><link rel="stylesheet" href="invoice.css"></head><body><p>1 234,50 æøå</p></body></html>'
)


@dataclass(frozen=True)
class Job:
    html: str
    xml: bytes
    attachment_name: str
    created: datetime


@dataclass
class Result:
    pdf: bytes
    requested: list[str]
    messages: list[str]
    seconds: float


def pdf_error(code: str, status: int, **params: str) -> NordublError:
    """The renderer's refusal ``code`` (``pdf.*``, :mod:`app.codes`) with its parameters."""
    return NordublError.of(code, title="The PDF could not be rendered", status=status, **params)


def _serve(conn: Connection, memory_bytes: int) -> None:  # pragma: no cover - runs in the child
    """The worker: cap memory, warm up, answer jobs until told to stop (None) or the pipe closes."""
    enter_worker(memory_bytes)  # the cap is set before WeasyPrint is imported
    from app.pdf.engine import write_pdf
    from app.pdf.fetcher import RefusedURL

    try:
        write_pdf(_WARM_HTML, b"<x/>", "warm.xml", datetime(2000, 1, 1))
    except BaseException as exc:
        conn.send(("error", f"warm-up failed: {type(exc).__name__}: {exc}"[:2000]))
        return

    def render(job: Job) -> tuple[Any, ...]:
        started = time.perf_counter()
        try:
            rendered = write_pdf(job.html, job.xml, job.attachment_name, job.created)
        except MemoryError:
            return ("memory",)
        except RefusedURL as exc:
            return ("error", f"refused URL: {exc}"[:2000])
        except Exception as exc:
            # Out of memory inside C code surfaces as anything (SystemError, cffi errors …): a failure
            # at the cap is reported as the cap, not as a renderer bug.
            if memory_bytes > 0 and peak_address_space() >= memory_bytes * 0.9:
                return ("memory",)
            return ("error", f"{type(exc).__name__}: {exc}"[:2000])
        return ("ok", rendered.pdf, rendered.requested, rendered.messages, time.perf_counter() - started)

    serve(conn, render, out_of_memory=("memory",))


#: How long a worker told to stop may take before it is killed.
_STOP_TIMEOUT_S = 2.0


class _Worker(Worker):
    def __init__(self, memory_bytes: int, start_timeout: float) -> None:
        super().__init__(_serve, (memory_bytes,), name="nordubl-pdf")
        self.jobs = 0
        hello = self.hello(start_timeout)
        if hello is None:
            self.kill()
            raise pdf_error("pdf.failed", 500, variant="start_timeout", seconds=f"{start_timeout:.0f}")
        if hello[0] != "ready":
            self.kill()
            detail = hello[1] if len(hello) > 1 else f"exit code {self.exitcode}"
            raise pdf_error("pdf.failed", 500, variant="start", detail=str(detail))

    def stop(self) -> None:
        stop([self], _STOP_TIMEOUT_S)


class PdfPool:
    """At most ``workers`` renders at a time, each in its own capped process; idle workers stay warm."""

    def __init__(
        self,
        workers: int = 1,
        timeout: float = 30.0,
        memory_mb: int = 1024,
        max_jobs: int = 200,
        start_timeout: float = 60.0,
    ) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self.memory_bytes = memory_mb * 1024 * 1024
        self.max_jobs = max_jobs
        self.start_timeout = start_timeout
        self._slots = threading.BoundedSemaphore(self.workers)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._closed = False
        #: what happened to each job, newest last (bounded): "ok", "timeout", "memory", "died", "error"
        self.outcomes: list[str] = []

    def warm(self) -> None:
        """Start the workers now rather than at the first render."""
        with self._lock:
            missing = self.workers - len(self._idle)
        started = [_Worker(self.memory_bytes, self.start_timeout) for _ in range(missing)]
        with self._lock:
            self._idle.extend(started)

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise pdf_error("pdf.failed", 503, variant="shut_down")
            while self._idle:
                w = self._idle.pop()
                if w.process.is_alive():
                    return w
                w.kill()
        return _Worker(self.memory_bytes, self.start_timeout)

    def _give_back(self, w: _Worker) -> None:
        with self._lock:
            if not self._closed and w.jobs < self.max_jobs and len(self._idle) < self.workers:
                self._idle.append(w)
                return
        w.stop()

    def _note(self, outcome: str) -> None:
        self.outcomes = [*self.outcomes[-99:], outcome]

    def render(self, job: Job, timeout: float | None = None) -> Result:
        limit = self.timeout if timeout is None else timeout
        with self._slots:
            w = self._take()
            w.jobs += 1
            try:
                w.conn.send(job)
                ready = w.conn.poll(limit)
            except (OSError, ValueError):
                ready = False
            if not ready:
                alive = w.process.is_alive()
                w.kill()
                if alive:
                    self._note("timeout")
                    raise pdf_error("pdf.timeout", 422, seconds=f"{limit:g}")
                return self._died(w)
            try:
                answer = w.conn.recv()
            except (EOFError, OSError):
                w.kill()
                return self._died(w)
            if answer[0] == "ok":
                self._give_back(w)
                self._note("ok")
                return Result(answer[1], answer[2], answer[3], answer[4])
            w.kill()  # a worker that failed a job is not trusted with the next one
            if answer[0] == "memory":
                self._note("memory")
                raise self._too_large()
            self._note("error")
            raise pdf_error("pdf.failed", 500, detail=str(answer[1]))

    def _too_large(self, signal_name: str | None = None) -> NordublError:
        mb = str(self.memory_bytes // (1024 * 1024))
        if signal_name is None:
            return pdf_error("pdf.too_large", 413, mb=mb)
        return pdf_error("pdf.too_large", 413, mb=mb, variant="signal", signal=signal_name)

    def _died(self, w: _Worker) -> Result:
        code = w.exitcode
        sig = exit_signal(code)
        if sig in _OOM_SIGNALS:
            self._note("memory")
            raise self._too_large(sig.name)
        self._note("died")
        raise pdf_error("pdf.failed", 500, variant="died", exit_code=str(code))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for w in idle:
            w.stop()

    def idle_pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._idle if w.pid is not None]
