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

Then the PDF cache (``app.pdf.cache``, ``GET /v1/documents/{id}.pdf``), in the same run: per round and
document a fresh stored invoice (its own number, so its own XML, PDF and blob) in a temporary SQLite
database and blob folder; its first PDF (rendered, written to the blob store, row added) against the cached
one (one query, the blob read and hash-checked), through ``pdf_for`` and over HTTP (the real application in
process; every request also checks the client key with scrypt, measured alone as ``GET /v1/documents/{id}``).

    .venv/bin/python bench/pdf.py [--rounds 15] [--long-rounds 5] [--cache-rounds 10]
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

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


def _store_invoice(sessions: Any, blobs: Any, account_id: int, xml: bytes, number: str) -> int:
    """A final invoice of the account with its own number (BT-1 rewritten), stored as the pipeline does."""
    from app.db.base import utcnow
    from app.store.documents import NewDocument, store_document

    own = re.sub(rb"<cbc:ID>[^<]*</cbc:ID>", b"<cbc:ID>" + number.encode() + b"</cbc:ID>", xml, count=1)
    with sessions() as session:
        document = store_document(
            session,
            blobs,
            NewDocument(
                account_id=account_id,
                kind="invoice",
                number=number,
                profile="ehf",
                ruleset=None,
                xml=own,
                currency="NOK",
                issue_date=date(2026, 11, 20),
                due_date=None,
                payable=Decimal("1"),
                status="final",
            ),
            utcnow(),
        )
        session.commit()
        return int(document.id)


def run_cache(docs: list[tuple[str, str]], rounds: int, hits: int) -> dict[str, list[float]]:
    """First PDF of a fresh document against its cached PDF: through pdf_for and over HTTP."""
    from fastapi.testclient import TestClient

    from app.accounts.service import create_account, parse_settings
    from app.api.main import create_app
    from app.config import Settings, settings_dependency
    from app.db import dispose_engines, get_engine, session_factory
    from app.pdf.cache import pdf_for
    from app.pdf.render import default_pool
    from app.store.blobs import FolderBlobStore
    from app.validation.service import ValidationService

    times: dict[str, list[float]] = {
        k: [] for k in ("first", "cached", "http first", "http cached", "http metadata")
    }
    numbers = itertools.count(1)
    with tempfile.TemporaryDirectory(prefix="nordubl-bench-pdf-") as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.db", blob_dir=Path(tmp) / "blobs")
        sessions = session_factory(get_engine(settings.database_url))
        blobs = FolderBlobStore(settings.blob_dir)
        seller = json.loads((ROOT / "fixtures" / "accounts" / "demo-no.json").read_text())
        with sessions() as session:
            account, key = create_account(session, parse_settings({"seller": seller}))
            session.commit()
            account_id, auth = account.id, (account.client_id, key)
        app = create_app()
        app.dependency_overrides[settings_dependency] = lambda: settings
        app.state.validation = ValidationService(settings)  # no lifespan: nothing to validate here
        client = TestClient(app)
        default_pool().warm()
        sources = [((OWN / name).read_bytes(), lang) for name, lang in docs]
        try:
            for xml, lang in sources:  # warm: the route, the templates, the worker's fonts
                warm = _store_invoice(sessions, blobs, account_id, xml, f"W-{next(numbers)}")
                assert client.get(f"/v1/documents/{warm}.pdf?lang={lang}", auth=auth).status_code == 200
            for _ in range(rounds):
                for xml, lang in sources:
                    doc = _store_invoice(sessions, blobs, account_id, xml, f"B-{next(numbers)}")
                    with sessions() as session:
                        start = time.perf_counter()
                        first = pdf_for(session, blobs, doc, lang, xml, draft=False)
                        times["first"].append(time.perf_counter() - start)
                        cached = []
                        for _ in range(hits):
                            start = time.perf_counter()
                            hit = pdf_for(session, blobs, doc, lang, xml, draft=False)
                            cached.append(time.perf_counter() - start)
                            assert hit.state == "hit" and hit.pdf == first.pdf
                        times["cached"].append(statistics.median(cached))
                    assert first.state == "miss"

                    doc = _store_invoice(sessions, blobs, account_id, xml, f"H-{next(numbers)}")
                    url = f"/v1/documents/{doc}.pdf?lang={lang}"
                    start = time.perf_counter()
                    r = client.get(url, auth=auth)
                    times["http first"].append(time.perf_counter() - start)
                    assert r.status_code == 200 and r.headers["x-nordubl-pdf-cache"] == "miss"
                    start = time.perf_counter()
                    r = client.get(url, auth=auth)
                    times["http cached"].append(time.perf_counter() - start)
                    assert r.status_code == 200 and r.headers["x-nordubl-pdf-cache"] == "hit"
                    start = time.perf_counter()
                    assert client.get(f"/v1/documents/{doc}", auth=auth).status_code == 200
                    times["http metadata"].append(time.perf_counter() - start)
        finally:
            client.close()
            app.state.validation.close()
            dispose_engines()
    return times


def report_cache(title: str, times: dict[str, list[float]]) -> None:
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"\n{title}")
    print("| path | first (rendered) | cached | first / cached |")
    print("|---|---|---|---|")
    print(
        f"| pdf_for | {med['first'] * 1000:.0f} ms | {med['cached'] * 1000:.2f} ms | "
        f"{med['first'] / med['cached']:.0f} |"
    )
    print(
        f"| HTTP | {med['http first'] * 1000:.0f} ms | {med['http cached'] * 1000:.1f} ms | "
        f"{med['http first'] / med['http cached']:.0f} |"
    )
    print(
        f"HTTP floor, GET /v1/documents/{{id}} (authentication included): {med['http metadata'] * 1000:.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--long-rounds", type=int, default=5)
    ap.add_argument("--cache-rounds", type=int, default=10)
    ap.add_argument("--skip-render", action="store_true", help="only the cache measurement")
    args = ap.parse_args()
    print(
        f"python {platform.python_version()}, weasyprint {version('weasyprint')}, "
        f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} CPUs"
    )
    if not args.skip_render:
        pool = PdfPool(workers=1)
        start = time.perf_counter()
        pool.warm()
        print(f"worker start (spawn, import, warm-up render): {(time.perf_counter() - start) * 1000:.0f} ms")
        try:
            report(
                f"one-page invoices ({len(SHORT)} documents × {args.rounds} rounds)",
                run(SHORT, args.rounds, pool),
            )
            report(
                f"200-line invoice, 6 pages ({args.long_rounds} rounds)", run(LONG, args.long_rounds, pool)
            )
        finally:
            pool.close()
    report_cache(
        f"cached PDFs, one-page invoices ({len(SHORT)} documents × {args.cache_rounds} rounds; "
        "cached: median of 5 reads)",
        run_cache(SHORT, args.cache_rounds, 5),
    )


if __name__ == "__main__":
    main()
