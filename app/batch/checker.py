"""Checker: validate a stream of :class:`~app.batch.loader.Input` and stream back :class:`FileResult`.

``Checker(jobs=1)`` validates in the calling thread with one engine; ``Checker(jobs=N)`` runs N worker
processes started with ``spawn`` (saxonche must not be forked). Each worker creates one
:class:`~app.validation.engine.Engine` when it starts and keeps it, so each rule set is compiled once
per worker. Both paths produce results with the same function, :func:`check_one`.

Flow control: a worker validates one document at a time, with at most one small document
(``QUEUE_BYTES``) queued behind it in its pipe, and the checker reads at most
``LOOKAHEAD_PER_WORKER × jobs`` documents (and ``LOOKAHEAD_BYTES``) ahead of the workers, so memory
stays flat whatever the number of files; results are yielded in the order they finish. Refused
inputs (a zip bomb, an unreadable path) skip the workers and are yielded as they come.

Scheduling with affinity: an idle worker takes, from the documents read ahead, one whose kind (the
stylesheets its rule set needs, guessed by :func:`affinity_key`) it has validated before, else a kind
no worker has met yet, else the oldest. Compiling the official rules takes seconds per rule set and
per worker; with affinity each worker compiles about its share of the rule sets instead of all of them.

A worker that dies (killed, out of memory, a crash in native code) does not hang the batch: the file it
was validating gets an ``engine.crashed`` issue, the one queued behind it goes to another worker, a new
worker replaces it and the batch goes on. Only a
pool whose workers cannot even start raises (:class:`WorkerStartError`), as a configuration failure.

A worker ends with the process that started it, however that ends (``kill -9`` included):
:mod:`app.pool.lifeline`. Starting, stopping and counting failed starts: :mod:`app.pool.process`.

One :meth:`Checker.run` at a time per checker; the worker pool stays up between runs until
:meth:`Checker.close`.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from app.batch.loader import Input
from app.batch.result import FileResult, crashed_result, refused_result
from app.config import Settings, get_settings
from app.pool.process import StartFailures, Worker, WorkerStartError, enter_worker, exit_reason, serve, stop
from app.validation.engine import Engine, default_engine
from app.validation.report import Report
from app.validation.rulesets import RuleSet, eager_rulesets, guess, head_fields

#: ``check(engine, data, name) -> Report``: what a worker does with one document. Must be a module-level
#: function (it is sent to spawned workers by reference).
CheckFn = Callable[[Engine, bytes, str], Report]
#: Documents the checker reads ahead per worker, for the affinity scheduler to choose from; and the
#: most bytes they may hold together (memory: this much in the parent, one document in each worker).
LOOKAHEAD_PER_WORKER = 16
LOOKAHEAD_BYTES = 16 * 1024 * 1024
#: Largest document queued behind the one a worker is validating (well within a pipe's buffer).
QUEUE_BYTES = 64 * 1024


def validate_document(engine: Engine, data: bytes, name: str) -> Report:
    """The default check: the official XSD and Schematron (:meth:`Engine.validate`)."""
    return engine.validate(data, name)


def check_one(engine: Engine, check: CheckFn, name: str, data: bytes) -> FileResult:
    """Validate one document: the single code path for in-process and worker validation."""
    start = time.perf_counter()
    try:
        report = check(engine, data, name)
    except Exception as exc:  # Engine.validate never raises for bad input: this is an engine failure
        return crashed_result(name, time.perf_counter() - start, detail=f"{type(exc).__name__}: {exc}")
    return FileResult(report, time.perf_counter() - start)


def pick(mine: set[bytes], others: set[bytes], waiting: list[bytes]) -> int:
    """Which waiting document (by affinity key, oldest first) an idle worker takes: one of a kind it
    has validated before (its rule set is compiled there), else a kind no other worker has met, else
    the oldest. Each rule takes the oldest match, so a document waits at most until a worker that
    knows its kind is free, or until it is the oldest in the window."""
    for i, key in enumerate(waiting):
        if key in mine:
            return i
    for i, key in enumerate(waiting):
        if key not in others:
            return i
    return 0


def _worker_main(conn: Connection, standards_dir: str, max_bytes: int, check: CheckFn) -> None:
    """A spawned worker: one engine for its lifetime, one document at a time."""
    enter_worker()
    engine = Engine(Path(standards_dir), max_bytes)

    def handle(msg: tuple[Any, ...]) -> tuple[Any, ...]:
        if msg[0] == "warm":
            try:
                engine.warm_up(list(msg[1]))
            except Exception as exc:  # e.g. the standards are not installed
                return ("warmed", f"{type(exc).__name__}: {exc}")
            return ("warmed", "")
        seq, name, data = msg
        return (seq, check_one(engine, check, name, data))

    serve(conn, handle)


@dataclass
class _Worker:
    proc: Worker
    started: bool = False
    #: Documents sent and not answered yet, oldest (the one being validated) first.
    sent: deque[_Sent] = field(default_factory=deque)
    #: Affinity keys of the documents it was given and the rule sets it warmed up (so, roughly, the
    #: rule sets it has compiled).
    seen: set[bytes] = field(default_factory=set)

    @property
    def conn(self) -> Connection:
        return self.proc.conn


@dataclass(frozen=True, slots=True)
class _Waiting:
    item: Input
    key: bytes


@dataclass(frozen=True, slots=True)
class _Sent:
    seq: int
    name: str
    #: Kept for a document queued behind another (small by construction), so that it can go to
    #: another worker if this one dies first.
    entry: _Waiting | None


def affinity_key(data: bytes) -> bytes:
    """A cheap guess at which stylesheets a document needs, from its first bytes
    (:func:`app.validation.rulesets.guess`). Documents that share stylesheets share a key (a Peppol
    invoice and credit note); one with no rule set is keyed by the fields found. Only steers
    scheduling: a wrong guess costs a compilation, never a wrong result."""
    fields = head_fields(data)
    rs = guess(*fields)
    return ruleset_key(rs) if rs is not None else b"|".join(fields)


def ruleset_key(rs: RuleSet) -> bytes:
    """The affinity key of a rule set: the stylesheets it runs (what costs a compilation)."""
    return "|".join(rs.stylesheets).encode()


class Checker:
    """Validates inputs with ``jobs`` engines (see the module docstring)."""

    def __init__(
        self,
        jobs: int | None = None,
        *,
        settings: Settings | None = None,
        check: CheckFn = validate_document,
        engine: str | None = None,
    ) -> None:
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self.settings = settings or get_settings()
        self.check = check
        #: ``saxonche`` (one engine per worker process) or ``jvm`` (``jobs`` threads sharing one JVM).
        self.engine = engine or self.settings.validation_engine
        #: Documents read ahead of the workers, for the scheduler to choose from.
        self.lookahead = LOOKAHEAD_PER_WORKER * self.jobs
        self._workers: list[_Worker] = []
        self._engine: Engine | None = None
        self._seq = 0
        self._starts = StartFailures()
        #: Workers replaced after dying (for monitoring and tests).
        self.restarts = 0

    # -- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def worker_pids(self) -> list[int]:
        return [w.proc.pid for w in self._workers if w.proc.pid is not None]

    def close(self) -> None:
        """Stop the workers (politely, then by force)."""
        workers, self._workers = self._workers, []
        stop(w.proc for w in workers)

    def _spawn(self) -> _Worker:
        args = (str(self.settings.standards_dir), self.settings.max_xml_bytes, self.check)
        return _Worker(Worker(_worker_main, args, name="nordubl-validate"))

    def warm_up(self, rulesets: Sequence[RuleSet] | None = None) -> None:
        """Compile ``rulesets`` (default: those a service compiles at start-up,
        :func:`~app.validation.rulesets.eager_rulesets`) in every engine now, as a long-running service does at
        start so that no request waits for a compilation; the scheduler then counts them as known to
        every worker. Raises :class:`WorkerStartError` when a worker cannot compile them."""
        chosen = tuple(rulesets if rulesets is not None else eager_rulesets())
        keys = {ruleset_key(rs) for rs in chosen}
        if self.engine == "jvm":
            from app.validation.jvm import settle, shared_engine

            shared_engine(self.settings).warm_up_parallel(list(chosen), self.jobs)
            settle()  # JPype's collections after every Java one skip what is alive now
            return
        if self.jobs == 1:
            self._inline_engine().warm_up(list(chosen))
            return
        while len(self._workers) < self.jobs:
            self._workers.append(self._spawn())
        for w in self._workers:
            w.conn.send(("warm", chosen))
        pending = list(self._workers)
        while pending:
            for conn in wait([w.conn for w in pending]):
                w = next(w for w in pending if w.conn is conn)
                try:
                    msg = w.conn.recv()
                except (EOFError, OSError):
                    self.close()
                    raise WorkerStartError("a validation worker died while compiling the rules") from None
                if msg[0] == "ready":
                    w.started = True
                elif msg[0] == "warmed":
                    pending.remove(w)
                    if msg[1]:
                        self.close()
                        raise WorkerStartError(f"a validation worker cannot compile the rules: {msg[1]}")
                    w.seen |= keys

    # -- running --------------------------------------------------------------------------------
    def run(self, inputs: Iterable[Input]) -> Iterator[FileResult]:
        """Validate every input; yields one result per input, in the order they finish."""
        if self.engine == "jvm":
            return self._run_threads(inputs)
        if self.jobs == 1:
            return self._run_inline(inputs)
        return self._run_pool(inputs)

    def _run_threads(self, inputs: Iterable[Input]) -> Iterator[FileResult]:
        """The jvm engine: ``jobs`` threads share one JVM's compiled rules (app/validation/jvm.py); at most
        two documents per thread are read ahead."""
        from app.validation.jvm import shared_engine, validation_threads

        engine = shared_engine(self.settings)
        threads = validation_threads(self.settings, self.jobs)
        pending: set[futures.Future[FileResult]] = set()
        try:
            for item in inputs:
                if item.issue is not None:
                    yield refused_result(item.name, item.issue)
                    continue
                pending.add(threads.submit(check_one, engine, self.check, item.name, item.data or b""))
                if len(pending) >= 2 * self.jobs:
                    done, pending = futures.wait(pending, return_when=futures.FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            for f in futures.as_completed(pending):
                yield f.result()
        finally:
            threads.shutdown(wait=True, cancel_futures=True)

    def _inline_engine(self) -> Engine:
        if self._engine is None:
            shared = default_engine()  # reuse this thread's compiled rules when the settings agree
            same = (shared.standards_dir, shared.max_bytes) == (
                Path(self.settings.standards_dir),
                self.settings.max_xml_bytes,
            )
            self._engine = (
                shared if same else Engine(self.settings.standards_dir, self.settings.max_xml_bytes)
            )
        return self._engine

    def _run_inline(self, inputs: Iterable[Input]) -> Iterator[FileResult]:
        for item in inputs:
            if item.issue is not None:
                yield refused_result(item.name, item.issue)
            else:
                yield check_one(self._inline_engine(), self.check, item.name, item.data or b"")

    def _run_pool(self, inputs: Iterable[Input]) -> Iterator[FileResult]:
        it = iter(inputs)
        waiting: list[_Waiting] = []  # read ahead of the workers: at most `lookahead` documents
        exhausted = False
        finished = False

        def read_ahead(upto: int | None) -> Iterator[FileResult]:
            """Read documents ahead: ``upto`` of them waiting (None: as the look-ahead allows)."""
            nonlocal exhausted
            while not exhausted and self._room(waiting) and (upto is None or len(waiting) < upto):
                item = next(it, None)
                if item is None:
                    exhausted = True
                elif item.issue is not None:
                    yield refused_result(item.name, item.issue)
                else:
                    waiting.append(_Waiting(item, affinity_key(item.data or b"")))

        try:
            while True:
                # first just enough for the idle workers, so that they start at once
                idle = [w for w in self._workers if w.started and not w.sent]
                yield from read_ahead(len(idle) or None)
                while waiting and len(self._workers) < self.jobs:  # started at the first document
                    self._workers.append(self._spawn())
                for w in idle:
                    if waiting:
                        self._dispatch(w, waiting, queued=False)
                # then the whole look-ahead, and one small document queued behind each busy worker
                yield from read_ahead(None)
                for w in self._workers:
                    if w.started and len(w.sent) == 1 and waiting:
                        self._dispatch(w, waiting, queued=True)
                if exhausted and not waiting and all(not w.sent for w in self._workers):
                    finished = True
                    return
                yield from self._collect(waiting)
        finally:
            if not finished:  # abandoned or failed mid-batch: workers may hold stale work
                self.close()

    def _room(self, waiting: list[_Waiting]) -> bool:
        """Whether to read one more document ahead: fewer than ``lookahead`` of them and fewer than
        ``LOOKAHEAD_BYTES`` (always at least one, however large)."""
        if not waiting:
            return True
        held = sum(len(entry.item.data or b"") for entry in waiting)
        return len(waiting) < self.lookahead and held < LOOKAHEAD_BYTES

    def _dispatch(self, w: _Worker, waiting: list[_Waiting], *, queued: bool) -> None:
        """Send ``w`` the waiting document :func:`pick` chooses. A document queued behind the one
        being validated spares the worker a round trip to this process, which shares the CPUs with
        the workers; only a small one is queued (``QUEUE_BYTES``): it fits in the pipe's buffer, so
        sending it never blocks, and the worker still holds one document at a time."""
        candidates = [
            i for i, e in enumerate(waiting) if not queued or len(e.item.data or b"") <= QUEUE_BYTES
        ]
        if not candidates:
            return
        others = set().union(*(o.seen for o in self._workers if o is not w))
        index = candidates[pick(w.seen, others, [waiting[i].key for i in candidates])]
        entry = waiting.pop(index)
        self._seq += 1
        w.sent.append(_Sent(self._seq, entry.item.name, entry if queued else None))
        w.seen.add(entry.key)
        try:
            w.conn.send((self._seq, entry.item.name, entry.item.data or b""))
        except OSError:  # the worker is gone; _collect sees its sentinel and hands the item back
            w.sent.pop()
            waiting.insert(0, entry)

    def _collect(self, waiting: list[_Waiting]) -> Iterator[FileResult]:
        """Wait for any worker to answer or die; yield what arrived."""
        handles: list[Any] = []
        for w in self._workers:
            handles += [w.conn, w.proc.process.sentinel]
        ready = set(wait(handles))
        for index, w in enumerate(list(self._workers)):
            if w.conn not in ready and w.proc.process.sentinel not in ready:
                continue
            dead = False
            try:
                while w.conn.poll():
                    msg = w.conn.recv()
                    if msg[0] == "ready":
                        w.started = True
                        self._starts.up()
                    elif w.sent and msg[0] == w.sent[0].seq:
                        w.sent.popleft()
                        yield msg[1]
            except (EOFError, OSError):
                dead = True
            if dead or not w.proc.process.is_alive():
                result = self._replace(index, w, waiting)
                if result is not None:
                    yield result

    def _replace(self, index: int, w: _Worker, waiting: list[_Waiting]) -> FileResult | None:
        """A worker died: blame the document it was validating, hand the one queued behind it back,
        start another worker in its place."""
        code = w.proc.ended()
        self._workers[index] = self._spawn()
        self.restarts += 1
        if not w.started:
            self._starts.failed(lambda _: f"validation workers exit at start-up (exit code {code})")
        if not w.sent:  # a worker gets a document only once it is up: none was lost
            return None
        validating = w.sent.popleft()
        waiting[:0] = [s.entry for s in w.sent if s.entry is not None]
        return crashed_result(validating.name, variant="worker_died", reason=exit_reason(code))
