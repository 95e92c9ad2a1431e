"""NUL and lone surrogates, which PostgreSQL cannot store in a text column, are refused everywhere.

Every route is asked, on SQLite and on PostgreSQL alike: a NUL (``%00``) in each path parameter and in each
query parameter, a NUL in the Basic-auth user and key, and ``\\u0000`` or an unpaired surrogate in JSON
bodies. The answer is a 400 or 422 problem+json that names where the character was, never a 500 and never
a lookup that runs with it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from dbfixtures import ADMIN_KEY
from shopfixtures import SELLER_NO, Shop, form

from app.api.main import create_app

PROBLEM = "application/problem+json"


def _operations() -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Every operation of the OpenAPI document: method, path template, parameters."""
    spec = create_app().openapi()
    return [
        (method.upper(), path, operation.get("parameters", []))
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def _fill(path: str, parameters: list[dict[str, Any]], poisoned: str | None) -> str:
    for param in parameters:
        if param["in"] == "path":
            value = "a%00b" if param["name"] == poisoned else "1"
            path = path.replace("{" + param["name"] + "}", value)
    return path


def _cases(where: str) -> list[Any]:
    return [
        pytest.param(method, path, parameters, param["name"], id=f"{method} {path} {where}.{param['name']}")
        for method, path, parameters in _operations()
        for param in parameters
        if param["in"] == where
    ]


def assert_refused(response: Any, where: str, unmatched: bool = False) -> None:
    if unmatched and response.status_code == 404:
        return  # an integer path segment with a NUL in it matches no route: nothing was looked up
    assert response.status_code in (400, 422), (response.status_code, response.text)
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    issues = response.json()["issues"]
    assert any(i["code"] == "input.unstorable_character" and i.get("field") == where for i in issues), issues


@pytest.fixture(scope="module")
def auth(shop: Shop) -> tuple[str, str]:
    acc = shop.account(SELLER_NO)
    return acc.auth


@pytest.mark.parametrize(("method", "path", "parameters", "name"), _cases("path"))
def test_nul_in_a_path_parameter_is_refused(
    shop: Shop, auth: tuple[str, str], method: str, path: str, parameters: list[dict[str, Any]], name: str
) -> None:
    response = shop.client.request(method, _fill(path, parameters, name), auth=auth)
    integer = any(p["name"] == name and p["schema"].get("type") == "integer" for p in parameters)
    assert_refused(response, f"path.{name}", unmatched=integer)


@pytest.mark.parametrize(("method", "path", "parameters", "name"), _cases("query"))
def test_nul_in_a_query_parameter_is_refused(
    shop: Shop, auth: tuple[str, str], method: str, path: str, parameters: list[dict[str, Any]], name: str
) -> None:
    response = shop.client.request(method, _fill(path, parameters, None) + f"?{name}=a%00b", auth=auth)
    assert_refused(response, f"query.{name}")


@pytest.mark.parametrize("credentials", ["a\x00b:key", "x:k\x00ey"])
@pytest.mark.parametrize("path", ["/v1/account", "/v1/customers", "/v1/documents", "/v1/errors"])
def test_nul_in_basic_credentials_is_refused_without_a_lookup(
    shop: Shop, credentials: str, path: str
) -> None:
    token = base64.b64encode(credentials.encode()).decode()
    response = shop.client.get(path, headers={"Authorization": f"Basic {token}"})
    assert_refused(response, "header.authorization")


#: Bodies for the JSON operations whose OpenAPI document carries no example.
BODIES: dict[str, Any] = {
    "PUT /v1/account/processing": {"invoice_statuses": ["completed"], "buyer_reference": "order_id"},
    "PUT /v1/admin/accounts/{account_id}/processing": {"invoice_statuses": ["completed"]},
    "PUT /v1/orders/{external_id}/status": {"status": "completed"},
    "PUT /v1/account/mode": {"mode": "manual"},
    "PUT /v1/account/webhook": {"url": "https://hooks.example.no/nordubl", "secret": "s" * 20},
    "POST /v1/documents/{document_id}/resend": {"requested_by": "Kari", "reason": "Tapt i posten"},
    "PUT /v1/catalogue/products": {"products": [{"product_number": "K-1", "erp_item": "1", "name": "Kurs"}]},
    "PUT /v1/catalogue/fees": {"fees": [{"kind": "freight", "item": "9001", "reason": "Frakt"}]},
}


#: JSON bodies without a string to carry a NUL: payment-term ids (integer keys) to days; one boolean.
NO_STRINGS = {"PUT /v1/account/payment-terms", "PUT /v1/account/mail-options"}


def _leaves(value: Any, field: str = "") -> list[str]:
    """The dotted paths of every string in ``value`` (``lines[0].description``), as problem fields name them."""
    if isinstance(value, str):
        return [field]
    if isinstance(value, dict):
        return [
            leaf for key, item in value.items() for leaf in _leaves(item, f"{field}.{key}" if field else key)
        ]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, f"{field}[{i}]")]
    return []


