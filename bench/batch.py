"""Batch validation benchmark: ``nordubl validate DIR --jobs 1`` and ``--jobs 2`` against the bare engine,
on the same generated documents, in one run.

Documents: N files (default 600) made by repeating the official examples that have a rule set and
mutating each copy: a new document ID in every file, a wrong line amount in every 7th (fails the
totals rules), an impossible issue date in every 11th (fails the XSD), and about 1% hostile or broken
files (empty, truncated, DOCTYPE with entities, not UBL, invalid UTF-8), spread over folders of 250.

Runs, each a fresh process started by this script, whole wall time (start-up, rule compilation, all
files, report written):

- ``bare``: this file with ``--bare DIR``: exactly what the independent oracle
  (``../shared/tools/oracle.py``) does per file, in one process: lxml parse, lxml XSD, then for each
  stylesheet ``etree.tostring`` + saxonche ``parse_xml`` + ``transform_to_string`` + lxml parse of the
  SVRL and a walk over its failed asserts; schemas and stylesheets compiled once, on first use;
- ``jobs1``: ``python -m app.cli validate DIR --jobs 1 --format json`` (in-process engine);
- ``jobs2``: the same with ``--jobs 2`` (two spawned workers).

While each runs, the resident memory of its whole process tree (the process and every descendant,
from ``/proc``) is sampled every 100 ms and set against the number of files already reported, read
from its output file as it grows: the peak after a quarter, half and all of the files shows whether
memory stays flat as the batch grows.

Then the steady state, in this process (``--no-steady`` skips it): the in-process engine, a pool of
two workers and the bare steps, every rule set already compiled, take turns on chunks of 100 files;
this is the throughput of a long batch or a running service, and the turns make the ratios robust to
a change of load on a shared machine.

    .venv/bin/python bench/batch.py [--files 600] [--rounds 1] [--quiet-wait S] [--no-steady] [--keep DIR]

With ``--rounds R`` the three runs repeat R times in rotated order; the ratios are given for the
median and for the best time of each. The machine may be shared: wall times move with its load, CPU
times (user + system of the whole tree) much less; each run also reports how many cores the rest of
the machine kept busy meanwhile (``others``, from ``/proc/stat``), and ``--quiet-wait S`` waits before
each run, up to S seconds, for that other work to calm down.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# the project first; and not this folder, whose other scripts would shadow standard modules (http)
sys.path[:] = [str(ROOT)] + [
    p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent
]

from lxml import etree  # noqa: E402

from app.batch.loader import Input  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.validation.rulesets import UnsupportedDocument, detect  # noqa: E402

SVRL_FAILED = "{http://purl.oclc.org/dsdl/svrl}failed-assert"
PER_FOLDER = 250
HOSTILE_EVERY = 100  # about 1%
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- documents --------------------------------------------------------------------------------------
def examples(standards: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(standards.glob("*/examples/**/*.xml")):
        data = path.read_bytes()
        try:
            detect(etree.fromstring(data))
        except UnsupportedDocument:
            continue
        out.append((path.stem, data.decode("utf-8")))
    return out


_ID = re.compile(r"(<cbc:ID(?:\s[^>]*)?>)[^<]*(</cbc:ID>)")
_AMOUNT = re.compile(r"(<cbc:LineExtensionAmount[^>]*>)([^<]*)(<)")
_DATE = re.compile(r"(<cbc:IssueDate>)[^<]*(<)")


def hostile(n: int, sample: str) -> bytes:
    kinds = [
        b"",
        sample.encode("utf-8")[: len(sample) // 2],
        b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e "xxxxxxxxxx"><!ENTITY f "&e;&e;&e;&e;">]>\n<a>&f;</a>',
        b"<html><body>not UBL</body></html>",
        b'<?xml version="1.0" encoding="UTF-8"?>\n<a>\xff\xfe\xfd</a>',
    ]
    return kinds[n % len(kinds)]


def generate(target: Path, count: int, standards: Path) -> dict[str, int]:
    base = examples(standards)
    kinds = {"copies": 0, "wrong_amount": 0, "bad_date": 0, "hostile": 0}
    for i in range(count):
        folder = target / f"part{i // PER_FOLDER:03}"
        folder.mkdir(parents=True, exist_ok=True)
        stem, xml = base[i % len(base)]
        if i % HOSTILE_EVERY == HOSTILE_EVERY - 1:
            (folder / f"{i:06}-hostile.xml").write_bytes(hostile(i // HOSTILE_EVERY, xml))
            kinds["hostile"] += 1
            continue
        # the document's own ID: the first cbc:ID after the CustomizationID / ProfileID header
        head = max(xml.find("</cbc:CustomizationID>"), xml.find("</cbc:ProfileID>"), 0)
        doc = xml[:head] + _ID.sub(rf"\g<1>BENCH-{i}\g<2>", xml[head:], count=1)
        if i % 7 == 3:
            doc = _AMOUNT.sub(rf"\g<1>{i % 997 + 1}.37\g<3>", doc, count=1)
            kinds["wrong_amount"] += 1
        elif i % 11 == 5:
            doc = _DATE.sub(r"\g<1>2026-13-45\g<2>", doc, count=1)
            kinds["bad_date"] += 1
        else:
            kinds["copies"] += 1
        (folder / f"{i:06}-{stem}.xml").write_text(doc, encoding="utf-8")
    return kinds


# -- the bare engine (what the oracle does) ---------------------------------------------------------
class Bare:
    """Exactly what the oracle does per file; schemas and stylesheets compiled once, on first use,
    unless ``schema``/``stylesheet`` hand out ones compiled elsewhere."""

    def __init__(
        self,
        proc: Any,
        schema: Callable[[str], etree.XMLSchema] | None = None,
        stylesheet: Callable[[str], Any] | None = None,
    ) -> None:
        self.proc = proc
        self.standards = get_settings().standards_dir
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._sheets: dict[str, Any] = {}
        self.schema = schema or self._own_schema
        self.stylesheet = stylesheet or self._own_stylesheet
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def _own_schema(self, rel: str) -> etree.XMLSchema:
        if rel not in self._schemas:
            self._schemas[rel] = etree.XMLSchema(etree.parse(str(self.standards / rel)))
        return self._schemas[rel]

    def _own_stylesheet(self, rel: str) -> Any:
        if rel not in self._sheets:
            compiler = self.proc.new_xslt30_processor()
            self._sheets[rel] = compiler.compile_stylesheet(stylesheet_file=str(self.standards / rel))
        return self._sheets[rel]

    def check(self, path: Path) -> bool:
        try:
            root = etree.fromstring(path.read_bytes(), self.parser)
            rs = detect(root)
            ok = bool(self.schema(rs.xsd).validate(root))
            for sheet in rs.stylesheets:
                node = self.proc.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
                svrl = etree.fromstring(
                    self.stylesheet(sheet).transform_to_string(xdm_node=node).encode("utf-8")
                )
                for fa in svrl.iter(SVRL_FAILED):
                    flag = (fa.get("flag") or "fatal").lower()
                    text = "".join(fa.itertext()).strip()
                    rid = fa.get("id") or (
                        text[1 : text.index("]")] if text.startswith("[") and "]" in text else ""
                    )
                    # OIOUBL marks warnings by a "W-" rule id, not by the flag attribute
                    if flag != "warning" and not rid.startswith("W-"):
                        ok = False
                # OIOUBL compiled stylesheets may report with <Error> elements instead of SVRL
                if next(svrl.iter("Error"), None) is not None:
                    ok = False
        except Exception:  # as the oracle: anything that cannot be validated fails
            ok = False
        return ok


def bare(folder: Path) -> int:
    """Validate every *.xml under ``folder`` as the oracle does; print ``PASS|FAIL file`` per file."""
    from saxonche import PySaxonProcessor

    failed = 0
    with PySaxonProcessor(license=False) as proc:
        side = Bare(proc)
        for path in sorted(folder.rglob("*.xml")):
            ok = side.check(path)
            failed += not ok
            print("PASS" if ok else "FAIL", path, flush=False)
    sys.stdout.flush()
    return 1 if failed else 0


def interleaved(folder: Path, chunk: int, warm: int) -> tuple[dict[str, float], dict[str, float]]:
    """Steady state, in this process: one in-process engine (``--jobs 1``), one pool of two workers
    (``--jobs 2``) and the bare steps (sharing the in-process engine's compiled stylesheets), all
    with every rule set compiled (``Checker.warm_up``) and run once over the first ``warm`` files,
    then fed the same files in chunks of ``chunk``, taking turns in rotated order so that a change
    of load hits all three alike. Returns the wall seconds per side, and for jobs1 and jobs2 the
    seconds the engines spent inside ``check_one`` (summed over the workers)."""
    from app.batch import Checker, Loader
    from app.validation.engine import default_engine

    files = sorted(folder.rglob("*.xml"))
    loader = Loader()

    def inputs(paths: list[Path]) -> Iterator[Input]:
        return (loader.read_file(str(p)) for p in paths)

    engine = default_engine()
    busy = {"jobs1": 0.0, "jobs2": 0.0}
    with Checker(1) as one, Checker(2) as two:
        side = Bare(engine._processor(), engine.schema, engine.stylesheet)
        for checker in (one, two):
            checker.warm_up()  # every rule set in every engine: the steady state of a long batch
            collections.deque(checker.run(inputs(files[:warm])), maxlen=0)
        for path in files[:warm]:
            side.check(path)

        def pooled(name: str, checker: Checker) -> Callable[[list[Path]], None]:
            def run(paths: list[Path]) -> None:
                busy[name] += sum(r.seconds for r in checker.run(inputs(paths)))

            return run

        sides: dict[str, Callable[[list[Path]], object]] = {
            "bare": lambda paths: [side.check(p) for p in paths],
            "jobs1": pooled("jobs1", one),
            "jobs2": pooled("jobs2", two),
        }
        totals = dict.fromkeys(sides, 0.0)
        names = list(sides)
        for k, start in enumerate(range(0, len(files), chunk)):
            part = files[start : start + chunk]
            for name in names[k % 3 :] + names[: k % 3]:
                t = time.perf_counter()
                sides[name](part)
                totals[name] += time.perf_counter() - t
    return totals, busy


# -- measuring ---------------------------------------------------------------------------------------
HZ = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (everything but idle and iowait; steal counts)."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / HZ


def wait_for_quiet(max_wait: float, idle_cores: float) -> float:
    """Wait (at most ``max_wait`` s) until the other work on the machine leaves ``idle_cores`` idle
    over a 2 s window; return the cores the others were using in the last window."""
    deadline = time.monotonic() + max_wait
    while True:
        before = busy_seconds()
        time.sleep(2.0)
        others = (busy_seconds() - before) / 2.0
        if (os.cpu_count() or 1) - others >= idle_cores or time.monotonic() > deadline:
            return others


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for task in tasks:  # a child belongs to the thread that started it
            try:
                with open(f"/proc/{p}/task/{task}/children", "rb") as fh:
                    todo += [int(c) for c in fh.read().split()]
            except OSError:
                continue
    return out


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total = 0
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    #: CPU seconds (user + system) of the process and the workers it waited for.
    cpu: float = 0.0
    exit_code: int = -1
    files: int = 0
    #: (files reported so far, tree RSS in bytes), one per sample.
    samples: list[tuple[int, int]] = field(default_factory=list)
    verdicts: dict[str, bool] = field(default_factory=dict)
    #: Cores the rest of the machine kept busy, on average, while this ran.
    others: float = 0.0

    def peak(self, upto: int) -> int:
        return max((rss for done, rss in self.samples if done <= upto), default=0)


#: What marks one file in each run's output (the bare side's lines, the JSON report's objects).
MARKERS = {"bare": b"\n", "json": b'\n{"file": '}


def measure(name: str, cmd: list[str], parse: str, out_file: Path) -> Run:
    """Run ``cmd`` with its output going to ``out_file``; meanwhile count the files it has reported
    (by reading the file as it grows) and sample the memory of its process tree every 0.1 s."""
    run = Run(name)
    marker = MARKERS[parse]
    with out_file.open("wb") as sink, out_file.open("rb") as tail:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.DEVNULL, cwd=ROOT)
        carry = b""
        while proc.poll() is None:
            chunk = carry + tail.read()
            run.files += chunk.count(marker)
            carry = chunk[len(chunk) - len(marker) + 1 :]  # a marker cut in two by the read
            run.samples.append((run.files, tree_rss(proc.pid)))
            time.sleep(0.1)
        run.seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # cumulative: the difference is this run's
    run.cpu = usage.ru_utime + usage.ru_stime
    run.exit_code = proc.returncode
    text = out_file.read_text("utf-8")
    if parse == "bare":
        for line in text.splitlines():
            verdict, path = line.split(" ", 1)
            run.verdicts[path] = verdict == "PASS"
    else:
        run.verdicts = {r["file"]: r["valid"] for r in json.loads(text)}
    run.files = len(run.verdicts)
    return run


def report(runs: list[Run], n: int) -> None:
    head = f"{'run':<6}{'wall s':>8}{'CPU s':>8}{'files/s':>9}{'ms/file':>9}{'exit':>6}{'others':>8}"
    print(f"{head}   peak tree RSS (MB) at 1/4, 1/2, all")
    for r in runs:
        rss = "  ".join(f"{r.peak(k) / 2**20:6.0f}" for k in (n // 4, n // 2, n))
        line = f"{r.name:<6}{r.seconds:8.1f}{r.cpu:8.1f}{r.files / r.seconds:9.1f}{1000 * r.seconds / n:9.2f}"
        print(f"{line}{r.exit_code:6}{r.others:8.2f}   {rss}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=1, help="repeat the three runs, in rotated order")
    ap.add_argument("--keep", help="generate into this folder and keep it")
    ap.add_argument(
        "--no-steady", dest="steady", action="store_false", help="skip the interleaved steady-state runs"
    )
    ap.add_argument(
        "--quiet-wait",
        type=float,
        default=0.0,
        metavar="S",
        help="before each run, wait up to S seconds for the machine's other work to leave 1.8 cores idle",
    )
    ap.add_argument("--bare", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bare:
        return bare(Path(args.bare))

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nordubl-bench-"))
    docs = work / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    n = args.files
    kinds = generate(docs, n, get_settings().standards_dir)
    size = sum(p.stat().st_size for p in docs.rglob("*.xml"))
    print(f"{n} files, {size / 1e6:.1f} MB in {docs}: {kinds}")
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    cli = [sys.executable, "-m", "app.cli", "validate", str(docs), "--format", "json"]
    commands = {
        "bare": ([sys.executable, str(Path(__file__).resolve()), "--bare", str(docs)], "bare"),
        "jobs1": ([*cli, "--jobs", "1"], "json"),
        "jobs2": ([*cli, "--jobs", "2"], "json"),
    }
    order = list(commands)
    all_runs: dict[str, list[Run]] = {name: [] for name in order}
    for k in range(args.rounds):
        names = order[k % 3 :] + order[: k % 3]  # rotated, so a change of load does not hit one side
        runs = []
        for name in names:
            if args.quiet_wait:
                wait_for_quiet(args.quiet_wait, idle_cores=1.8)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            machine = busy_seconds()
            run = measure(name, *commands[name], work / f"{name}.out")
            run.cpu -= before.ru_utime + before.ru_stime
            run.others = max(0.0, (busy_seconds() - machine - run.cpu) / run.seconds)
            runs.append(run)
        print(f"\nround {k + 1} ('others': cores kept busy by other work on the machine meanwhile)")
        report(runs, n)
        for r in runs:
            assert r.files == n, (r.name, r.files)
            all_runs[r.name].append(r)

    best = {name: min(rs, key=lambda r: r.seconds) for name, rs in all_runs.items()}
    median = {name: statistics.median(r.seconds for r in rs) for name, rs in all_runs.items()}
    agree = {
        name: sum(best[name].verdicts.get(f) == ok for f, ok in best["bare"].verdicts.items())
        for name in ("jobs1", "jobs2")
    }
    print(f"\nverdicts equal to the bare engine's: jobs1 {agree['jobs1']}/{n}, jobs2 {agree['jobs2']}/{n}")
    print(f"valid: {sum(best['bare'].verdicts.values())}/{n}")
    for label, t in (("median", median), ("best", {k: r.seconds for k, r in best.items()})):
        print(
            f"{label:>6}: jobs2 speed-up over jobs1 {t['jobs1'] / t['jobs2']:.2f}x (goal >= 1.8); "
            f"jobs1 / bare per document {t['jobs1'] / t['bare']:.3f} (goal <= 1.10)"
        )
    cpu = {name: statistics.median(r.cpu for r in rs) for name, rs in all_runs.items()}
    if args.steady:

        def own() -> float:
            me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

        machine, mine, t = busy_seconds(), own(), time.perf_counter()
        steady, busy = interleaved(docs, chunk=100, warm=min(n, 400))
        wall = time.perf_counter() - t
        others = max(0.0, (busy_seconds() - machine - (own() - mine)) / wall)
        print(
            f"\nsteady state (rules compiled, warmed on {min(n, 400)} files), interleaved in chunks of "
            f"100 (others: {others:.2f} cores):"
        )
        for name, sec in steady.items():
            print(f"  {name:<6}{sec:8.1f} s {1000 * sec / n:7.2f} ms/file {n / sec:7.1f} files/s")
        print(
            f"  jobs2 speed-up over jobs1 {steady['jobs1'] / steady['jobs2']:.2f}x (goal >= 1.8); "
            f"jobs1 / bare per document {steady['jobs1'] / steady['bare']:.3f} (goal <= 1.10)"
        )
        # where a shortfall comes from: workers left idle, or each document slower with two at work
        print(
            f"  engine time per file: jobs1 {1000 * busy['jobs1'] / n:.2f} ms, "
            f"jobs2 {1000 * busy['jobs2'] / n:.2f} ms in each worker; "
            f"jobs2 workers busy {100 * busy['jobs2'] / (2 * steady['jobs2']):.0f}% of the time"
        )
    print(
        f"   CPU: jobs1 / bare {cpu['jobs1'] / cpu['bare']:.3f}, jobs2 / jobs1 {cpu['jobs2'] / cpu['jobs1']:.3f}"
    )
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
