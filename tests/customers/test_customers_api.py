"""/v1/customers over HTTP, scoped to the calling account; bad identifiers through the API path."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from dbfixtures import Api

PROBLEM = "application/problem+json"
KARI = {"first_name": "Kari", "last_name": "Nordmann", "country": "NO"}


def auth(acc: dict[str, Any]) -> dict[str, str]:
    token = base64.b64encode(f"{acc['client_id']}:{acc['client_key']}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _resolve(api: Api, acc: dict[str, Any], **customer: Any) -> Any:
    return api.client.post(
        "/v1/customers/resolve", json={"customer": {**KARI, **customer}}, headers=auth(acc)
    )


@pytest.fixture(scope="module")
def two(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    series = {"number_series": {"prefix": "A", "next": 1}}
    a = api.create_account(series)
    b = api.create_account({"number_series": {"prefix": "B", "next": 1}})
    return a, b


def test_resolve_creates_then_matches_and_lists_the_customer(api: Api, two: Any) -> None:
    a, _ = two
    first = _resolve(api, a, email="ola@example.no", mobile="+47 912 34 567", city="Oslo")
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["action"], body["kind"], body["identified_by"]) == ("created", "B2C", "customer.email")
    again = _resolve(api, a, email="ola@example.no").json()
    assert (again["id"], again["number"], again["action"]) == (body["id"], body["number"], "matched")
    one = api.client.get(f"/v1/customers/{body['id']}", headers=auth(a))
    assert one.status_code == 200
    assert (one.json()["number"], one.json()["phone"], one.json()["city"]) == (
        body["number"],
        "+4791234567",
        "Oslo",
    )
    page = api.client.get("/v1/customers", params={"kind": "B2C"}, headers=auth(a)).json()
    assert body["id"] in [c["id"] for c in page["items"]] and page["total"] >= 1
    by_number = api.client.get("/v1/customers", params={"number": body["number"]}, headers=auth(a)).json()
    assert [c["id"] for c in by_number["items"]] == [body["id"]]


def test_account_a_cannot_see_or_change_account_bs_objects(api: Api, two: Any) -> None:
    """Every endpoint is scoped to the calling account: another account's object answers 404, not 403."""
    a, b = two
    b_customer = _resolve(api, b, email="only-b@example.no").json()
    # read one: 404 as if it did not exist
    other = api.client.get(f"/v1/customers/{b_customer['id']}", headers=auth(a))
    missing = api.client.get("/v1/customers/99999999", headers=auth(a))
    assert other.status_code == missing.status_code == 404
    assert other.headers["content-type"] == PROBLEM
    assert other.json()["issues"][0]["code"] == missing.json()["issues"][0]["code"] == "customer.not_found"
    # list: B's customer is not among A's, nor found by its number
    listed = api.client.get("/v1/customers", params={"limit": 1000}, headers=auth(a)).json()
    assert b_customer["id"] not in [c["id"] for c in listed["items"]]
    assert (
        api.client.get("/v1/customers", params={"number": b_customer["number"]}, headers=auth(a)).json()[
            "total"
        ]
        == 0
    )
    # resolve: the same person at A is A's own customer, numbered from A's series; B's is untouched
    at_a = _resolve(api, a, email="only-b@example.no").json()
    assert at_a["id"] != b_customer["id"] and at_a["number"].startswith("A")
    assert (
        api.client.get(f"/v1/customers/{b_customer['id']}", headers=auth(b)).json()["email"]
        == "only-b@example.no"
    )
    # own account: each sees itself only
    assert api.client.get("/v1/account", headers=auth(a)).json()["id"] == a["id"]
    assert api.client.get("/v1/account", headers=auth(b)).json()["id"] == b["id"]
    # B's key does not open A's customer either
    a_customer = at_a["id"]
    assert api.client.get(f"/v1/customers/{a_customer}", headers=auth(b)).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/v1/customers"),
        ("get", "/v1/customers/1"),
        ("post", "/v1/customers/resolve"),
        ("get", "/v1/account"),
    ],
)
def test_customer_endpoints_need_credentials(api: Api, method: str, path: str) -> None:
    kwargs: dict[str, Any] = (
        {"json": {"customer": {**KARI, "email": "x@example.no"}}} if method == "post" else {}
    )
    response = api.client.request(method, path, **kwargs)
    assert response.status_code == 401 and response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("customer", "field", "hint_part"),
    [
        # Norwegian org. no. with a wrong check digit
        ({"org_number": "991825828"}, "customer.org_number", "9 digits with a valid check digit"),
        # Danish CVR with 7 digits
        ({"country": "DK", "org_number": "1358562"}, "customer.org_number", "8 digits"),
        # GLN with a wrong check digit: the corrected number is suggested
        ({"country": "DK", "ean": "5798000000002"}, "customer.ean", "it would be 5798000000001"),
        # a GLN that is too short
        ({"country": "DK", "ean": "579800000"}, "customer.ean", "13 digits"),
        # a phone that is not a number: the normal form is shown
        ({"mobile": "call me"}, "customer.mobile", "+47 912 34 567"),
        ({"email": "kari.example.no"}, "customer.email", "name@example.no"),
    ],
    ids=["orgnr-check-digit", "cvr-7-digits", "gln-check-digit", "gln-short", "phone-not-a-number", "email"],
)
def test_bad_identifiers_are_coded_errors_naming_the_field(
    api: Api, two: Any, customer: dict[str, Any], field: str, hint_part: str
) -> None:
    a, _ = two
    before = api.client.get("/v1/customers", headers=auth(a)).json()["total"]
    response = _resolve(api, a, **customer)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    issue = response.json()["issues"][0]
    assert (issue["code"], issue["field"]) == ("input.identifier", field)
    assert hint_part in issue["hint"], issue
    assert api.client.get("/v1/customers", headers=auth(a)).json()["total"] == before


def test_resolve_errors_of_the_account_settings_are_problems(api: Api) -> None:
    no_series = api.create_account({"number_series": None})
    response = _resolve(api, no_series, email="kari@example.no")
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    issue = response.json()["issues"][0]
    assert issue["code"] == "customer.number_missing" and issue["field"] == "account.customers.number_series"
    closed = api.create_account({"create": False, "number_series": {"prefix": "", "next": 1}})
    refused = _resolve(api, closed, email="kari@example.no").json()["issues"][0]
    assert (refused["code"], refused["field"], refused["value"]) == (
        "customer.must_exist",
        "customer.email",
        "kari@example.no",
    )
