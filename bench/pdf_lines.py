"""PDF render time against the number of invoice lines, on the production path, in one run.

``render_pdf`` (read → view → HTML in this process, HTML → PDF/A-3b in one warm worker process,
``PdfPool(workers=1)`` started before timing) on an invoice of N lines, for each N of ``--lines``, beside a
10-line invoice measured in the same rounds: the ratio to it says how the time grows with the lines
whatever the machine's speed, the seconds say what ``pdf_timeout_seconds`` has to cover here.

The invoice is the 200-line golden EHF invoice (``fixtures/expected/invoices/no-b2b-200-lines.ehf.xml``)
with its lines repeated to N (the line ids renumbered); its totals are not recomputed, which the renderer
does not check (it renders what a document states). ``pdf_max_lines`` is lifted for the run and the
worker's time cap set to ``--cap`` seconds, so every size is measured to its end.

Per size: the median wall time of the rounds (what the time cap counts), the worker's CPU time for the
same renders (``/proc/<pid>/stat``: a loaded machine stretches wall time far more than CPU time; the load
average is printed too), milliseconds per line, the ratio to the 10-line baseline, the pages; then the
largest measured N whose slowest render stayed within ``pdf_timeout_seconds / --margin``.

    .venv/bin/python bench/pdf_lines.py [--lines 250 500 1000 2000] [--rounds 1] [--margin 2.5]
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's http package that WeasyPrint imports
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ["NORDUBL_PDF_MAX_LINES"] = "1000000"  # before the settings are first read

import pypdf  # noqa: E402
from lxml import etree  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.pdf.render import render_pdf  # noqa: E402
from app.pdf.worker import PdfPool  # noqa: E402

SOURCE = ROOT / "fixtures" / "expected" / "invoices" / "no-b2b-200-lines.ehf.xml"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
BASELINE = 10


def invoice(lines: int) -> bytes:
    """The golden invoice with ``lines`` lines (its own lines repeated, ids renumbered)."""
    root = etree.parse(str(SOURCE)).getroot()
    own = root.findall("cac:InvoiceLine", NS)
    for line in own:
        root.remove(line)
    for i in range(lines):
        line = copy.deepcopy(own[i % len(own)])
        line_id = line.find("cbc:ID", NS)
        assert line_id is not None
        line_id.text = str(i + 1)
        root.append(line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (proc(5): fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, nargs="+", default=[250, 500, 1000, 2000])
    ap.add_argument("--rounds", type=int, default=1, help="renders per size (the baseline: 5 per round)")
    ap.add_argument("--margin", type=float, default=2.5, help="timeout / render time to keep")
    ap.add_argument("--cap", type=float, default=600.0, help="the worker's time cap for the run, seconds")
    args = ap.parse_args()
    settings = get_settings()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f} at the start; pdf_timeout_seconds "
        f"{settings.pdf_timeout_seconds:g}, pdf_max_lines (production default) read from app/config.py"
    )
    docs = {n: invoice(n) for n in [BASELINE, *args.lines]}
    times: dict[int, list[float]] = {n: [] for n in docs}
    cpu: dict[int, list[float]] = {n: [] for n in docs}
    sheets: dict[int, int] = {}
    loads: list[float] = []
    pool = PdfPool(workers=1, timeout=args.cap, memory_mb=settings.pdf_memory_mb)
    try:
        pool.warm()
        render_pdf(docs[BASELINE], "nb", pool=pool)  # fonts in the worker, templates here
        for _ in range(args.rounds):
            for n, xml in docs.items():
                for _ in range(5 if n == BASELINE else 1):
                    (pid,) = pool.idle_pids()
                    used = cpu_seconds(pid)
                    start = time.perf_counter()
                    pdf = render_pdf(xml, "nb", pool=pool)
                    times[n].append(time.perf_counter() - start)
                    cpu[n].append(cpu_seconds(pid) - used)
                sheets[n] = pages(pdf)
                loads.append(os.getloadavg()[0])
                print(f"  {n:>5} lines: {times[n][-1]:7.2f} s, worker CPU {cpu[n][-1]:7.2f} s", flush=True)
    finally:
        pool.close()
    base = statistics.median(times[BASELINE])
    print(f"\nload average during the run: {min(loads):.2f} … {max(loads):.2f}")
    print("| lines | pages | render (median) | slowest | worker CPU | ms per line | × 10-line baseline |")
    print("|---|---|---|---|---|---|---|")
    for n, ts in times.items():
        med = statistics.median(ts)
        print(
            f"| {n:,} | {sheets[n]} | {med:.2f} s | {max(ts):.2f} s | {statistics.median(cpu[n]):.2f} s "
            f"| {1000 * med / n:.1f} | {med / base:.1f} |"
        )
    budget = settings.pdf_timeout_seconds / args.margin
    fits = [n for n in args.lines if max(times[n]) <= budget]
    print(
        f"\nwithin pdf_timeout_seconds / {args.margin:g} = {budget:.1f} s: "
        + (f"up to {max(fits):,} lines (measured sizes)" if fits else "none of the measured sizes")
        + f"; pdf_max_lines is {type(settings).model_fields['pdf_max_lines'].default:,} by default"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
