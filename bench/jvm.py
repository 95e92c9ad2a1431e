"""The jvm engine (Saxon-HE 11.4 on HotSpot through JPype) against saxonche (SaxonC-HE 12), in one run.

1. **Per document**, one thread, the two engines interleaved in one process (a then b, b then a on the
   next document, ``bench/validate.py``'s ``compare``): the official examples that have a rule set, the
   2,000-line invoice of ``bench/validate.py``, and the documents generated from the form fixtures
   (``fixtures/expected``), after ``--warm`` untimed jvm rounds and ``settle()``, as the service does
   before ``/readyz`` (``jvm_jit_warm_up_rounds``: HotSpot's JIT; the collector's objects frozen). Ratio =
   saxonche / jvm median (> 1: the jvm engine is faster).
2. **Threads**: documents per second of the jvm engine with 1, 2 and 4 threads sharing one JVM, against
   saxonche's one thread in the same process (saxonche is not thread-safe: more needs more processes).
3. **N-way service** (a fresh process per row, so the memory is that of one service): start-up to ready
   (every rule set compiled; jvm: the JIT warmed too, as the service does), documents per second
   validating N at a time, and the RSS of the process tree afterwards: jvm = one process with N threads;
   saxonche = the API process's ``ValidationPool`` of N spawned workers (what ``validation_workers = N``
   runs).

Also prints the machine's load average before and after, since the machine is shared.

    .venv/bin/python bench/jvm.py [--rounds 7] [--big-rounds 5] [--warm 8] [--ways 1 2 4] [--seconds 20]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Python puts the script's folder first on the path; other benchmarks there (bench/http.py) would shadow
# standard modules of the same name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from app.config import get_settings  # noqa: E402
from app.validation.engine import Engine  # noqa: E402
from app.validation.jvm import settle  # noqa: E402
from app.validation.rulesets import all_rulesets, eager_rulesets  # noqa: E402


def _bench_validate() -> Any:
    """bench/validate.py as a module (by path: the bench folder is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_validate", ROOT / "bench" / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_validate = _bench_validate()
compare, examples, large_invoice, ms = (
    _validate.compare,
    _validate.examples,
    _validate.large_invoice,
    _validate.ms,
)


def generated() -> list[tuple[str, bytes]]:
    """The documents the service generates from the form fixtures (goldens of tests/golden)."""
    return [(p.name, p.read_bytes()) for p in sorted((ROOT / "fixtures" / "expected").rglob("*.xml"))]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


# -- 1 and 2: in this process --------------------------------------------------------------------------


def per_document(saxonche: Engine, jvm: Engine, rounds: int, big_rounds: int, lines: int, warm: int) -> None:
    standards = get_settings().standards_dir
    groups = [
        ("official examples", [d for _, d in examples(standards)], rounds),
        (f"invoice, {lines} lines", [large_invoice(standards, lines)], big_rounds),
        ("generated from the form fixtures", [d for _, d in generated()], rounds),
    ]
    print("\n1. Per document, one thread, interleaved (mean over documents of each one's median / best)")
    print(f"   {'documents':<36} {'n':>4} {'saxonche':>24} {'jvm':>24} {'ratio':>6} {'best':>6}")
    for name, docs, r in groups:
        for d in docs:  # every rule set compiled and every answer the same before timing
            a, b = saxonche.validate(d).as_dict(), jvm.validate(d).as_dict()
            assert [s["name"] for s in a["stages"]] == [s["name"] for s in b["stages"]]
            assert (a["valid"], a["issues"]) == (b["valid"], b["issues"]), "the engines disagree"
        for _ in range(warm):  # HotSpot compiles the hot paths to machine code as they run
            for d in docs:
                jvm.validate(d)
        settle()  # as the service does once warm (app/validation/jvm.py): for both engines of this process
        t = compare(saxonche.validate, jvm.validate, docs, r)
        print(
            f"   {name:<36} {len(docs):>4} {ms(t.a_median):>24} {ms(t.b_median):>24} "
            f"{t.ratio:6.2f} {t.best_ratio:6.2f}"
        )


def throughput(fn: Any, docs: list[bytes], threads: int, seconds: float) -> float:
    """Documents per second of ``threads`` threads calling ``fn`` on ``docs`` in turn for ``seconds``."""
    stop = time.monotonic() + seconds
    counts = [0] * threads

    def run(i: int) -> None:
        k = i
        while time.monotonic() < stop:
            fn(docs[k % len(docs)])
            k += 1
            counts[i] += 1

    start = time.monotonic()
    if threads == 1:  # on this thread: a saxonche engine stays on the thread that made it
        run(0)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(run, range(threads)))
    return sum(counts) / (time.monotonic() - start)


