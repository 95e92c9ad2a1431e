"""Validation engine benchmark: the project's ``Engine.validate`` against the bare engine, in one run.

Bare engine = exactly what the independent oracle (``../shared/tools/oracle.py``) does per file: lxml
parse, lxml XSD validation, then for each stylesheet ``etree.tostring`` + saxonche ``parse_xml`` +
``transform_to_string`` with the same compiled stylesheets + lxml parse of the SVRL and a walk over its
failed asserts. Both sides share one Saxon processor and the compiled stylesheets and schemas, all
compiled before timing.

Documents: every official example that has a rule set, plus one generated invoice of 2,000 lines
(the first line of ``peppol-2026.5/examples/billing/base-example.xml`` repeated, totals recomputed so
the document is valid).

Also: XSD validation alone with xmlschema beside lxml on the same parsed documents (xmlschema is not
needed at run time; this says whether it would earn a place).

    .venv/bin/python bench/validate.py [--rounds 15] [--big-rounds 11] [--lines 2000] [--no-xmlschema]
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import get_settings  # noqa: E402
from app.validation.engine import Engine  # noqa: E402
from app.validation.rulesets import RuleSet, UnsupportedDocument, detect  # noqa: E402

SVRL_FAILED = "{http://purl.oclc.org/dsdl/svrl}failed-assert"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
BASE = "peppol-2026.5/examples/billing/base-example.xml"


def examples(standards: Path) -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(standards.glob("*/examples/**/*.xml")):
        data = path.read_bytes()
        try:
            detect(etree.fromstring(data))
        except UnsupportedDocument:
            continue
        out.append((path.relative_to(standards).as_posix(), data))
    return out


def large_invoice(standards: Path, lines: int) -> bytes:
    """``lines`` copies of the base example's first line; every total recomputed (BR-CO-10 … BR-CO-16)."""
    root = etree.parse(str(standards / BASE)).getroot()
    old = root.findall(f"{CAC}InvoiceLine")
    template = old[0]
    for line in old:
        root.remove(line)
    for i in range(1, lines + 1):
        line = copy.deepcopy(template)
        line_id = line.find(f"{CBC}ID")
        assert line_id is not None
        line_id.text = str(i)  # BR-21: each line has an identifier (unique, as in a real invoice)
        root.append(line)
    line_total = Decimal(template.findtext(f"{CBC}LineExtensionAmount") or "0") * lines
    charges = sum(
        (Decimal(ac.findtext(f"{CBC}Amount") or "0") for ac in root.findall(f"{CAC}AllowanceCharge")),
        Decimal(0),
    )
    taxable = line_total + charges  # BR-CO-13: the base example has charges only, all at 25 % (S)
    tax = (taxable * Decimal("0.25")).quantize(Decimal("0.01"))
    total = taxable + tax
    values = {
        f"{CAC}TaxTotal/{CBC}TaxAmount": tax,
        f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxableAmount": taxable,
        f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxAmount": tax,
        f"{CAC}LegalMonetaryTotal/{CBC}LineExtensionAmount": line_total,
        f"{CAC}LegalMonetaryTotal/{CBC}TaxExclusiveAmount": taxable,
        f"{CAC}LegalMonetaryTotal/{CBC}TaxInclusiveAmount": total,
        f"{CAC}LegalMonetaryTotal/{CBC}PayableAmount": total,
    }
    for path, value in values.items():
        el = root.find(path)
        assert el is not None, path
        el.text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class Bare:
    """The oracle's per-file steps, on the engine's compiled artifacts."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.proc = engine._processor()
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def validate(self, data: bytes) -> tuple[bool, list[str]]:
        root = etree.fromstring(data, self.parser)
        rs = detect(root)
        fatal: list[str] = []
        schema = self.engine.schema(rs.xsd)
        if not schema.validate(root):
            fatal += [f"XSD:{e.line}" for e in schema.error_log]
        for sheet in rs.stylesheets:
            node = self.proc.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
            out = self.engine.stylesheet(sheet).transform_to_string(xdm_node=node)
            svrl = etree.fromstring(out.encode("utf-8"))
            for fa in svrl.iter(SVRL_FAILED):
                if (fa.get("flag") or "fatal").lower() != "warning":
                    fatal.append(fa.get("id") or "")
        return not fatal, fatal


@dataclass
class Timing:
    """Mean per-document seconds of the two sides: each document's median and best over the rounds."""

    a_median: float
    b_median: float
    a_best: float
    b_best: float

    @property
    def ratio(self) -> float:
        return self.a_median / self.b_median

    @property
    def best_ratio(self) -> float:
        return self.a_best / self.b_best


