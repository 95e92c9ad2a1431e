"""Saxon under stress: many threads of the server submitting to a pool of spawned validation processes,
with the real rule sets; no worker crashes, no verdict differs from the in-process engine's.

4 processes × 8 threads, 2,000 validations, every rule set compiled in every worker first (about 70 s
here). ``FULL_FAULT_TESTS=1``: 10,000 validations.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import stress_hooks

from app.validation.engine import Engine
from app.validation.pool import ValidationPool
from app.validation.rulesets import UnsupportedDocument, detect
from app.validation.xmlsafe import parse_untrusted

ROOT = Path(__file__).resolve().parents[2]
FULL = os.environ.get("FULL_FAULT_TESTS") == "1"
PROCESSES, THREADS, VALIDATIONS = (4, 8, 10_000 if FULL else 2000)


def documents(standards_dir: Path) -> list[bytes]:
    """Golden orders and invoices of every profile, a broken copy of every third, and every official
    example that has a rule set: every rule set, valid and invalid documents."""
    expected = ROOT / "fixtures" / "expected"
    docs = [
        p.read_bytes() for p in sorted(expected.glob("*.xml")) + sorted((expected / "invoices").glob("*.xml"))
    ]
    for data in docs[::3]:
        broken = re.sub(rb"(<cbc:PayableAmount[^>]*>)[^<]+", rb"\g<1>1.01", data, count=1)
        docs.append(re.sub(rb"(<cbc:DocumentCurrencyCode[^>]*>)[^<]+", rb"\g<1>XYZ", broken, count=1))
    for p in sorted(standards_dir.glob("*/examples/**/*.xml")):
        data = p.read_bytes()
        try:
            detect(parse_untrusted(data, 64 << 20).getroot())
        except (UnsupportedDocument, Exception):
            continue
        docs.append(data)
    return docs


def test_threads_submitting_to_spawned_workers_get_the_right_verdicts(
    standards_dir: Path, validation_engine: Engine
) -> None:
    docs = documents(standards_dir)
    expected = {}
    for i, data in enumerate(docs):
        report = validation_engine.validate(data)
        expected[i] = (report.valid, tuple(sorted(report.fatal_codes())))
    assert 0 < sum(v for v, _ in expected.values()) < len(docs)  # both verdicts occur
    assert len({validation_engine.validate(d).ruleset for d in docs}) >= 10  # most rule sets are used

    pool = ValidationPool(PROCESSES, standards_dir=standards_dir, max_bytes=64 << 20, warm_up=True)
    pool.start()
    try:
        assert pool.wait_ready(600), pool.status()
        started = time.monotonic()

        def one(n: int) -> tuple[int, int, int, bool, tuple[str, ...]]:
            i = (n * 7) % len(docs)
            result: tuple[int, int, int, bool, tuple[str, ...]] = pool.call_sync(
                stress_hooks.verdict, i, docs[i]
            )
            return result

        with ThreadPoolExecutor(THREADS) as threads:
            results = list(threads.map(one, range(VALIDATIONS)))
        elapsed = time.monotonic() - started
        assert pool.restarts == 0 and pool.failed is None
        wrong = [
            (i, expected[i], (valid, codes))
            for _, _, i, valid, codes in results
            if expected[i] != (valid, codes)
        ]
        assert not wrong, wrong[:5]
        per_process = Counter(pid for pid, *_ in results)
        assert len(results) == VALIDATIONS
        assert set(per_process) <= set(pool.pids()) and len(per_process) == PROCESSES, per_process
        assert os.getpid() not in per_process
        # each worker ran every call on one thread: no Saxon object crossed a thread there
        assert len({(pid, tid) for pid, tid, *_ in results}) == PROCESSES
        print(
            f"{VALIDATIONS} validations, {PROCESSES} processes × {THREADS} threads: {elapsed:.1f} s, {dict(per_process)}"
        )
    finally:
        pool.close()