def threads_table(saxonche: Engine, jvm: Engine, seconds: float, ways: list[int]) -> None:
    standards = get_settings().standards_dir
    docs = [d for _, d in examples(standards)] + [d for _, d in generated()]
    print(f"\n2. Threads, {len(docs)} documents in turn, {seconds:.0f} s per row (documents per second)")
    base = throughput(saxonche.validate, docs, 1, seconds)
    print(f"   saxonche, 1 thread (its most)          {base:8.1f}/s   1.00")
    for n in ways:
        rate = throughput(jvm.validate, docs, n, seconds)
        print(
            f"   jvm, {n} thread{'s' if n > 1 else ' '}                          {rate:8.1f}/s   {rate / base:4.2f}"
        )


# -- 3: a fresh process per row ------------------------------------------------------------------------


def _tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants (VmRSS from /proc), MB."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            tasks = list(Path(f"/proc/{p}/task").iterdir())
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += sum(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
        for task in tasks:  # children of every thread (the workers are forked from a spawner thread)
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue  # a thread that ended meanwhile
    return total


def child(engine: str, ways: int, seconds: float) -> dict[str, Any]:
    """One service's worth: start-up to ready, N-way documents per second, RSS of the tree."""
    docs = [d for _, d in examples(get_settings().standards_dir)] + [d for _, d in generated()]
    start = time.monotonic()
    if engine == "jvm":
        from app.validation.jvm import shared_engine

        settings = get_settings()
        eng = shared_engine()
        eng.warm_up_parallel(all_rulesets(), ways)
        eng.warm_up(all_rulesets())
        eng.warm_jit(eager_rulesets(), settings.jvm_jit_warm_up_rounds)  # what the service does before ready
        settle()
        ready = time.monotonic() - start
        rate = throughput(eng.validate, docs, ways, seconds)
        pool = None
    else:
        from app.validation.pool import ValidationPool

        settings = get_settings()
        pool = ValidationPool(ways, standards_dir=settings.standards_dir, max_bytes=settings.max_xml_bytes)
        pool.start()
        assert pool.wait_ready(900), "the saxonche workers did not become ready"
        ready = time.monotonic() - start
        rate = throughput(pool.validate_sync, docs, ways, seconds)
    rss = _tree_rss_mb(os.getpid())
    if pool is not None:
        pool.close()
    return {"engine": engine, "ways": ways, "ready_s": ready, "rate": rate, "rss_mb": rss}


def service_table(ways: list[int], seconds: float) -> None:
    print(f"\n3. N-way service, a fresh process per row ({seconds:.0f} s of validation each)")
    print(f"   {'engine':<9} {'N':>2} {'start-up to ready':>18} {'documents/s':>12} {'RSS of the tree':>16}")
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for n in ways:
        for engine in ("saxonche", "jvm") if n % 2 else ("jvm", "saxonche"):  # interleaved
            out = subprocess.run(
                [sys.executable, __file__, "--child", engine, "--ways", str(n), "--seconds", str(seconds)],
                capture_output=True,
                text=True,
                timeout=1800,
                check=True,
            )
            rows[engine, n] = json.loads(out.stdout.strip().splitlines()[-1])
        for engine in ("saxonche", "jvm"):
            r = rows[engine, n]
            print(
                f"   {engine:<9} {n:>2} {r['ready_s']:>16.1f} s {r['rate']:>10.1f}/s {r['rss_mb']:>13.0f} MB"
            )
        s, j = rows["saxonche", n], rows["jvm", n]
        print(
            f"   ratio        start-up {s['ready_s'] / j['ready_s']:.2f}, throughput {j['rate'] / s['rate']:.2f}, "
            f"RSS {j['rss_mb'] / s['rss_mb']:.2f} (jvm / saxonche for throughput and RSS)"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--big-rounds", type=int, default=5)
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--warm", type=int, default=8, help="untimed jvm rounds before table 1 (the JIT)")
    ap.add_argument("--ways", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--seconds", type=float, default=20.0, help="validation time per row of tables 2 and 3")
    ap.add_argument("--skip", nargs="*", default=[], choices=["1", "2", "3"], help="tables to leave out")
    ap.add_argument("--child", choices=["saxonche", "jvm"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.ways[0], args.seconds)))
        return 0

    from importlib.metadata import version

    from app.validation.jvm import shared_engine

    print(f"{platform.python_implementation()} {platform.python_version()}, saxonche {version('saxonche')}")
    print(load())
    started = time.monotonic()
    if "1" not in args.skip or "2" not in args.skip:
        saxonche = Engine()
        jvm = shared_engine()
        print(f"Saxon-HE {jvm.version} (jvm), JPype1 {version('JPype1')}")
        if "1" not in args.skip:
            per_document(saxonche, jvm, args.rounds, args.big_rounds, args.lines, args.warm)
        if "2" not in args.skip:
            threads_table(saxonche, jvm, args.seconds, args.ways)
    if "3" not in args.skip:
        service_table(args.ways, args.seconds)
    print(f"\n{load()}; {time.monotonic() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
