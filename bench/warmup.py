"""Start-up cost of the rule sets: warm-up time and resident memory of one engine, before and after the
rule-set table grew by the post-award and the other EHF types, in one run.

Each configuration runs in a fresh spawned process (so its memory is its own), one after the other:

- ``before``: the code of another checkout (``--before``, default: the ``main`` branch exported to a
  temporary folder with ``git archive``), whose warm-up compiles the rule sets it knows;
- ``after``: this checkout's warm-up, :func:`~app.validation.rulesets.eager_rulesets` (the others
  compile on first use);
- ``all eager``: this checkout compiling every rule set at warm-up (what making all of them eager
  would cost);
- ``first use``: ``after``, then one document of each lazy rule set validated: the cost of compiling
  them on first use, paid by the first document of each type.

Measured in the process: seconds of the warm-up (``time.perf_counter``) and ``VmRSS`` from
``/proc/self/status`` before and after it. Ratios are against ``before`` of the same run. The standards
installed here serve every configuration (a superset of what ``before`` reads).

    .venv/bin/python bench/warmup.py [--before PATH] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _measure(code_root: str, mode: str, standards: str, out: Any) -> None:  # runs in the spawned process
    sys.path.insert(0, code_root)
    import app
    from app.validation import rulesets
    from app.validation.engine import Engine

    assert Path(app.__file__).resolve().is_relative_to(Path(code_root).resolve()), app.__file__

    engine = Engine(Path(standards))
    engine._processor()  # Saxon loaded before the baseline: the warm-up is what is measured
    base = _rss_mb()
    chosen = rulesets.all_rulesets() if mode in ("before", "all") else rulesets.eager_rulesets()
    t0 = time.perf_counter()
    engine.warm_up(chosen)
    seconds = time.perf_counter() - t0
    result: dict[str, Any] = {"rulesets": len(chosen), "seconds": seconds, "base": base, "rss": _rss_mb()}
    if mode == "first-use":
        from lxml import etree

        lazy = {rs.name for rs in rulesets.all_rulesets() if not rs.eager}
        seen: dict[str, float] = {}
        for path in sorted(Path(standards).glob("*/examples/**/*.xml")):
            try:
                name = rulesets.detect(etree.parse(str(path)).getroot()).name
            except (rulesets.UnsupportedDocument, etree.XMLSyntaxError):
                continue
            if name in lazy and name not in seen:
                t = time.perf_counter()
                engine.validate(path.read_bytes())
                seen[name] = time.perf_counter() - t
        result["first_use"] = seen
        result["rss"] = _rss_mb()
    out.send(result)


def run(code_root: Path, mode: str, standards: Path) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_measure, args=(str(code_root), mode, str(standards), child))
    proc.start()
    result: dict[str, Any] = parent.recv()
    proc.join()
    return result


def export_main() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="nordubl-before-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "main", "app"], check=True, capture_output=True
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout whose app/ is the baseline (default: main)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from app.config import get_settings

    standards = get_settings().standards_dir
    before = args.before or export_main()
    rows: dict[str, list[dict[str, Any]]] = {"before": [], "after": [], "all": [], "first-use": []}
    for _ in range(args.rounds):  # interleaved: a change of load hits every configuration alike
        for mode in rows:
            rows[mode].append(run(before if mode == "before" else ROOT, mode, standards))
    ref_s = statistics.median(r["seconds"] for r in rows["before"])
    ref_mb = statistics.median(r["rss"] - r["base"] for r in rows["before"])
    print(
        f"{'configuration':<12}{'rule sets':>10}{'warm-up s':>11}{'ratio':>7}{'RSS MB':>9}{'warm-up MB':>12}{'ratio':>7}"
    )
    for mode, results in rows.items():
        s = statistics.median(r["seconds"] for r in results)
        rss = statistics.median(r["rss"] for r in results)
        grown = statistics.median(r["rss"] - r["base"] for r in results)
        print(
            f"{mode:<12}{results[0]['rulesets']:>10}{s:>11.2f}{s / ref_s:>7.2f}{rss:>9.0f}{grown:>12.0f}"
            f"{grown / ref_mb:>7.2f}"
        )
    first = rows["first-use"][-1]["first_use"]
    print("\nfirst use of each lazy rule set (s, last round):")
    print(json.dumps({k: round(v, 2) for k, v in sorted(first.items())}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
