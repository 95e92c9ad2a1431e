"""Memory benchmark of the validation workers: resident memory of a worker with every rule set compiled,
and its growth over 10,000 validations per worker.

Workers: a :class:`~app.validation.pool.ValidationPool` of ``--workers`` spawned processes (default 2),
exactly as the API runs them, warm-up on (the start-up rule sets compiled before the first call,
the others on the first document of their type). Documents: every golden file of the repository (orders and invoices of every profile), the
official examples that have a rule set, and a broken copy of every third golden file (a wrong total and
currency: the rules fail), so every rule set is used and both verdicts occur.

Measured from ``/proc/<pid>`` of each worker: RSS (``VmRSS``), PSS and private memory
(``smaps_rollup``; the Saxon library's pages are shared between workers, so RSS counts them once per
worker while PSS splits them).

1. after start-up (rule sets compiled, nothing validated);
2. after a warm-up of ``--warm`` validations per worker (Saxon's heap and the allocators reach their
   working size): the reference;
3. every 10 % of ``--validations`` validations per worker, and at the end.

Saxon's heap grows and shrinks in a sawtooth, so the growth is also given as the highest RSS of the last
three tenths of the run against the highest of the first three tenths (reference included): a trend,
which a trough or a peak at one point cannot fake.

Goals: RSS per worker with all rule sets compiled ≤ 400 MB; growth from the reference to the end < 10 %.
Every verdict is compared with the one the worker gave in the warm-up (a change would be a wrong verdict).

With ``--oioubl-workers K`` the pool is split as ``NORDUBL_VALIDATION_OIOUBL_WORKERS=K`` splits it: the
``--workers`` compile and validate only the Peppol and EHF rule sets (and documents), K more workers only
the OIOUBL ones.

    .venv/bin/python bench/memory.py [--workers 2] [--oioubl-workers 0] [--validations 10000] [--warm 500]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import get_settings  # noqa: E402
from app.validation.engine import Engine  # noqa: E402
from app.validation.pool import ValidationPool  # noqa: E402
from app.validation.rulesets import UnsupportedDocument, detect  # noqa: E402
from app.validation.xmlsafe import parse_untrusted  # noqa: E402

Item = tuple[int, bytes]


def verdict(engine: Engine, index: int, data: bytes) -> tuple[int, int, bool, tuple[str, ...]]:
    """Runs in a worker: (pid, document index, valid, sorted failed rule ids)."""
    report = engine.validate(data)
    return os.getpid(), index, report.valid, tuple(sorted(report.fatal_codes()))


def family(data: bytes) -> str:
    return detect(parse_untrusted(data, 64 << 20).getroot()).family


def documents(standards: Path) -> list[bytes]:
    expected = ROOT / "fixtures" / "expected"
    golden = sorted(expected.glob("*.xml")) + sorted((expected / "invoices").glob("*.xml"))
    docs = [p.read_bytes() for p in golden]
    for data in docs[::3]:
        broken = re.sub(rb"(<cbc:PayableAmount[^>]*>)[^<]+", rb"\g<1>1.01", data, count=1)
        docs.append(re.sub(rb"(<cbc:DocumentCurrencyCode[^>]*>)[^<]+", rb"\g<1>XYZ", broken, count=1))
    for p in sorted(standards.glob("*/examples/**/*.xml")):
        data = p.read_bytes()
        try:
            detect(parse_untrusted(data, 64 << 20).getroot())
        except UnsupportedDocument:
            continue
        except Exception:
            continue
        docs.append(data)
    return docs


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and private memory of a process, in MB."""
    out: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                out["rss"] = int(line.split()[1]) / 1024
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
        private = 0
        for line in fh:
            if line.startswith("Pss:"):
                out["pss"] = int(line.split()[1]) / 1024
            elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1])
        out["private"] = private / 1024
    return out


