"""Readiness: may this process take traffic? Each check answers ``(ok, detail)``; all run at every probe.

- ``database``: ``SELECT 1`` on the configured database, within :data:`CHECK_TIMEOUT_S`.
- ``blob_store``: a probe is written to the configured blob store (the folder, or the S3 bucket).
- ``rulesets``: the validation engine of this process (or every worker of its pool) has compiled
  every official rule set.

A check that raises or runs past its time counts as failed with the reason; the probe itself never fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.config import Settings

#: The name readiness warnings have always been logged under (log filters select on it).
log = logging.getLogger("app.ops.readiness")

CHECK_TIMEOUT_S = 3.0
#: The bytes written by the blob-store check (content-addressed stores keep one copy of them).
PROBE = b"nordubl readiness probe\n"


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


def check_database(settings: Settings) -> Check:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from app.db import get_engine

    engine = get_engine(settings.database_url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Check(True, make_url(settings.database_url).get_backend_name())


def _blob_settings(settings: Settings) -> tuple[str | None, Path | None]:
    bucket = getattr(settings, "blob_s3_bucket", None)
    folder = getattr(settings, "blob_dir", None)
    return (str(bucket) if bucket else None, Path(folder) if folder else None)


def check_blob_store(settings: Settings) -> Check | None:
    """None when no blob store is configured (the settings have none)."""
    bucket, folder = _blob_settings(settings)
    if bucket:
        from app.store.blobs import blob_store_for

        store = blob_store_for(settings)
        store.put(PROBE)  # the same name every time: an existing probe is kept, not overwritten
        return Check(True, f"s3://{bucket}")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=".ready-")
        try:
            os.write(fd, PROBE)
            os.fsync(fd)
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(name)
        return Check(True, str(folder))
    return None


async def run_checks(settings: Settings, validation: Any) -> dict[str, Check]:
    """Every check, concurrently, each bounded by :data:`CHECK_TIMEOUT_S`."""
    checks: dict[str, Callable[[], Check | None]] = {
        "database": lambda: check_database(settings),
        "blob_store": lambda: check_blob_store(settings),
    }
    names = list(checks)
    results = await asyncio.gather(*(_bounded(checks[n]) for n in names))
    out = {n: r for n, r in zip(names, results, strict=True) if r is not None}
    ok, detail = validation.readiness()
    out["rulesets"] = Check(ok, detail)
    return out


async def _bounded(fn: Callable[[], Check | None]) -> Check | None:
    try:
        return await asyncio.wait_for(asyncio.to_thread(fn), CHECK_TIMEOUT_S)
    except TimeoutError:
        return Check(False, f"no answer within {CHECK_TIMEOUT_S:g} s")
    except Exception as exc:
        log.warning("readiness check failed", extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
        return Check(False, f"{type(exc).__name__}: {str(exc)[:200]}")
