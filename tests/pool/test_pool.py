"""The spawned validation pool: same verdicts as the in-process engine, crashes answered and survived,
a memory cap, a broken installation refused."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pool_hooks
import pytest
from largedocs import big_invoice
from waiting import CAP_S, wait_until

from app.errors import NordublError
from app.pool.process import MAX_START_FAILURES
from app.validation.engine import Engine
from app.validation.pool import EngineCrashed, EngineFailed, ValidationPool

ROOT = Path(__file__).resolve().parents[2]


def corpus(standards_dir: Path) -> list[tuple[str, bytes]]:
    """Valid golden documents of every profile and kind, and broken copies of some of them."""
    expected = ROOT / "fixtures" / "expected"
    valid = sorted(expected.glob("*.xml"))[:6] + sorted((expected / "invoices").glob("*.xml"))[:6]
    docs = [(p.name, p.read_bytes()) for p in valid]
    for name, data in list(docs)[::3]:
        # break a total (BR-CO-*) and a code list value: the rules must say so in the worker too
        broken = re.sub(rb"(<cbc:PayableAmount[^>]*>)[^<]+", rb"\g<1>1.01", data, count=1)
        broken = re.sub(rb"(<cbc:DocumentCurrencyCode[^>]*>)[^<]+", rb"\g<1>XYZ", broken, count=1)
        docs.append((f"broken-{name}", broken))
    docs.append(
        ("example.xml", (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_bytes())
    )
    return docs


def start(standards_dir: Path, workers: int = 1, **kw: object) -> ValidationPool:
    pool = ValidationPool(workers, standards_dir=standards_dir, max_bytes=64 << 20, **kw)  # type: ignore[arg-type]
    pool.start()
    assert pool.wait_ready(CAP_S), pool.status()
    return pool


def test_pool_gives_the_in_process_verdicts(standards_dir: Path, validation_engine: Engine) -> None:
    docs = corpus(standards_dir)
    expected = {
        name: (validation_engine.validate(data).valid, validation_engine.validate(data).fatal_codes())
        for name, data in docs
    }
    assert any(not v for v, _ in expected.values()) and any(v for v, _ in expected.values())
    with start(standards_dir, workers=2, warm_up=False) as pool, ThreadPoolExecutor(6) as threads:
        reports = dict(
            zip(
                [n for n, _ in docs], threads.map(lambda d: pool.validate_sync(d[1], d[0]), docs), strict=True
            )
        )
        pids = {pool.call_sync(pool_hooks.pid) for _ in range(8)}
        assert pids <= set(pool.pids()) and len(pool.pids()) == 2
    assert pids.isdisjoint({os.getpid()})
    for name, report in reports.items():
        assert (report.valid, report.fatal_codes()) == expected[name], name
        assert report.filename == name


def test_worker_killed_mid_validation_answers_engine_crashed_and_the_next_call_succeeds(
    standards_dir: Path,
) -> None:
    big = big_invoice(standards_dir, 4000)
    small = (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_bytes()
    with start(standards_dir, warm_up=False) as pool:
        assert pool.validate_sync(small).valid  # compiles the billing rules in the worker
        victim = pool.pids()
        outcome: list[BaseException] = []

        def request() -> None:
            try:
                pool.validate_sync(big)
            except BaseException as exc:
                outcome.append(exc)

        t = threading.Thread(target=request)
        t.start()
        wait_until(lambda: pool.in_flight > 0, "the big document is handed to the worker", poll=0.01)
        time.sleep(0.3)  # inside Saxon by now (the document takes seconds, longer on a loaded machine)
        assert pool.in_flight == 1
        os.kill(victim[0], signal.SIGKILL)
        t.join(CAP_S)
        assert len(outcome) == 1 and isinstance(outcome[0], EngineCrashed), outcome
        err = outcome[0]
        assert err.status == 503 and [i.code for i in err.issues] == ["engine.crashed"]
        report = pool.validate_sync(small)  # the next call: a fresh worker
        assert report.valid
        assert pool.restarts == 1 and pool.pids() != victim
        assert pool.in_flight == 0


def test_exit_inside_the_engine_and_idle_death(standards_dir: Path) -> None:
    small = (standards_dir / "peppol-2026.5/examples/order/Order_Example.xml").read_bytes()
    with start(standards_dir, workers=2, warm_up=False) as pool:
        with pytest.raises(EngineCrashed):
            pool.call_sync(pool_hooks.die)
        assert pool.restarts == 1
        assert pool.validate_sync(small).ruleset == "peppol-order"
        # a worker that dies while idle: the watcher replaces the pool before anyone calls
        assert pool.wait_ready(CAP_S)
        os.kill(pool.pids()[0], signal.SIGKILL)
        wait_until(lambda: pool.restarts >= 2, "the watcher replaces the dead worker")
        assert pool.restarts == 2
        assert pool.wait_ready(CAP_S)
        assert pool.validate_sync(small).ruleset == "peppol-order"


def test_errors_raised_in_the_worker_come_back_without_breaking_the_pool(standards_dir: Path) -> None:
    with start(standards_dir, warm_up=False) as pool:
        with pytest.raises(EngineFailed, match="ValueError: plain failure"):
            pool.call_sync(pool_hooks.raise_plain)
        with pytest.raises(NordublError) as info:
            pool.call_sync(pool_hooks.nordubl_error)
        assert info.value.status == 413 and info.value.issues[0].code == "input.too_large"
        assert pool.restarts == 0
        assert pool.call_sync(pool_hooks.pid) in pool.pids()


def test_worker_under_a_2_gib_address_space_cap_compiles_everything_and_validates(
    standards_dir: Path,
) -> None:
    """``ulimit -v`` 2 GiB (RLIMIT_AS set in the child before Saxon loads)."""
    big = big_invoice(standards_dir, 2000)
    with start(standards_dir, memory_mb=2048, warm_up=True) as pool:
        info = pool.call_sync(pool_hooks.limits)
        assert info["soft"] == info["hard"] == 2048 * 1024 * 1024
        assert info["stylesheets"] == 18  # every official stylesheet compiled under the cap
        assert info["vm_peak_kb"] * 1024 <= 2048 * 1024 * 1024
        report = pool.validate_sync(big)
        assert report.ruleset == "peppol-billing" and all(s.status != "not_run" for s in report.stages)
        assert pool.restarts == 0


def test_a_broken_installation_is_refused_not_restarted_forever(tmp_path: Path) -> None:
    pool = ValidationPool(1, standards_dir=tmp_path, max_bytes=1 << 20, warm_up=True)
    pool.start()
    try:
        assert not pool.wait_ready(CAP_S)  # returns as soon as the pool gives up
        wait_until(lambda: pool.failed is not None, "the pool gives up")
        assert pool.failed is not None and str(MAX_START_FAILURES) in pool.failed
        restarts = pool.restarts
        with pytest.raises(EngineCrashed):
            pool.call_sync(pool_hooks.pid)
        time.sleep(1.5)
        assert pool.restarts == restarts  # given up: no more spawning
    finally:
        pool.close()