def _poison(value: Any, field: str, leaf: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, field, f"{leaf}.{k}" if leaf else k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, field, f"{leaf}[{i}]") for i, v in enumerate(value)]
    return value[:1] + "\x00" + value[1:] if leaf == field else value


def _body_cases() -> list[Any]:
    spec = create_app().openapi()
    cases = []
    for method, path, parameters in _operations():
        content = spec["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        body = BODIES.get(f"{method} {path}", content["application/json"].get("example"))
        examples = content["application/json"].get("examples")
        if body is None and examples:
            body = next(iter(examples.values())).get("value")
        leaves = _leaves(body)
        if f"{method} {path}" in NO_STRINGS:
            continue
        assert leaves, f"{method} {path}: give the test a body with a string in it"
        for leaf in leaves:
            cases.append(pytest.param(method, path, parameters, body, leaf, id=f"{method} {path} {leaf}"))
    return cases


@pytest.mark.parametrize(("method", "path", "parameters", "body", "leaf"), _body_cases())
def test_nul_in_any_string_of_a_json_body_is_refused(
    shop: Shop,
    auth: tuple[str, str],
    method: str,
    path: str,
    parameters: list[dict[str, Any]],
    body: Any,
    leaf: str,
) -> None:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"} if "/admin/" in path else {}
    response = shop.client.request(
        method,
        _fill(path, parameters, None),
        json=_poison(body, leaf),
        auth=None if headers else auth,
        headers=headers,
    )
    # a field with a format of its own (a date, a country, an amount) refuses it as not of that format, free
    # text of a form as a control character (XML 1.0 §2.2), free text elsewhere as unstorable: the field is
    # named either way, and nothing is stored
    assert response.status_code == 422, (response.status_code, response.text)
    issues = response.json()["issues"]
    assert any(i.get("field") == leaf for i in issues), issues


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud800x"])
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/v1/account/processing",
            {"invoice_statuses": ["completed"], "buyer_reference": "?"},
            "buyer_reference",
        ),
        ("/v1/shop-orders", None, "customer.last_name"),
    ],
)
def test_an_unpaired_surrogate_in_json_is_refused(
    shop: Shop, auth: tuple[str, str], escape: str, path: str, body: Any, field: str
) -> None:
    document = body or form()
    *parents, leaf = field.split(".")
    target = document
    for part in parents:
        target = target[part]
    target[leaf] = "PLACEHOLDER"
    raw = json.dumps(document).replace("PLACEHOLDER", f"a{escape}b")
    response = shop.client.request(
        "PUT" if "account" in path else "POST",
        path,
        content=raw,
        auth=auth,
        headers={"Content-Type": "application/json"},
    )
    # the form parser refuses it as malformed JSON (RFC 8259 §8.2 leaves it to the parser), the others name it
    issues = response.json()["issues"]
    if response.status_code == 400:
        assert [i["code"] for i in issues] == ["input.json"], issues
    else:
        assert response.status_code == 422, response.text
        assert [(i["code"], i["field"]) for i in issues] == [("input.unstorable_character", field)], issues


def test_characters_beyond_the_basic_plane_are_stored(shop: Shop, auth: tuple[str, str]) -> None:
    document = form()
    document["order_id"] = "ORD-\U0001f600-1"
    document["customer"]["last_name"] = "Nordmann \U0001f600"
    response = shop.client.post("/v1/shop-orders", json=document, auth=auth)
    assert response.status_code in (201, 202), response.text
    stored = shop.db.rows("SELECT external_id FROM orders WHERE external_id = :id", id="ORD-\U0001f600-1")
    assert len(stored) == 1


def test_a_refused_form_with_nul_is_logged_for_the_owner(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    document = form("WS-NUL\x00-1")
    document["customer"]["last_name"] = "Nord\x00mann"
    response = shop.client.post("/v1/shop-orders", json=document, auth=acc.auth)
    assert response.status_code == 422, response.text
    entries = shop.errors(acc)
    logged = {(e["order_id"], e["field"]) for e in entries}
    # the order id and the field are shown with U+2400 where the NUL was: stored on both databases
    assert ("WS-NUL\u2400-1", "customer.last_name") in logged, entries
    assert ("WS-NUL\u2400-1", "order_id") in logged, entries