def compare(a: Callable[[bytes], Any], b: Callable[[bytes], Any], docs: list[bytes], rounds: int) -> Timing:
    """Time a and b on every document, alternating: a then b, b then a on the next one.

    A load change on the machine (or a garbage collection inside Saxon) thus hits both sides alike.
    """
    ta: list[list[float]] = [[] for _ in docs]
    tb: list[list[float]] = [[] for _ in docs]
    clock = time.perf_counter
    for r in range(rounds):
        for i, data in enumerate(docs):
            for side in "ab" if (r + i) % 2 == 0 else "ba":
                fn, out = (a, ta[i]) if side == "a" else (b, tb[i])
                start = clock()
                fn(data)
                out.append(clock() - start)
    n = len(docs)
    return Timing(
        a_median=sum(statistics.median(t) for t in ta) / n,
        b_median=sum(statistics.median(t) for t in tb) / n,
        a_best=sum(min(t) for t in ta) / n,
        b_best=sum(min(t) for t in tb) / n,
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms ({1 / seconds:6.1f}/s)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15, help="timed passes over the examples (median kept)")
    ap.add_argument("--big-rounds", type=int, default=11, help="timed passes over the generated invoice")
    ap.add_argument("--lines", type=int, default=2000, help="lines of the generated invoice")
    ap.add_argument("--no-xmlschema", action="store_true", help="skip the xmlschema comparison")
    args = ap.parse_args()

    standards = get_settings().standards_dir
    named = examples(standards)
    docs = [d for _, d in named]
    big = large_invoice(standards, args.lines)

    engine = Engine(standards, max_bytes=1 << 30)
    bare = Bare(engine)

    # Warm-up: compile every schema and stylesheet used, and check both sides agree on every document.
    for name, data in [*named, ("generated", big)]:
        report = engine.validate(data)
        ok, fatal = bare.validate(data)
        if report.valid != ok:
            print(f"verdicts differ on {name}: project {report.fatal_codes()} bare {fatal}", file=sys.stderr)
            return 1
    big_report = engine.validate(big)

    print(
        f"Python {platform.python_version()}, lxml {version('lxml')}, saxonche {version('saxonche')}, "
        f"{platform.machine()}, {os.cpu_count()} cores"
    )
    print(
        f"documents: {len(docs)} official examples with a rule set ({args.rounds} rounds); generated invoice: "
        f"{args.lines} lines, {len(big) / 1e6:.2f} MB, valid={big_report.valid} ({args.big_rounds} rounds)"
    )
    print()
    print("Engine.validate vs bare engine, per document: median of the rounds [best of the rounds]")
    for label, subset, rounds in (
        ("official examples", docs, args.rounds),
        (f"invoice, {args.lines} lines", [big], args.big_rounds),
    ):
        t = compare(engine.validate, bare.validate, subset, rounds)
        print(
            f"  {label:20} project {ms(t.a_median)}  bare {ms(t.b_median)}  ratio project/bare {t.ratio:.3f}"
            f"  [{t.a_best * 1000:.2f} / {t.b_best * 1000:.2f} ms: {t.best_ratio:.3f}]"
        )

    if not args.no_xmlschema:
        xmlschema_vs_lxml(engine, [*named, ("generated", big)], 3)
    return 0


def xmlschema_vs_lxml(engine: Engine, named: list[tuple[str, bytes]], rounds: int) -> None:
    print()
    try:
        import xmlschema
    except ImportError:
        print(
            "xmlschema is not installed (not a run-time dependency): .venv/bin/pip install xmlschema==4.3.2"
        )
        return

    print(f"XSD validation only: xmlschema {version('xmlschema')} vs lxml (libxml2), same parsed trees")
    start = time.perf_counter()
    compiled: dict[str, Any] = {}
    trees: list[tuple[RuleSet, etree._Element]] = []
    for _, data in named:
        root = etree.fromstring(data)
        rs = detect(root)
        if rs.xsd not in compiled:
            compiled[rs.xsd] = xmlschema.XMLSchema(str(engine.standards_dir / rs.xsd))
        trees.append((rs, root))
    print(f"  xmlschema compiled {len(compiled)} schemas in {time.perf_counter() - start:.1f} s")
    for rs, root in trees:  # same verdicts, or the comparison means nothing
        assert compiled[rs.xsd].is_valid(root) == engine.schema(rs.xsd).validate(root), rs.xsd

    for label, subset in (("examples", trees[:-1]), ("generated invoice", trees[-1:])):
        t_lxml: list[float] = []
        t_xs: list[float] = []
        for _ in range(rounds):
            start = time.perf_counter()
            for rs, root in subset:
                engine.schema(rs.xsd).validate(root)
            t_lxml.append((time.perf_counter() - start) / len(subset))
            start = time.perf_counter()
            for rs, root in subset:
                compiled[rs.xsd].is_valid(root)
            t_xs.append((time.perf_counter() - start) / len(subset))
        lx, xs = statistics.median(t_lxml), statistics.median(t_xs)
        print(f"  {label:18}  lxml {ms(lx)}   xmlschema {ms(xs)}   ratio xmlschema/lxml {xs / lx:.1f}")


if __name__ == "__main__":
    sys.exit(main())
