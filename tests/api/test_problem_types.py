"""Every problem's ``type`` names its code and resolves to a page of the catalogue (RFC 9457 §3.1.1):
``/problems/{code}`` for a code of ours, ``/problems#rules`` for the official rules; the page and the
catalogued texts of a problem come in the language the request asks for; docs/problems.md is the same list."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from app import codes_reference
from app.api.main import app
from app.api.problems import problem_body, problem_type
from app.codes import CODES, issue
from app.config import PROJECT_ROOT
from app.i18n import LANGUAGES, translator
from app.issues import Issue

INVOICE = PROJECT_ROOT / "fixtures" / "expected" / "invoices"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def test_docs_page_is_written_from_the_catalogue() -> None:
    page = PROJECT_ROOT / "docs" / "problems.md"
    assert page.read_text(encoding="utf-8") == codes_reference.render(), (
        "docs/problems.md is out of date: run `.venv/bin/python -m app.codes_reference > docs/problems.md`"
    )


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_has_its_own_type_and_it_resolves_to_its_page(client: TestClient, code: str) -> None:
    kind = problem_type([issue(code, params=_params(code))])
    assert kind == f"/problems/{code}"
    r = client.get(kind)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert f'id="{code}"' in r.text
    # the whole list links it too
    assert f'href="/problems/{code}"' in client.get("/problems").text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_is_in_the_language_asked_for(client: TestClient, lang: str) -> None:
    r = client.get("/problems", headers={"Accept-Language": f"{lang};q=0.9, fr;q=0.5"})
    assert r.headers["content-language"] == lang and f'<html lang="{lang}">' in r.text
    t = translator(lang)
    entry = CODES["customer.number_taken"]
    assert str(escape(t.pgettext("customer.number_taken", entry.hint))) in r.text
    assert str(escape(t.gettext(codes_reference.LABELS["rules"]))) in r.text and 'id="rules"' in r.text


def test_an_unknown_type_is_a_problem_of_its_own_kind(client: TestClient) -> None:
    r = client.get("/problems/no.such", headers={"Accept-Language": "nb-NO"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "/problems/problem.unknown"
    assert r.headers["content-language"] == "nb"
    [found] = body["issues"]
    assert (found["code"], found["field"], found["value"]) == ("problem.unknown", "code", "no.such")
    assert found["message"] == "Det finnes ingen problemtype no.such."
    assert client.get(body["type"]).status_code == 200
    english = client.get("/problems/no.such").json()["issues"][0]["message"]
    assert english == "There is no problem type no.such."


def test_a_refusal_by_the_official_rules_points_at_the_rules(client: TestClient) -> None:
    valid = sorted(INVOICE.glob("*.xml"))[0].read_bytes()
    broken = re.sub(rb"(<cbc:PayableAmount[^>]*>)[^<]+", rb"\g<1>1.00", valid, count=1)
    assert broken != valid
    r = client.post("/v1/render", content=broken, headers={"Content-Type": "application/xml"})
    assert r.status_code == 422
    body = r.json()
    assert body["type"] == "/problems#rules"
    assert "BR-CO-16" in {i["code"] for i in body["issues"]}  # BR-CO-16: amount due
    assert body["stages"]  # the report's members stay in the problem
    assert 'id="rules"' in client.get(body["type"].split("#")[0]).text


def test_a_problem_without_issues_is_a_bare_status() -> None:
    assert problem_body(404, "Not Found")["type"] == "about:blank"
    # a code of ours outside the catalogue points at the list rather than at a page that is not there
    assert problem_type([Issue("web.unheard_of", "fatal", "x")]) == "/problems"


def _params(code: str) -> dict[str, str]:
    """Values for every placeholder a code's texts (and variants) name."""
    entry = CODES[code]
    texts = [entry.message, entry.hint] + [t for pair in entry.variants.values() for t in pair]
    names = {m for text in texts if text for m in re.findall(r"\{(\w+)\}", text)}
    return {n: "1" for n in names} | ({"currency": "NOK"} if "amount" in names else {})
