"""The checker: a pool of spawned workers gives the same results as one engine in-process, stays within
its in-flight bound, and survives a worker killed mid-batch."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import batch_hooks
import pytest

from app.batch.checker import LOOKAHEAD_BYTES, Checker, affinity_key, pick, ruleset_key
from app.batch.loader import Input
from app.batch.result import FileResult
from app.issues import Issue
from app.pool.process import WorkerStartError

BROKEN = {
    "empty.xml": (b"", "xml.empty"),
    "not-xml.xml": (b"this is not XML", "xml.malformed"),
    "doctype.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e "x">]>\n<a>&e;</a>',
        "xml.doctype_forbidden",
    ),
    "not-ubl.xml": (b"<html><body/></html>", "xml.not_ubl"),
    "bad-utf8.xml": (b'<?xml version="1.0" encoding="UTF-8"?>\n<a>\xff\xfe</a>', "xml.encoding"),
}


@pytest.fixture(scope="module")
def inputs(standards_dir: Path) -> list[Input]:
    """Official Peppol and EHF ordering examples, one of them made invalid, and broken files."""
    folders = [
        standards_dir / "peppol-2026.5/examples/order",
        standards_dir / "peppol-2026.5/examples/order-response",
        standards_dir / "ehf-2023-02/examples/ordering-3.0",
    ]
    out = [Input(str(f), f.read_bytes()) for folder in folders for f in sorted(folder.glob("*.xml"))]
    uc1 = (standards_dir / "peppol-2026.5/examples/order/UC1_Order.xml").read_text("utf-8")
    # the first line's net amount no longer matches quantity × price: PEPPOL-T01-R008
    wrong = re.sub(r"(<cbc:LineExtensionAmount[^>]*>)[^<]*<", r"\g<1>99999<", uc1, count=1)
    out.append(Input("mutated/UC1_Order-wrong-amount.xml", wrong.encode()))
    out += [Input(f"broken/{name}", data) for name, (data, _code) in BROKEN.items()]
    out.append(Input("refused.zip!x.xml", issue=Issue("input.zip_bomb", "fatal", "a bomb")))
    return out


@pytest.fixture(scope="module")
def pool() -> Iterator[Checker]:
    """One pool of two spawned workers for the module (each compiles the rule sets it meets once)."""
    with Checker(jobs=2, check=batch_hooks.validate_or_die) as checker:
        yield checker


@pytest.fixture(scope="module")
def inline_results(inputs: list[Input]) -> dict[str, FileResult]:
    return by_name(Checker(jobs=1, check=batch_hooks.validate_or_die).run(inputs))


def by_name(results: Iterator[FileResult]) -> dict[str, FileResult]:
    out: dict[str, FileResult] = {}
    for r in results:
        assert r.name not in out, f"{r.name} reported twice"
        out[r.name] = r
    return out


def verdict(r: FileResult) -> tuple[bool, list[str], dict[str, int]]:
    return r.valid, sorted(r.report.fatal_codes()), r.report.counts()


def test_inline_results_are_right(inputs: list[Input], inline_results: dict[str, FileResult]) -> None:
    assert set(inline_results) == {i.name for i in inputs}
    for name, (_data, code) in BROKEN.items():
        assert inline_results[f"broken/{name}"].report.fatal_codes() == {code}
    assert "PEPPOL-T01-R008" in inline_results["mutated/UC1_Order-wrong-amount.xml"].report.fatal_codes()
    official = [r for n, r in inline_results.items() if "/examples/" in n]
    assert len(official) >= 14 and all(r.valid for r in official)
    refused = inline_results["refused.zip!x.xml"]
    assert refused.report.fatal_codes() == {"input.zip_bomb"}
    assert [(s.name, s.status) for s in refused.report.stages] == [("input", "failed")]
    assert refused.verdict == "invalid"


def test_two_workers_give_the_same_results_as_one_engine(
    pool: Checker, inputs: list[Input], inline_results: dict[str, FileResult]
) -> None:
    pooled = by_name(pool.run(inputs))
    assert set(pooled) == set(inline_results)
    assert {n: verdict(r) for n, r in pooled.items()} == {n: verdict(r) for n, r in inline_results.items()}
    assert {n: r.report.as_dict() for n, r in pooled.items()} == {
        n: r.report.as_dict() for n, r in inline_results.items()
    }
    assert len(pool.worker_pids) == 2


def test_a_worker_killed_mid_batch_fails_only_its_file(
    pool: Checker, inputs: list[Input], inline_results: dict[str, FileResult]
) -> None:
    victim = next(i for i in inputs if i.name.endswith("UC2_Order.xml"))
    doomed = Input(f"doomed/{batch_hooks.KILL_MARKER}", victim.data)
    raising = Input(f"doomed/{batch_hooks.RAISE_MARKER}", victim.data)
    middle = len(inputs) // 2
    batch = [*inputs[:middle], doomed, raising, *inputs[middle:]]
    pids_before = set(pool.worker_pids)
    restarts = pool.restarts

    results = by_name(pool.run(batch))

    assert set(results) == {i.name for i in batch}
    killed = results[doomed.name]
    assert killed.report.fatal_codes() == {"engine.crashed"}
    assert "SIGKILL" in killed.report.issues[0].message
    assert results[raising.name].report.fatal_codes() == {"engine.crashed"}
    assert "simulated engine failure" in results[raising.name].report.issues[0].message
    others = {n: verdict(r) for n, r in results.items() if not n.startswith("doomed/")}
    assert others == {n: verdict(r) for n, r in inline_results.items()}
    assert pool.restarts == restarts + 1  # only the kill replaced a worker; the exception did not
    assert len(pool.worker_pids) == 2 and len(set(pool.worker_pids) - pids_before) == 1


def test_documents_in_flight_stay_within_the_lookahead_plus_two_per_worker(
    pool: Checker, inputs: list[Input]
) -> None:
    pulled = 0

    def counting() -> Iterator[Input]:
        nonlocal pulled
        for _ in range(3):
            for item in inputs:
                if item.issue is None:
                    pulled += 1
                    yield item

    seen = 0
    worst = 0
    for _ in pool.run(counting()):
        seen += 1
        worst = max(worst, pulled - seen)
    assert seen == pulled == 3 * sum(1 for i in inputs if i.issue is None)
    assert worst <= pool.lookahead + 2 * pool.jobs  # one validated and one queued per worker


def test_large_documents_are_read_ahead_within_the_byte_budget(pool: Checker) -> None:
    big = b"<a>" + b" " * (6 << 20) + b"</a>"  # 6 MiB, refused by the engine as not UBL
    pulled = 0

    def counting() -> Iterator[Input]:
        nonlocal pulled
        for n in range(10):
            pulled += 1
            yield Input(f"big{n}.xml", big)

    seen = worst = 0
    for result in pool.run(counting()):
        seen += 1
        worst = max(worst, pulled - seen)
        assert result.report.fatal_codes() == {"xml.not_ubl"}
    assert seen == 10
    # 16 MiB of look-ahead holds three such documents, plus one in each worker
    assert worst <= -(-LOOKAHEAD_BYTES // len(big)) + pool.jobs == 5


def test_abandoning_a_run_stops_the_pool_and_the_next_run_starts_afresh() -> None:
    docs = [Input(f"d{n}.xml", b"<a/>") for n in range(40)]
    with Checker(jobs=2, check=batch_hooks.pid) as checker:
        first = checker.run(docs)
        next(first)
        old = set(checker.worker_pids)
        first.close()  # the consumer stops early
        assert checker.worker_pids == []
        again = by_name(checker.run(docs))
        assert set(again) == {d.name for d in docs}
        used = {r.report.ruleset for r in again.values()}
        assert used <= {str(p) for p in checker.worker_pids} and not used & {str(p) for p in old}
        assert len(used) == 2  # both workers took documents


def test_warm_up_compiles_in_every_worker_and_counts_as_known_to_each(
    pool: Checker, inputs: list[Input], inline_results: dict[str, FileResult], standards_dir: Path
) -> None:
    from app.validation.rulesets import all_rulesets

    order = next(rs for rs in all_rulesets() if rs.name == "peppol-order")
    pool.warm_up([order])
    assert all(ruleset_key(order) in w.seen for w in pool._workers)
    results = by_name(pool.run(inputs))
    assert {n: verdict(r) for n, r in results.items()} == {n: verdict(r) for n, r in inline_results.items()}
    # a rule set whose files are missing: a configuration failure, raised, and the pool is stopped
    broken = dataclasses.replace(order, stylesheets=("missing/none.xslt",))
    with pytest.raises(WorkerStartError, match="StandardsMissing"):
        pool.warm_up([broken])
    assert pool.worker_pids == []


def test_affinity_key_tells_the_rule_sets_apart(standards_dir: Path) -> None:
    from lxml import etree

    from app.validation.rulesets import UnsupportedDocument, detect

    keys: dict[str, set[bytes]] = {}
    for path in sorted(standards_dir.glob("*/examples/**/*.xml")):
        data = path.read_bytes()
        try:
            ruleset = detect(etree.fromstring(data)).name
        except UnsupportedDocument:
            continue
        keys.setdefault(ruleset, set()).add(affinity_key(data))
    assert len(keys) >= 15
    owners: dict[bytes, str] = {}
    for ruleset, found in keys.items():
        for key in found:
            assert owners.setdefault(key, ruleset) == ruleset, f"{key!r} is both {owners[key]} and {ruleset}"
    assert affinity_key(b"") == b"||" and affinity_key(b"\xff\xfe<\x00") == b"||"


def test_pick_prefers_known_kinds_then_new_ones_then_the_oldest() -> None:
    a, b, c = b"A", b"B", b"C"
    assert pick({b}, {a}, [a, a, b, c]) == 2  # its own kind first, even if not the oldest
    assert pick({b}, {a}, [a, c, a]) == 1  # else a kind nobody has met (it will compile it)
    assert pick({b}, {a, c}, [a, c, a]) == 0  # else the oldest: it compiles a second copy
    assert pick(set(), set(), [c, a]) == 0
