"""Bad forms get a coded error naming the form field — over HTTP (problem+json) and in the CLI."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import cli
from app.api.main import app
from app.config import PROJECT_ROOT

GOOD = json.loads(
    (PROJECT_ROOT / "fixtures" / "forms" / "no-company-single.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def mutate(path: str, value: Any) -> dict[str, Any]:
    """A copy of the good form with ``path`` (dotted, [i] for lists) set to value, or removed for ...."""
    form = copy.deepcopy(GOOD)
    keys = path.replace("]", "").replace("[", ".").split(".")
    node: Any = form
    for k in keys[:-1]:
        node = node[int(k)] if k.isdigit() else node[k]
    last = keys[-1]
    if value is Ellipsis:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return form


def _nameless() -> dict[str, Any]:
    form = copy.deepcopy(GOOD)
    for key in ("first_name", "last_name", "company_name"):
        form["customer"].pop(key, None)
    return form


BAD = [
    # a company needs no contact person, but every customer needs a name (BR-07)
    ("no-name", _nameless(), "input.customer_name", "customer"),
    (
        "org-check-digit",
        mutate("customer.org_number", "974760674"),
        "input.identifier",
        "customer.org_number",
    ),
    ("negative-quantity", mutate("products[0].quantity", "-1"), "input.invalid", "products[0].quantity"),
    ("zero-quantity", mutate("products[0].quantity", "0"), "input.invalid", "products[0].quantity"),
    ("unknown-vat-rate", mutate("products[0].vat_rate", "24"), "input.vat_rate", "products[0].vat_rate"),
    ("bad-mobile", mutate("customer.mobile", "not a number"), "input.identifier", "customer.mobile"),
    ("bad-country", mutate("customer.country", "XX"), "input.country", "customer.country"),
    ("no-products", mutate("products", []), "input.invalid", "products"),
    (
        "unknown-field",
        mutate("customer.favourite_colour", "blue"),
        "input.unknown_field",
        "customer.favourite_colour",
    ),
    ("bad-date", mutate("order_date", "20.11.2026"), "input.invalid", "order_date"),
    (
        "huge-string",
        mutate("customer.company_name", "x" * 1_000_000),
        "input.invalid",
        "customer.company_name",
    ),
]


@pytest.mark.parametrize(("name", "form", "code", "field"), BAD, ids=[b[0] for b in BAD])
def test_http_bad_form_names_the_field(
    client: TestClient, name: str, form: dict[str, Any], code: str, field: str
) -> None:
    r = client.post("/v1/orders", content=json.dumps(form))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    issues = r.json()["issues"]
    assert any(i["code"] == code and i["field"] == field for i in issues), issues
    assert all(i.get("hint") for i in issues if i["field"] == field)


def test_http_malformed_json_is_400(client: TestClient) -> None:
    r = client.post("/v1/orders", content=b'{"order_id": "1",')
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["issues"][0]["code"] == "input.json"


def test_http_50_mb_body_is_413_with_content_length(client: TestClient) -> None:
    r = client.post("/v1/orders", content=b" " * (50 * 1024 * 1024))
    assert r.status_code == 413
    issue = r.json()["issues"][0]
    assert issue["code"] == "input.too_large" and "max_form_bytes" in issue["message"]


def test_http_50_mb_body_is_413_without_content_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(50):
            yield b" " * (1024 * 1024)

    r = client.post("/v1/orders", content=chunks())
    assert r.status_code == 413
    assert r.json()["issues"][0]["code"] == "input.too_large"


def test_http_unknown_profile(client: TestClient) -> None:
    r = client.post("/v1/orders?profile=xml", content=json.dumps(GOOD))
    assert r.status_code == 422
    assert r.json()["issues"][0]["field"] == "query.profile"


def test_http_good_form_answers_validated_xml(client: TestClient) -> None:
    r = client.post("/v1/orders", content=json.dumps(GOOD))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    assert r.headers["x-nordubl-ruleset"] == "ehf-order 2023-02"
    check = client.post("/v1/validate", content=r.content).json()
    assert check["valid"] is True and check["ruleset"] == "ehf-order"


def test_http_json_envelope(client: TestClient) -> None:
    r = client.post(
        "/v1/orders?profile=peppol", content=json.dumps(GOOD), headers={"accept": "application/json"}
    )
    body = r.json()
    assert body["profile"] == "peppol" and body["ruleset"] == "peppol-order"
    assert body["xml"].startswith("<?xml")


@pytest.mark.parametrize(("name", "form", "code", "field"), BAD, ids=[b[0] for b in BAD])
def test_cli_bad_form_one_line_per_issue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, form: dict[str, Any], code: str, field: str
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(form), encoding="utf-8")
    out = io.StringIO()
    rc = cli.main(["order", str(path)], out=out)
    assert rc == cli.EXIT_INVALID
    assert out.getvalue() == ""  # nothing half-valid is emitted
    lines = capsys.readouterr().err.splitlines()
    assert any(ln.startswith(f"{path}: fatal {code} ") and f"[field {field}]" in ln for ln in lines), lines


def test_cli_malformed_json_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert cli.main(["order", str(path)], out=io.StringIO()) == cli.EXIT_USAGE
    assert "input.json" in capsys.readouterr().err


def test_cli_missing_file_is_usage_error(tmp_path: Path) -> None:
    assert cli.main(["order", str(tmp_path / "nope.json")], out=io.StringIO()) == cli.EXIT_USAGE


def test_cli_writes_valid_order(tmp_path: Path) -> None:
    out_file = tmp_path / "order.xml"
    form = PROJECT_ROOT / "fixtures" / "forms" / "no-private-mobile.json"
    assert cli.main(["order", str(form), "--profile", "peppol", "-o", str(out_file)], out=io.StringIO()) == 0
    assert b"urn:fdc:peppol.eu:poacc:bis:order_only:3" in out_file.read_bytes()
