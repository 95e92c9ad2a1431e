"""Validation inside the API process: on one dedicated Saxon thread, or in a pool of spawned processes.

Saxon is not thread-safe, and the web server runs handlers on a thread pool. By default
(``validation_workers = 0``) the service owns a single-thread executor; the engine is created on that
thread and never leaves it, so no Saxon object crosses a thread. Scale out with more server processes
(each has its own thread and engine).

With ``validation_workers = N > 0`` every call goes to a :class:`~app.validation.pool.ValidationPool` of N
spawned processes instead (one engine each); a worker that dies answers 503 ``engine.crashed`` for the
calls it held, and the pool is replaced.

With ``validation_oioubl_workers = K > 0`` as well, the N workers compile and run only the Peppol and EHF
rule sets and K more workers only the OIOUBL ones (less memory per worker: docs/performance.md). A file
to validate is sent by a look at its first bytes (root element and CustomizationID); a generation call goes to
the Peppol workers first, and one whose document turns out to be OIOUBL is answered by an OIOUBL worker
(:class:`~app.validation.engine.OutsideFamily`), so a wrong guess costs time, never a wrong verdict.

Either way the rule sets most documents need are compiled at start-up, the others on first use
(:func:`~app.validation.rulesets.eager_rulesets`; :meth:`start_warm_up`, unless ``validation_warm_up``
is off) and :meth:`readiness` says whether that is done. Every report and every rule failure is counted
in the Prometheus metrics.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from app.config import Settings, get_settings
from app.errors import NordublError
from app.ops import metrics
from app.validation.budget import Budget, BudgetExceeded, is_budget, validate_within
from app.validation.engine import Engine, OutsideFamily, default_engine
from app.validation.pool import ValidationPool
from app.validation.report import Report
from app.validation.rulesets import eager_rulesets, guess, head_fields

log = logging.getLogger(__name__)


class ValidationService:
    def __init__(self, settings: Settings | None = None) -> None:
        settings = settings or get_settings()
        self.settings = settings
        self.workers = settings.validation_workers
        self._thread: ThreadPoolExecutor | None = None
        self.pool: ValidationPool | None = None
        #: The OIOUBL workers when the pool is split by rule-set family (``validation_oioubl_workers``).
        self.oioubl_pool: ValidationPool | None = None
        #: The jvm engine (``validation_engine = "jvm"``): one JVM, its compiled rules shared by the threads.
        self.jvm = settings.validation_engine == "jvm"
        if self.jvm:
            self.workers = 0
            from app.validation.jvm import validation_threads

            self._thread = validation_threads(settings, settings.validation_threads)
        elif self.workers > 0:
            split = settings.validation_oioubl_workers > 0
            self.pool = self._new_pool(self.workers, frozenset({"peppol"}) if split else None)
            if split:
                self.oioubl_pool = self._new_pool(settings.validation_oioubl_workers, frozenset({"oioubl"}))
        else:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saxon")
        self._warmed = threading.Event()
        self._warm_error: str | None = None
        #: What the warm-up is doing (the detail of ``/readyz`` until it is done).
        self._phase = "compiling"
        #: jvm engine: the official examples validated to warm the JIT (``jvm_jit_warm_up_rounds``).
        self.jit_documents = 0
        self._closing = threading.Event()

    def _new_pool(self, workers: int, families: frozenset[str] | None) -> ValidationPool:
        pool = ValidationPool(
            workers,
            standards_dir=self.settings.standards_dir,
            max_bytes=self.settings.max_xml_bytes,
            memory_mb=self.settings.validation_memory_mb,
            warm_up=self.settings.validation_warm_up,
            on_crash=metrics.ENGINE_CRASHES.inc,
            families=families,
        )
        pool.start()
        return pool

    @property
    def pools(self) -> list[ValidationPool]:
        return [p for p in (self.pool, self.oioubl_pool) if p is not None]

    def _pool_for(self, family: str) -> ValidationPool:
        assert self.pool is not None
        return self.oioubl_pool if family == "oioubl" and self.oioubl_pool is not None else self.pool

    def _sniff(self, data: bytes) -> ValidationPool:
        """The pool of the family the document's first bytes suggest (a guess: see :meth:`validate`)."""
        rs = guess(*head_fields(data)) if self.oioubl_pool is not None else None
        return self._pool_for(rs.family if rs is not None else "peppol")

    def _engine(self) -> Engine:
        if self.jvm:
            from app.validation.jvm import shared_engine

            return shared_engine(self.settings)
        return default_engine()

    # -- calls -----------------------------------------------------------------------------------
    def validate_sync(self, data: bytes, filename: str | None = None) -> Report:
        if self.pool is not None:
            pool = self._sniff(data)
            try:
                report: Report = pool.validate_sync(data, filename)
            except OutsideFamily as exc:
                report = self._pool_for(exc.family).validate_sync(data, filename)
        else:
            assert self._thread is not None
            report = self._thread.submit(lambda: self._engine().validate(data, filename)).result()
        metrics.record_report(report)
        return report

    async def validate(
        self, data: bytes, filename: str | None = None, budget: Budget | None = None
    ) -> Report:
        """The document's report; within ``budget`` (an upload to the API) one that costs more raises
        :class:`~app.validation.budget.BudgetExceeded` (see :mod:`app.validation.budget`)."""
        try:
            if self.pool is not None:
                pool = self._sniff(data)
                try:
                    report: Report = await pool.call(validate_within, data, filename, budget)
                except OutsideFamily as exc:
                    report = await self._pool_for(exc.family).call(validate_within, data, filename, budget)
            else:
                loop = asyncio.get_running_loop()
                report = await loop.run_in_executor(
                    self._thread, lambda: self._engine().validate(data, filename, budget)
                )
        except NordublError as err:
            if is_budget(err) and not isinstance(err, BudgetExceeded):  # a worker's, sent back as values
                raise BudgetExceeded(err.title, err.issues, err.status) from None
            raise
        metrics.record_report(report)
        return report

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(engine, *args)`` on the Saxon thread, or in a pool worker (``fn`` then must be a
        module-level function, its arguments and result picklable)."""
        try:
            if self.pool is not None:
                try:
                    result = await self.pool.call(fn, *args)
                except OutsideFamily as exc:
                    result = await self._pool_for(exc.family).call(fn, *args)
            else:
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(self._thread, lambda: fn(self._engine(), *args))
        except NordublError as err:
            metrics.record_issues(i for i in err.issues if not i.code.startswith(("input.", "engine.")))
            raise
        report = getattr(result, "report", None)
        if isinstance(report, Report):
            metrics.record_report(report)
        return result

    # -- warm-up and readiness -------------------------------------------------------------------
    def warm_up(self) -> None:
        """Compile the eager rule sets now (blocking)."""
        if self.pool is not None:
            for pool in self.pools:
                pool.wait_ready(timeout=600)
        else:
            assert self._thread is not None
            self._thread.submit(self._warm).result()

    def start_warm_up(self) -> None:
        """Compile the eager rule sets in the background; :meth:`readiness` turns true when it is done."""
        if self._thread is not None:
            self._thread.submit(self._warm)

    def _warm(self) -> None:
        try:
            engine = self._engine()
            if self.jvm:  # every stylesheet compiled at once, on as many threads as validate
                from app.validation.jvm import JvmEngine

                assert isinstance(engine, JvmEngine)
                engine.warm_up_parallel(eager_rulesets(), self.settings.validation_threads)
            for ruleset in eager_rulesets():
                if self._closing.is_set():
                    return
                engine.warm_up([ruleset])
            if self.jvm:
                from app.validation.jvm import JvmEngine, settle

                assert isinstance(engine, JvmEngine)
                self._phase = "warming the JIT"
                rounds = self.settings.jvm_jit_warm_up_rounds
                self.jit_documents = engine.warm_jit(eager_rulesets(), rounds, self._closing.is_set)
                if self._closing.is_set():
                    return
                settle()
        except Exception as exc:
            self._warm_error = f"{type(exc).__name__}: {exc}"[:300]
            log.error("rule sets failed to compile", extra={"error": self._warm_error})
            return
        self._warmed.set()
        metrics.ENGINE_READY.set(1)

    def readiness(self) -> tuple[bool, str]:
        """(ready, detail) of the validation engine, for ``/readyz``."""
        if self.pool is not None:
            statuses = [p.status() for p in self.pools]
            failed = [str(st["failed"]) for st in statuses if st["failed"]]
            if failed:
                return False, "; ".join(failed)
            ok = all(p.ready for p in self.pools)
            metrics.ENGINE_READY.set(1 if ok else 0)
            ready = sum(int(st["ready_workers"]) for st in statuses)
            workers = sum(int(st["workers"]) for st in statuses)
            detail = f"{ready}/{workers} workers ready"
            if self.oioubl_pool is not None:
                detail += f" ({self.oioubl_pool.workers} of them OIOUBL only)"
            if not self.settings.validation_warm_up:
                detail += " (rule sets compiled on first use)"
            restarts = sum(int(st["restarts"]) for st in statuses)
            return ok, detail + (f", {restarts} restarts" if restarts else "")
        if self._warm_error:
            return False, f"rule sets failed to compile: {self._warm_error}"
        if self._warmed.is_set():
            if self.jit_documents:
                return True, f"compiled; the JIT warmed on {self.jit_documents} documents"
            return True, "compiled"
        if not self.settings.validation_warm_up:
            return True, "compiled on first use (validation_warm_up is off)"
        return False, self._phase

    def close(self) -> None:
        self._closing.set()
        for pool in self.pools:
            pool.close()
        if self._thread is not None:
            self._thread.shutdown(wait=True)
