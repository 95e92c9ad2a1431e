"""Validation inside the API process: every Saxon call runs on one dedicated thread.

Saxon is not thread-safe, and the web server runs handlers on a thread pool. The service owns a
single-thread executor; the engine is created on that thread and never leaves it, so no Saxon object
crosses a thread. Scale out with more server processes (each has its own thread and engine).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from app.validation.engine import Engine, default_engine
from app.validation.report import Report
from app.validation.rulesets import all_rulesets


class ValidationService:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saxon")

    def _engine(self) -> Engine:
        return default_engine()

    def validate_sync(self, data: bytes, filename: str | None = None) -> Report:
        return self._pool.submit(lambda: self._engine().validate(data, filename)).result()

    async def validate(self, data: bytes, filename: str | None = None) -> Report:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: self._engine().validate(data, filename))

    async def call(self, fn: Any, *args: Any) -> Any:
        """Run ``fn(engine, *args)`` on the Saxon thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: fn(self._engine(), *args))

    def warm_up(self) -> None:
        self._pool.submit(lambda: self._engine().warm_up(all_rulesets())).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
