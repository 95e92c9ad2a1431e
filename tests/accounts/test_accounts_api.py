"""The admin API (/v1/admin/accounts) and the account's own view (/v1/account), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from dbfixtures import ADMIN_KEY, SELLER_DK, SELLER_NO, Api
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.accounts.models import SELLER_FIELDS, Account
from app.accounts.profile import SellerProfile
from app.api import problems
from app.api.deps import OptionalAccountDep
from app.config import Settings, settings_dependency
from app.errors import NordublError

PROBLEM = "application/problem+json"


def basic(client_id: str, key: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{key}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _codes(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(i["code"], i.get("field")) for i in body["issues"]]


def test_create_shows_the_key_once_and_never_again(api: Api) -> None:
    created = api.create_account(mode="draft", payment_terms={"7": 30})
    assert created["client_id"].startswith("nc_") and created["client_key"].startswith("nk_")
    assert created["mode"] == "draft" and created["payment_terms"] == {"7": 30}
    shown = api.client.get(f"/v1/admin/accounts/{created['id']}", headers=api.admin())
    assert shown.status_code == 200
    assert "client_key" not in shown.json() and created["client_key"] not in shown.text
    listed = api.client.get("/v1/admin/accounts", headers=api.admin())
    page = listed.json()
    assert created["id"] in [a["id"] for a in page["items"]] and created["client_key"] not in listed.text
    assert page["total"] >= 1 and (page["limit"], page["offset"]) == (100, 0)
    own = api.client.get("/v1/account", headers=basic(created["client_id"], created["client_key"]))
    assert own.status_code == 200 and own.json()["id"] == created["id"] and "client_key" not in own.json()


def test_keys_are_not_stored_in_clear_text(api: Api) -> None:
    """Read the table: no column holds the key; the hash is salted scrypt (two keys, two salts)."""
    a = api.create_account()
    b = api.create_account()
    for acc in (a, b):
        rows = api.db.rows("SELECT * FROM accounts WHERE id = :i", i=acc["id"])
        assert rows and all(acc["client_key"] not in str(value) for value in rows[0])
    hashes = [api.db.scalar("SELECT client_key_hash FROM accounts WHERE id = :i", i=x["id"]) for x in (a, b)]
    assert all(h.startswith("scrypt$16384$8$1$") for h in hashes)
    salts = {h.split("$")[4] for h in hashes}
    assert len(salts) == 2


def test_rotate_key_invalidates_the_old_key(api: Api) -> None:
    acc = api.create_account()
    old = basic(acc["client_id"], acc["client_key"])
    assert api.client.get("/v1/account", headers=old).status_code == 200
    rotated = api.client.post(f"/v1/admin/accounts/{acc['id']}/rotate-key", headers=api.admin())
    assert rotated.status_code == 200
    new_key = rotated.json()["client_key"]
    assert new_key != acc["client_key"] and rotated.json()["client_id"] == acc["client_id"]
    refused = api.client.get("/v1/account", headers=old)
    assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM
    assert _codes(refused.json()) == [("auth.unauthorized", None)]
    assert api.client.get("/v1/account", headers=basic(acc["client_id"], new_key)).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(b"nc_unknown:nk_whatever").decode()},
        {"Authorization": "Bearer " + ADMIN_KEY},  # the admin key is not an account's key
    ],
    ids=["none", "unknown-client", "admin-key"],
)
def test_account_endpoints_need_the_accounts_credentials(api: Api, headers: dict[str, str]) -> None:
    response = api.client.get("/v1/account", headers=headers)
    assert response.status_code == 401 and response.headers["content-type"] == PROBLEM
    assert response.json()["issues"][0]["code"] == "auth.unauthorized"


def test_wrong_key_of_a_real_client_id_is_refused(api: Api) -> None:
    acc = api.create_account()
    response = api.client.get("/v1/account", headers=basic(acc["client_id"], acc["client_key"] + "x"))
    assert response.status_code == 401


def test_admin_api_needs_the_admin_key(api: Api) -> None:
    assert api.client.get("/v1/admin/accounts").status_code == 401
    wrong = api.client.get("/v1/admin/accounts", headers={"Authorization": "Bearer not-the-admin-key-at-all"})
    assert wrong.status_code == 401 and wrong.headers["content-type"] == PROBLEM
    acc = api.create_account()
    as_account = api.client.get("/v1/admin/accounts", headers=basic(acc["client_id"], acc["client_key"]))
    assert as_account.status_code == 401


@pytest.mark.parametrize("key", [None, "changethis", "short"], ids=["unset", "placeholder", "too-short"])
def test_admin_api_is_disabled_without_a_real_admin_key(api: Api, key: str | None) -> None:
    app = api.client.app
    settings = Settings(database_url=api.db.url, admin_key=key)  # type: ignore[arg-type]
    app.dependency_overrides[settings_dependency] = lambda: settings
    try:
        response = api.client.get("/v1/admin/accounts", headers={"Authorization": f"Bearer {key}"})
    finally:
        app.dependency_overrides[settings_dependency] = lambda: api.settings
    assert response.status_code == 503 and response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["title"] == "admin API disabled" and body["issues"][0]["code"] == "admin.disabled"


def test_unknown_account_is_404(api: Api) -> None:
    for method, path in [
        ("get", "/v1/admin/accounts/999999"),
        ("patch", "/v1/admin/accounts/999999"),
        ("post", "/v1/admin/accounts/999999/rotate-key"),
    ]:
        kwargs: dict[str, Any] = {"json": {"mode": "automatic"}} if method == "patch" else {}
        response = api.client.request(method, path, headers=api.admin(), **kwargs)
        assert response.status_code == 404, (method, path)
        assert response.json()["issues"][0]["code"] == "account.not_found"


def test_patch_is_a_merge_patch_validated_as_a_whole(api: Api) -> None:
    acc = api.create_account(
        {"number_series": {"prefix": "K", "next": 100}}, payment_terms={"1": 14, "2": 30}
    )
    url = f"/v1/admin/accounts/{acc['id']}"
    patched = api.client.patch(
        url,
        json={
            "mode": "automatic",
            "seller": {"city": "Aarhus C", "postcode": "8000"},
            "payment_terms": {"3": 8},
            "process_orders_from": "2026-12-01",
            "customers": {"update": True, "b2c": {"identify_by": "mobile"}},
        },
        headers=api.admin(),
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["mode"] == "automatic" and body["process_orders_from"] == "2026-12-01"
    assert (body["seller"]["city"], body["seller"]["name"]) == ("Aarhus C", SELLER_DK["name"])
    assert body["payment_terms"] == {"3": 8}  # replaced whole
    assert body["customers"]["b2c"]["identify_by"] == "mobile" and body["customers"]["update"] is True
    assert body["customers"]["number_series"] == {"prefix": "K", "next": 100}
    # null resets to the default
    reset = api.client.patch(url, json={"process_orders_from": None}, headers=api.admin())
    assert reset.json()["process_orders_from"] is None
    # an invalid patch changes nothing and names the field
    bad = api.client.patch(url, json={"mode": "sometimes", "seller": {"city": "Odense"}}, headers=api.admin())
    assert bad.status_code == 422 and ("input.invalid", "mode") in _codes(bad.json())
    assert api.client.get(url, headers=api.admin()).json()["seller"]["city"] == "Aarhus C"


def test_patch_never_resets_the_series_unless_it_names_next(api: Api) -> None:
    """Numbers taken after the settings were read are not given out again by an unrelated patch."""
    acc = api.create_account({"number_series": {"prefix": "K", "next": 100}})
    url = f"/v1/admin/accounts/{acc['id']}"
    api.db.scalar("SELECT 1")  # the series moves on behind the API's back, as orders take numbers:
    with api.db.engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(
            text("UPDATE customer_number_series SET next_value = 150 WHERE account_id = :a"), {"a": acc["id"]}
        )
    api.client.patch(url, json={"customers": {"number_series": {"prefix": "C"}}}, headers=api.admin())
    assert (
        api.db.scalar("SELECT next_value FROM customer_number_series WHERE account_id = :a", a=acc["id"])
        == 150
    )
    moved = api.client.patch(url, json={"customers": {"number_series": {"next": 500}}}, headers=api.admin())
    assert moved.json()["customers"]["number_series"] == {"prefix": "C", "next": 500}
    removed = api.client.patch(url, json={"customers": {"number_series": None}}, headers=api.admin())
    assert removed.json()["customers"]["number_series"] is None
    assert (
        api.db.scalar("SELECT count(*) FROM customer_number_series WHERE account_id = :a", a=acc["id"]) == 0
    )


@pytest.mark.parametrize(
    ("seller", "field", "hint_part"),
    [
        ({**SELLER_DK, "org_number": "1358562"}, "seller.org_number", "8 digits"),  # CVR with 7 digits
        ({**SELLER_DK, "org_number": "13585629"}, "seller.org_number", "check digit"),  # wrong check digit
        ({**SELLER_NO, "org_number": "991825828"}, "seller.org_number", "9 digits"),
    ],
    ids=["cvr-7-digits", "cvr-check-digit", "orgnr-check-digit"],
)
def test_bad_seller_identifiers_name_the_field(
    api: Api, seller: dict[str, Any], field: str, hint_part: str
) -> None:
    response = api.client.post("/v1/admin/accounts", json={"seller": seller}, headers=api.admin())
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    issue = response.json()["issues"][0]
    assert (issue["code"], issue["field"]) == ("input.identifier", field)
    assert hint_part in issue["hint"]


def test_seller_identifiers_are_stored_normalised(api: Api) -> None:
    acc = api.create_account()
    patched = api.client.patch(
        f"/v1/admin/accounts/{acc['id']}",
        json={"seller": {"org_number": "DK 13 58 56 28"}},
        headers=api.admin(),
    )
    assert patched.json()["seller"]["org_number"] == "13585628"


def test_mail_text_placeholders_are_checked(api: Api) -> None:
    acc = api.create_account(mail={"sender": "Faktura@Webshop.DK", "subject": "Faktura {invoice_number}"})
    assert acc["mail"]["sender"] == "Faktura@webshop.dk"
    bad = api.client.patch(
        f"/v1/admin/accounts/{acc['id']}", json={"mail": {"text": "Hej {kunde}"}}, headers=api.admin()
    )
    assert bad.status_code == 422
    issue = bad.json()["issues"][0]
    assert (
        issue["field"] == "mail.text"
        and "{kunde}" in issue["message"]
        and "{invoice_number}" in issue["message"]
    )


def test_seller_profile_is_what_was_configured(api: Api) -> None:
    """Account.seller_profile() gives the SellerProfile documents are built from; every field has a column."""
    acc = api.create_account(seller={**SELLER_NO, "iban": "NO9386011117947", "department": "KURS"})
    with api.db.session() as session:
        account = session.get(Account, acc["id"])
        assert account is not None
        profile = account.seller_profile()
    assert profile == SellerProfile.model_validate(
        {**SELLER_NO, "iban": "NO9386011117947", "department": "KURS"}
    )
    assert set(SELLER_FIELDS) == set(SellerProfile.model_fields)
    assert set(SELLER_FIELDS) <= set(Account.__table__.columns.keys())


def test_openapi_documents_both_security_schemes(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["clientCredentials"] == {
        "type": "http",
        "scheme": "basic",
        "description": schemes["clientCredentials"]["description"],
    }
    assert schemes["adminKey"]["scheme"] == "bearer"
    assert spec["paths"]["/v1/customers"]["get"]["security"] == [{"clientCredentials": []}]
    assert spec["paths"]["/v1/admin/accounts"]["post"]["security"] == [{"adminKey": []}]


def test_optional_account_dependency(api: Api) -> None:
    """OptionalAccountDep: None without credentials, the account with good ones, 401 with wrong ones."""
    app = FastAPI()
    app.add_exception_handler(NordublError, problems.nordubl_error_handler)
    app.dependency_overrides[settings_dependency] = lambda: api.settings

    @app.get("/whoami")
    def whoami(account: OptionalAccountDep) -> dict[str, int | None]:
        return {"id": account.id if account else None}

    acc = api.create_account()
    with TestClient(app) as client:
        assert client.get("/whoami").json() == {"id": None}
        assert client.get("/whoami", headers=basic(acc["client_id"], acc["client_key"])).json() == {
            "id": acc["id"]
        }
        assert client.get("/whoami", headers=basic(acc["client_id"], "nk_wrong")).status_code == 401
