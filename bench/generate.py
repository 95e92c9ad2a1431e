"""Generation benchmark: forms per second to validated XML, per profile, and the share of the time spent
building (form → business document → XML) against validating (XSD + official Schematron).

Forms: the invoice fixtures of each profile (``fixtures/forms/invoices``), each run ``--rounds`` times
after one warm-up round (stylesheets compiled before timing). Goal: building ≤ 10 % of validating.

    .venv/bin/python bench/generate.py [--rounds 5] [--cprofile 25]

``--cprofile N`` also profiles the building (cProfile, the timed rounds only) and prints its N most
expensive functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import platform
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.accounts.profile import load_seller  # noqa: E402
from app.document.invoice import build_document  # noqa: E402
from app.forms.loader import load_form_bytes  # noqa: E402
from app.profiles import document_type  # noqa: E402
from app.service import choose_profile  # noqa: E402
from app.ubl.writer import render  # noqa: E402
from app.validation.engine import default_engine  # noqa: E402

FORMS = ROOT / "fixtures" / "forms" / "invoices"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cprofile", type=int, default=0, metavar="N", help="profile the building, print N rows")
    args = ap.parse_args()
    engine = default_engine()
    sellers = {
        "no": load_seller(ROOT / "fixtures" / "accounts" / "demo-no.json"),
        "dk": load_seller(FORMS / "accounts" / "demo-dk.json"),
    }
    cases = []
    for path in sorted(FORMS.glob("*.json")):
        form = load_form_bytes(path.read_bytes())
        seller = sellers["dk" if path.stem.startswith("dk-seller-") else "no"]
        credit = form.credited_invoice is not None
        kind = "creditnote" if credit else "invoice"
        profile = document_type(choose_profile(form, seller, kind=kind).profile, kind)
        cases.append((path.stem, form, seller, credit, profile))
    build_t: dict[str, float] = defaultdict(float)
    valid_t: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    lines: dict[str, int] = defaultdict(int)
    prof = cProfile.Profile() if args.cprofile else None
    for rnd in range(args.rounds + 1):
        for name, form, seller, credit, profile in cases:
            if prof and rnd:
                prof.enable()
            t0 = time.perf_counter()
            doc = build_document(form, seller, "creditnote" if credit else "invoice")
            xml = render(doc, profile)
            t1 = time.perf_counter()
            if prof:
                prof.disable()
            report = engine.validate(xml)
            t2 = time.perf_counter()
            if not report.valid:
                print(f"{name}: INVALID {sorted(report.fatal_codes())}", file=sys.stderr)
                return 1
            if rnd == 0:
                continue  # warm-up: compiles the stylesheets and schemas
            build_t[profile.name] += t1 - t0
            valid_t[profile.name] += t2 - t1
            count[profile.name] += 1
            lines[profile.name] += len(doc.lines)
    print(
        f"# nordubl bench/generate.py — {platform.python_version()}, {platform.machine()}, {args.rounds} rounds"
    )
    print(
        "| profile | documents | lines | forms/s (validated) | build ms/doc | validate ms/doc | build / validate |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for p in sorted(count):
        n = count[p]
        total = build_t[p] + valid_t[p]
        print(
            f"| {p} | {n} | {lines[p]} | {n / total:.1f} | {1000 * build_t[p] / n:.2f} | "
            f"{1000 * valid_t[p] / n:.2f} | {100 * build_t[p] / valid_t[p]:.1f} % |"
        )
    if prof:
        print("\n(build times above include the profiler's overhead)")
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
