"""Which rules fire most often, and how many of them have a hint (app/validation/hints/).

    python scripts/hint_coverage.py             # the share per family, then the top rules without a hint
    python scripts/hint_coverage.py --top 50 --list

The documents: every test of the official rule unit tests installed (``peppol-2026.5/unit/*``), and
broken copies of every official example (``*/examples/**.xml``): for evenly spread leaf elements of each
example, a copy without the element, one with its text replaced by ``X`` and, for a number, one with
the number raised by 1. Nothing is written to disk. Each issue is counted under its family: ``oioubl``
(the OIOUBL rule sets), ``ehf`` (the EHF rule sets, and the Norwegian billing unit tests and examples:
EHF Billing is Peppol BIS Billing with the NO-R rules) or ``peppol`` (the rest). The XSD's messages
count as one rule each by their ``xsd.*`` code; a stage that did not run (``engine.not_run``) is not
a rule and is not counted. Prints, per family, the share of the ``--top`` rules
that fire most often that have a hint, and the share of all firings that do.
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import get_settings  # noqa: E402
from app.validation.engine import Engine  # noqa: E402
from app.validation.hints import hint_for  # noqa: E402

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
#: Leaf elements mutated per example (spread evenly over the document).
LEAVES = 14
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def unit_documents(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Each test document of the official ``<testSet>`` files."""
    for f in sorted(folder.rglob("*.xml")):
        for i, test in enumerate(etree.parse(str(f), PARSER).getroot().iter(f"{VEFA}test")):
            docs = [c for c in test if isinstance(c.tag, str) and not c.tag.startswith(VEFA)]
            if len(docs) == 1:
                yield f"{f.parent.name}/{f.name}#{i}", etree.tostring(copy.deepcopy(docs[0]))


def broken_copies(path: Path) -> Iterator[tuple[str, bytes]]:
    tree = etree.parse(str(path), PARSER)
    nodes = list(tree.getroot().iter())
    leaves = [
        i for i, el in enumerate(nodes) if isinstance(el.tag, str) and not len(el) and (el.text or "").strip()
    ]
    step = max(1, len(leaves) // LEAVES)
    for n in leaves[::step][:LEAVES]:
        xpath = tree.getpath(nodes[n])
        for kind in ("drop", "text", "number"):
            doc = copy.deepcopy(tree)
            el = list(doc.getroot().iter())[n]
            text = (el.text or "").strip()
            if kind == "drop":
                parent = el.getparent()
                if parent is None:
                    continue
                parent.remove(el)
            elif kind == "text":
                el.text = "X"
            else:
                try:
                    el.text = str(float(text) + 1)
                except ValueError:
                    continue
            yield f"{path.name}:{kind}:{xpath}", etree.tostring(doc)


def family(ruleset: str | None, source: str) -> str | None:
    if ruleset is None:
        return None
    if ruleset.startswith("oioubl"):
        return "oioubl"
    if ruleset.startswith("ehf") or "-NO" in source or "billing-NO" in source:
        return "ehf"
    return "peppol"


def count(engine: Engine) -> tuple[int, dict[str, Counter[str]], dict[str, str]]:
    """(documents validated, rule id → firings per family, rule id → one of its messages)."""
    std = get_settings().standards_dir
    fired: dict[str, Counter[str]] = {"peppol": Counter(), "ehf": Counter(), "oioubl": Counter()}
    texts: dict[str, str] = {}
    sources: list[tuple[str, bytes]] = []
    for folder in sorted((std / "peppol-2026.5" / "unit").glob("unit-*")):
        sources.extend((f"{folder.name}/{name}", data) for name, data in unit_documents(folder))
    for example in sorted(std.glob("*/examples/**/*.xml")):
        sources.extend((f"{example.parent.name}/{name}", data) for name, data in broken_copies(example))
    for source, data in sources:
        report = engine.validate(data, source)
        fam = family(report.ruleset, source)
        if fam is None:
            continue
        for issue in report.issues:
            if issue.code.startswith(("engine.", "sbdh.")):  # ours, not a rule: a stage that did not run
                continue
            fired[fam][issue.code] += 1
            texts.setdefault(issue.code, issue.message)
    return len(sources), fired, texts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--list", action="store_true", help="list every top rule, with or without a hint")
    args = parser.parse_args()
    documents, fired, texts = count(Engine())
    print(f"{documents} documents validated")
    for fam, counts in fired.items():
        top = counts.most_common(args.top)
        with_hint = [code for code, _ in top if hint_for(code)]
        all_fired = sum(counts.values())
        hinted = sum(n for code, n in counts.items() if hint_for(code))
        print(
            f"{fam}: {len(counts)} rules fired {all_fired} times; top {len(top)}: {len(with_hint)} with a hint "
            f"({100 * len(with_hint) / max(len(top), 1):.0f} %); firings with a hint: "
            f"{100 * hinted / max(all_fired, 1):.0f} %"
        )
        for code, n in top:
            if args.list or not hint_for(code):
                mark = "hint" if hint_for(code) else "NONE"
                print(f"  {mark} {n:5} {code:28} {texts[code][:150]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
