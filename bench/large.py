"""Large documents: a Peppol BIS invoice of 5,000 and 10,000 lines through the project and the bare engine.

The invoice is the first line of ``peppol-2026.5/examples/billing/base-example.xml`` repeated, every total
recomputed (``bench/validate.py``'s generator), so it is **valid**; 10,000 lines are about 14 MB.

For each size, in a fresh process (so that its peak memory is its own):

- **project**: ``Engine.validate(bytes)`` (safe parse, rule-set detection, XSD, both official stylesheets,
  SVRL read into issues);
- **bare**: the independent oracle's per-file steps (``../shared/tools/oracle.py``) on the same compiled
  schemas and stylesheets (``bench/validate.py``'s ``Bare``);
- the two alternate (project then bare, then bare then project …) for ``--rounds`` rounds after a warm-up
  that compiles everything and checks that both call the document valid;
- then one more project run under :mod:`tracemalloc` (Python allocations; not timed) and the process's
  peak resident set (``resource.getrusage``: Python, lxml and Saxon's native heap together).

Last, the whole HTTP path once: ``POST /v1/validate/batch`` with the 10,000-line invoice (default limits).

Goals: 10,000 lines take at most 2.2 × the time of 5,000 (linear); project / bare at most 1.10. Both are
judged on CPU time (``time.process_time``), which a shared machine's load moves far less than wall time:
the ratio on the medians, the growth on the best runs. Wall times are printed beside them.

    .venv/bin/python bench/large.py [--lines 5000 10000] [--rounds 5] [--no-http]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Python puts the script's folder first on the path; other benchmarks there (bench/http.py) would shadow
# standard modules of the same name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from app.config import get_settings  # noqa: E402
from app.validation.engine import Engine  # noqa: E402


def _bench_validate() -> Any:
    """bench/validate.py as a module (by path: the bench folder is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_validate", ROOT / "bench" / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_validate = _bench_validate()
Bare, large_invoice = _validate.Bare, _validate.large_invoice

LINEAR_GOAL = 2.2
RATIO_GOAL = 1.10


def child(lines: int, rounds: int) -> dict[str, Any]:
    """One size, measured in this process."""
    standards = get_settings().standards_dir
    started = time.perf_counter()
    data = large_invoice(standards, lines)
    generated = time.perf_counter() - started
    engine = Engine()
    bare = Bare(engine)
    report = engine.validate(data, "large.xml")  # warm-up: compiles the schema and both stylesheets
    ok, fatal = bare.validate(data)
    assert report.valid and ok, (report.fatal_codes(), fatal)
    times: dict[str, list[tuple[float, float]]] = {"p": [], "b": []}  # (wall, CPU) seconds per run
    for r in range(rounds):
        for side in "pb" if r % 2 == 0 else "bp":
            wall, cpu = time.perf_counter(), time.process_time()
            if side == "p":
                engine.validate(data, "large.xml")
            else:
                bare.validate(data)
            times[side].append((time.perf_counter() - wall, time.process_time() - cpu))
    tracemalloc.start()
    engine.validate(data, "large.xml")
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "lines": lines,
        "bytes": len(data),
        "generate_s": generated,
        "project": times["p"],
        "bare": times["b"],
        "python_peak_bytes": traced_peak,
        # Linux reports ru_maxrss in KiB
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def http_once(lines: int) -> dict[str, Any]:
    """POST /v1/validate/batch with the invoice, as a client would (default limits, TestClient)."""
    from fastapi.testclient import TestClient

    from app.api.main import app

    data = large_invoice(get_settings().standards_dir, lines)
    with TestClient(app) as client:
        small = (
            get_settings().standards_dir / "peppol-2026.5/examples/billing/base-example.xml"
        ).read_bytes()
        client.post("/v1/validate/batch", files=[("files", ("warm.xml", small, "application/xml"))])
        start = time.perf_counter()
        r = client.post("/v1/validate/batch", files=[("files", ("large.xml", data, "application/xml"))])
        seconds = time.perf_counter() - start
    body = r.json()
    return {
        "status": r.status_code,
        "valid": body["files"][0]["valid"] if r.status_code == 200 else None,
        "s": seconds,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--lines", type=int, nargs="+", default=[5000, 10000])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-http", action="store_true")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rounds)))
        return 0

    print(
        f"Python {platform.python_version()}, lxml {version('lxml')}, saxonche {version('saxonche')}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    results: list[dict[str, Any]] = []
    for lines in args.lines:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(lines), "--rounds", str(args.rounds)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))

    print(
        f"\n{'lines':>7} {'MB':>6} | {'wall s: project':>15} {'bare':>6} {'p/b':>6} | {'CPU s: project':>14} "
        f"{'bare':>6} {'p/b':>6} | {'best CPU: p/b':>13} | {'peak RSS MB':>11} {'Python peak MB':>14}"
    )
    for r in results:
        for side in ("project", "bare"):
            r[f"{side}_wall"] = statistics.median(w for w, _ in r[side])
            r[f"{side}_cpu"] = statistics.median(c for _, c in r[side])
            r[f"{side}_best"] = min(c for _, c in r[side])
        print(
            f"{r['lines']:>7,} {r['bytes'] / 1e6:>6.1f} | {r['project_wall']:>15.2f} {r['bare_wall']:>6.2f} "
            f"{r['project_wall'] / r['bare_wall']:>6.3f} | {r['project_cpu']:>14.2f} {r['bare_cpu']:>6.2f} "
            f"{r['project_cpu'] / r['bare_cpu']:>6.3f} | {r['project_best'] / r['bare_best']:>13.3f} | "
            f"{r['peak_rss_bytes'] / 2**20:>11.0f} {r['python_peak_bytes'] / 2**20:>14.1f}"
        )
    # Goals on CPU time: the machine may be shared, and CPU time moves far less with its load than wall
    # time. The ratio to the bare engine is judged on the medians, the growth on the best runs (a
    # neighbour's load only ever adds time).
    ok = True
    for r in results:
        ratio = r["project_cpu"] / r["bare_cpu"]
        met = ratio <= RATIO_GOAL
        ok &= met
        print(
            f"{r['lines']:,} lines: project / bare {ratio:.3f} (goal ≤ {RATIO_GOAL}): {'met' if met else 'NOT met'}"
        )
    if len(results) >= 2:
        small, big = results[0], results[-1]
        goal = LINEAR_GOAL * (big["lines"] / small["lines"]) / 2
        for label in ("project", "bare"):
            growth = big[f"{label}_best"] / small[f"{label}_best"]
            median_growth = big[f"{label}_cpu"] / small[f"{label}_cpu"]
            met = growth <= goal
            if label == "project":
                ok &= met
            print(
                f"{big['lines']:,} / {small['lines']:,} lines, {label}: CPU time × {growth:.2f} best, "
                f"× {median_growth:.2f} median (goal ≤ {goal:.1f}): {'met' if met else 'NOT met'}"
            )
    if not args.no_http:
        h = http_once(args.lines[-1])
        print(
            f"POST /v1/validate/batch, {args.lines[-1]:,} lines: HTTP {h['status']}, valid={h['valid']}, "
            f"{h['s']:.2f} s"
        )
        ok &= h["status"] == 200 and h["valid"] is True
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
