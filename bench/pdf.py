"""PDF benchmark: ``render_pdf`` (read → view → HTML in this process, HTML → PDF/A-3b in a warm worker
process) against a bare WeasyPrint render of the same HTML in this process, in one run.

Three sides per document, interleaved round by round so the machine's load hits them alike:

- ``render_pdf``: the production path, one warm worker (``PdfPool(workers=1)``, started before timing);
- ``in-process``: ``app.pdf.engine.write_pdf`` on the same HTML here: the same PDF/A-3b options, fetcher
  and attachment, without the worker (what the process boundary costs is the difference to render_pdf);
- ``bare``: ``weasyprint.HTML(string=html, base_url=...).write_pdf()`` with WeasyPrint's defaults (plain
  PDF, no attachment, its own URL fetcher): the baseline of the goal ratio (≤ 1.2).

Documents: one-page invoices (our own EHF, Peppol and OIOUBL golden files) and the 200-line golden
invoice (6 pages).

    .venv/bin/python bench/pdf.py [--rounds 15] [--long-rounds 5]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's http package that WeasyPrint imports
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from app.pdf.engine import bare_pdf, write_pdf  # noqa: E402
from app.pdf.render import prepare, render_pdf  # noqa: E402
from app.pdf.worker import PdfPool  # noqa: E402

OWN = ROOT / "fixtures" / "expected" / "invoices"
SHORT = [("no-b2b-kid.ehf.xml", "nb"), ("se-b2b.peppol.xml", "sv"), ("dk-ean-fees-discount.oioubl.xml", "da")]
LONG = [("no-b2b-200-lines.ehf.xml", "nb")]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(docs: list[tuple[str, str]], rounds: int, pool: PdfPool) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"render_pdf": [], "in-process": [], "bare": []}
    jobs = []
    for name, lang in docs:
        xml = (OWN / name).read_bytes()
        _, job = prepare(xml, lang)
        jobs.append((xml, lang, job))
        render_pdf(xml, lang, pool=pool)  # warm: fonts in the worker, templates here
        write_pdf(job.html, job.xml, job.attachment_name, job.created)
        bare_pdf(job.html)
    for _ in range(rounds):
        for xml, lang, job in jobs:
            times["render_pdf"].append(timed(lambda: render_pdf(xml, lang, pool=pool)))  # noqa: B023
            times["in-process"].append(
                timed(lambda: write_pdf(job.html, job.xml, job.attachment_name, job.created))  # noqa: B023
            )
            times["bare"].append(timed(lambda: bare_pdf(job.html)))  # noqa: B023
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    base = statistics.median(times["bare"])
    print(f"\n{title}")
    print("| side | median | PDFs/s | / bare |")
    print("|---|---|---|---|")
    for side, values in times.items():
        med = statistics.median(values)
        print(f"| {side} | {med * 1000:.0f} ms | {1 / med:.2f} | {med / base:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--long-rounds", type=int, default=5)
    args = ap.parse_args()
    print(
        f"python {platform.python_version()}, weasyprint {version('weasyprint')}, "
        f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} CPUs"
    )
    pool = PdfPool(workers=1)
    start = time.perf_counter()
    pool.warm()
    print(f"worker start (spawn, import, warm-up render): {(time.perf_counter() - start) * 1000:.0f} ms")
    try:
        report(
            f"one-page invoices ({len(SHORT)} documents × {args.rounds} rounds)",
            run(SHORT, args.rounds, pool),
        )
        report(f"200-line invoice, 6 pages ({args.long_rounds} rounds)", run(LONG, args.long_rounds, pool))
    finally:
        pool.close()


if __name__ == "__main__":
    main()
