"""The validation budget of an uploaded document: size (413), elements and time (422), per request for
/v1/validate and /v1/render, per document for /v1/validate/batch; the CLI's engine has none."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from started import start_app

from app.config import get_settings
from app.validation.budget import Budget, BudgetExceeded, Deadline
from app.validation.engine import Engine
from app.validation.report import Report
from app.validation.rulesets import detect
from app.validation.xmlsafe import parse_untrusted

EXAMPLES = get_settings().standards_dir / "peppol-2026.5" / "examples"
BASE = (EXAMPLES / "billing" / "base-example.xml").read_bytes()
BASE_ELEMENTS = sum(1 for _ in etree.fromstring(BASE).iter(etree.Element))
PROBLEM = "application/problem+json"
XML = {"Content-Type": "application/xml"}


def with_notes(n: int) -> bytes:
    """The base example with ``n`` more sibling ``<cbc:Note>`` elements (still one valid invoice each)."""
    at = BASE.index(b"<cbc:Note>")
    return BASE[:at] + b"<cbc:Note>x</cbc:Note>" * n + BASE[at:]


@pytest.fixture()
def app_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``make(**settings)``: the application started with these settings (its own memory rate limit)."""
    with contextlib.ExitStack() as stack:

        def make(**fields: Any) -> TestClient:
            return start_app(stack, monkeypatch, **{"rate_limit_store": "memory", **fields})

        yield make


def only_issue(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"] == PROBLEM
    (issue,) = r.json()["issues"]
    assert issue["code"] == code and issue["field"] == "body"
    assert "Split the document" in issue["hint"] and "nordubl validate" in issue["hint"]
    return dict(issue)


# -- HTTP ---------------------------------------------------------------------------------------------
def test_a_million_notes_are_refused_by_their_count_before_any_rule(app_with: Any) -> None:
    """22 MB of sibling notes: before the budget every stage ran on them for most of a minute."""
    client = app_with()  # the default budget
    body = with_notes(1_000_000)
    assert len(body) < get_settings().validation_budget_bytes  # refused by its elements, not its size
    issue = only_issue(
        client.post("/v1/validate", content=body, headers=XML), 422, "validation.too_many_elements"
    )
    assert f"{BASE_ELEMENTS + 1_000_000:,} elements" in issue["message"]
    assert "validation_budget_elements" in issue["message"] and "250,000" in issue["message"]


@pytest.mark.parametrize("path", ["/v1/validate", "/v1/render"])
def test_a_document_past_the_size_budget_is_413(app_with: Any, path: str) -> None:
    client = app_with(validation_budget_bytes=len(BASE) - 1)
    issue = only_issue(client.post(path, content=BASE, headers=XML), 413, "validation.too_large")
    assert f"{len(BASE):,} bytes" in issue["message"] and "validation_budget_bytes" in issue["message"]


@pytest.mark.parametrize("path", ["/v1/validate", "/v1/render"])
def test_a_spent_time_budget_is_422_before_the_next_stage(app_with: Any, path: str) -> None:
    client = app_with(validation_budget_seconds=1e-9)  # spent by the parse already
    issue = only_issue(client.post(path, content=BASE, headers=XML), 422, "validation.over_budget")
    assert "before the stage xsd" in issue["message"] and "validation_budget_seconds" in issue["message"]


def test_in_a_batch_only_the_document_over_budget_is_refused(app_with: Any) -> None:
    client = app_with(validation_budget_elements=BASE_ELEMENTS)
    files = [
        ("files", ("a.xml", BASE, "application/xml")),
        ("files", ("b.xml", with_notes(1), "application/xml")),
    ]
    r = client.post("/v1/validate/batch", files=files)
    assert r.status_code == 200, r.text[:500]
    a, b = r.json()["files"]
    assert a["entry"] == "a.xml" and a["valid"] is True
    assert b["entry"] == "b.xml" and b["valid"] is False
    (issue,) = b["issues"]
    assert issue["code"] == "validation.too_many_elements" and issue["field"] == "files"
    assert issue["value"] == "b.xml" and f"{BASE_ELEMENTS + 1:,} elements" in issue["message"]


def test_the_budget_holds_in_the_validation_pool_too(app_with: Any) -> None:
    """A worker's refusal comes back as values; the answer is the same 422."""
    client = app_with(validation_workers=1, validation_budget_elements=BASE_ELEMENTS)
    only_issue(
        client.post("/v1/validate", content=with_notes(1), headers=XML), 422, "validation.too_many_elements"
    )


# -- the engine ---------------------------------------------------------------------------------------
def test_the_element_limit_is_exact_and_not_fooled_by_markup_in_text(validation_engine: Engine) -> None:
    budget = Budget(max_bytes=1 << 30, max_elements=BASE_ELEMENTS + 1, seconds=60)
    budget.check_elements(with_notes(1), parse_untrusted(with_notes(1)))  # exactly at the limit
    with pytest.raises(BudgetExceeded) as refused:
        budget.check_elements(with_notes(2), parse_untrusted(with_notes(2)))
    assert refused.value.status == 422
    # thousands of "<" in a comment and a CDATA section are not elements: counted, and accepted
    at = BASE.index(b"<cbc:Note>")
    noisy = (
        BASE[:at] + b"<!--" + b"&lt;a>" * 5000 + b"--><cbc:Note><![CDATA[" + b"<b>" * 5000 + b"]]></cbc:Note>"
    )
    noisy += BASE[at:]
    budget.check_elements(noisy, parse_untrusted(noisy))


def test_no_stylesheet_starts_once_the_time_is_spent(validation_engine: Engine) -> None:
    tree = parse_untrusted(BASE)
    rs = detect(tree.getroot())
    report = Report()
    spent = Deadline(seconds=1.0, started=time.monotonic() - 2.0)
    with pytest.raises(BudgetExceeded) as refused:
        validation_engine.run_rules(rs, tree.getroot(), report, spent)
    assert f"before the stage {rs.stylesheets[0].rsplit('/', 1)[-1]}" in refused.value.issues[0].message
    assert report.stages == []  # nothing ran


def test_the_cli_engine_has_no_budget(validation_engine: Engine) -> None:
    doc = with_notes(1)
    with pytest.raises(BudgetExceeded):
        validation_engine.validate(doc, budget=Budget(1 << 30, BASE_ELEMENTS, 60))
    report = validation_engine.validate(doc)  # nordubl validate: every stage runs
    assert report.ruleset == "peppol-billing"
    assert [s.name for s in report.stages][:1] == ["xsd"] and len(report.stages) == 3
    assert all(s.status in ("passed", "failed") for s in report.stages)  # each ran (two notes: a rule fails)
    assert not [i for i in report.issues if i.code.startswith("validation.")]