def run(
    pool: ValidationPool, docs: list[Item], per_worker: int, workers: int, seen: dict[int, Any]
) -> dict[int, int]:
    """``per_worker × workers`` validations, at most 2 in flight per worker; counts per worker pid."""
    counts: dict[int, int] = {}
    pending: set[Future[Any]] = set()
    total = per_worker * workers
    sent = 0
    while sent < total or pending:
        while sent < total and len(pending) < 2 * workers:
            i, data = docs[sent % len(docs)]
            pending.add(pool.submit(verdict, i, data))
            sent += 1
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for f in done:
            pid, i, valid, codes = f.result()
            counts[pid] = counts.get(pid, 0) + 1
            first = seen.setdefault(i, (valid, codes))
            if first != (valid, codes):
                raise SystemExit(f"wrong verdict: document {i} was {first}, now {(valid, codes)}")
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--oioubl-workers", type=int, default=0, help="split pool: OIOUBL-only workers")
    ap.add_argument("--validations", type=int, default=10_000, help="per worker (default 10,000)")
    ap.add_argument("--warm", type=int, default=500, help="warm-up validations per worker (default 500)")
    args = ap.parse_args()
    settings = get_settings()
    docs = list(enumerate(documents(settings.standards_dir)))
    split = args.oioubl_workers > 0
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}; {len(docs)} documents, {args.workers} workers"
        + (f" (Peppol and EHF) + {args.oioubl_workers} (OIOUBL)" if split else "")
    )
    # (label, pool, its documents, its workers)
    groups: list[tuple[str, ValidationPool, list[Item], int]] = []
    for label, fams, n in (
        [
            ("peppol", frozenset({"peppol"}), args.workers),
            ("oioubl", frozenset({"oioubl"}), args.oioubl_workers),
        ]
        if split
        else [("all", None, args.workers)]
    ):
        pool = ValidationPool(
            n,
            standards_dir=settings.standards_dir,
            max_bytes=settings.max_xml_bytes,
            warm_up=True,
            families=fams,
        )
        mine = [d for d in docs if fams is None or family(d[1]) in fams]
        groups.append((label, pool, mine, n))
    started = time.monotonic()
    for _, pool, _, _ in groups:
        pool.start()
    for _, pool, _, _ in groups:
        if not pool.wait_ready(600):
            raise SystemExit(f"the pool did not start: {pool.status()}")
    print(f"start-up with every rule set compiled: {time.monotonic() - started:.1f} s")
    pids = [p for _, pool, _, _ in groups for p in pool.pids()]
    names = [f"{label} {i + 1}" for label, pool, _, _ in groups for i in range(len(pool.pids()))]
    rows: list[tuple[str, dict[int, dict[str, float]]]] = []
    rows.append(("compiled, nothing validated", {p: memory(p) for p in pids}))
    seen: dict[int, Any] = {}

    def run_all(n: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for _, pool, mine, workers in groups:
            counts.update(run(pool, mine, n, workers, seen))
        return counts

    run_all(args.warm)
    rows.append((f"after {args.warm} validations per worker (reference)", {p: memory(p) for p in pids}))
    reference = {p: rows[-1][1][p]["rss"] for p in pids}
    step = max(1, args.validations // 10)
    done = 0
    t0 = time.monotonic()
    counts: dict[int, int] = {}
    while done < args.validations:
        n = min(step, args.validations - done)
        for pid, c in run_all(n).items():
            counts[pid] = counts.get(pid, 0) + c
        done += n
        rows.append((f"+{done} validations per worker", {p: memory(p) for p in pids}))
    elapsed = time.monotonic() - t0
    for _, pool, _, _ in groups:
        assert pool.restarts == 0, "a worker was replaced"
    assert sorted(p for _, pool, _, _ in groups for p in pool.pids()) == sorted(pids), "a worker was replaced"
    for _, pool, _, _ in groups:
        pool.close()
    print(f"{sum(counts.values())} validations in {elapsed:.0f} s; per worker: {sorted(counts.values())}")
    print()
    header = " | ".join(f"{name}: RSS / PSS / private MB" for name in names)
    print(f"| point | {header} |")
    print("|---|" + "---:|" * len(pids))
    for label, mem in rows:
        cells = " | ".join(
            f"{m['rss']:.0f} / {m['pss']:.0f} / {m['private']:.0f}" for m in (mem[p] for p in pids)
        )
        print(f"| {label} | {cells} |")
    compiled = max(rows[0][1][p]["rss"] for p in pids)
    growth = max((rows[-1][1][p]["rss"] - reference[p]) / reference[p] for p in pids)
    from_compiled = [
        (rows[-1][1][p]["rss"] - rows[0][1][p]["rss"]) / rows[0][1][p]["rss"] * 100 for p in pids
    ]
    peak = max(m[p]["rss"] for _, m in rows for p in pids)
    print()
    print(
        f"RSS per worker with its rule sets compiled ({'split by family' if split else 'every rule set'}): "
        f"{compiled:.0f} MB (goal ≤ 400): {'met' if compiled <= 400 else 'NOT met'}"
    )
    print(f"highest RSS seen: {peak:.0f} MB")
    print(
        f"RSS growth from the reference to the end: {growth * 100:+.1f} % (goal < 10 %): {'met' if growth < 0.10 else 'NOT met'}"
    )
    print(
        "RSS change from 'compiled' to the end, per worker: "
        + ", ".join(f"{g:+.1f} %" for g in from_compiled)
    )
    # Saxon's heap is a sawtooth (it grows, then a collection returns part of it): a single point can be a
    # trough or a peak. The trend is the highest RSS of the first three tenths of the run (reference
    # included) against the highest of the last three tenths.
    timed = rows[1:]
    third = max(1, len(timed) * 3 // 10)
    trend = max(
        max(m[p]["rss"] for _, m in timed[-third:]) / max(m[p]["rss"] for _, m in timed[: third + 1]) - 1
        for p in pids
    )
    print(
        f"peak RSS, last three tenths against first three tenths: {trend * 100:+.1f} % (goal < 10 %): "
        f"{'met' if trend < 0.10 else 'NOT met'}"
    )
    print(f"verdicts: {len(seen)} documents, every repeat identical to the first")
    return 0


if __name__ == "__main__":
    sys.exit(main())
