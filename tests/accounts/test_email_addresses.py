"""Issue 18 (10): every e-mail address the service takes is checked by email-validator, with a 422 that names
the field: the form's customer.email, and the account's mail.sender and seller.email (admin API)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import SELLER_DK, Api
from shopform import form

from app.accounts.models import Account
from app.accounts.profile import load_seller
from app.errors import NordublError

#: Addresses that would put a second header, a second recipient or a display name into a mail, or that
#: no mail system takes: each refused.
BAD = {
    "crlf": "kari@example.no\r\nBcc: all@example.no",
    "lf": "kari@example.no\nBcc: all@example.no",
    "tab": "kari\t@example.no",
    "line separator": "kari@example.no\u2028Bcc: all@example.no",
    "paragraph separator": "kari\u2029@example.no",
    "list": "kari@example.no, ola@example.no",
    "list without space": "kari@example.no,ola@example.no",
    "display name": "Kari Nordmann <kari@example.no>",
    "brackets": "<kari@example.no>",
    "no domain dot": "kari@localhost",
    "two at signs": "kari@@example.no",
    "space": "kari nordmann@example.no",
    "nul": "kari\x00@example.no",
}


@pytest.fixture(scope="module")
def forms(api: Api) -> Iterator[Api]:
    """The API with its validation service (POST /v1/orders takes it; the rules compile on first use)."""
    from app.validation.service import ValidationService

    service = ValidationService()
    api.client.app.state.validation = service
    try:
        yield api
    finally:
        service.close()


def _issue(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    issues: list[dict[str, Any]] = response.json()["issues"]
    assert len(issues) == 1, issues
    return issues[0]


@pytest.mark.parametrize("address", BAD.values(), ids=BAD.keys())
def test_the_form_refuses_a_bad_customer_email(forms: Api, address: str) -> None:
    body = form("EM-1")
    body["customer"]["email"] = address
    issue = _issue(forms.client.post("/v1/orders", json=body))
    assert issue["field"] == "customer.email", issue
    assert issue["code"] in ("input.identifier", "input.control_character"), issue


@pytest.mark.parametrize("address", BAD.values(), ids=BAD.keys())
def test_the_admin_api_refuses_a_bad_mail_sender_and_seller_email(api: Api, address: str) -> None:
    created = api.client.post(
        "/v1/admin/accounts", json={"seller": SELLER_DK, "mail": {"sender": address}}, headers=api.admin()
    )
    assert _issue(created)["field"] == "mail.sender"
    created = api.client.post(
        "/v1/admin/accounts", json={"seller": {**SELLER_DK, "email": address}}, headers=api.admin()
    )
    assert _issue(created)["field"] == "seller.email"
    acc = api.create_account()
    for patch, field in (
        ({"mail": {"sender": address}}, "mail.sender"),
        ({"seller": {"email": address}}, "seller.email"),
    ):
        r = api.client.patch(f"/v1/admin/accounts/{acc['id']}", json=patch, headers=api.admin())
        assert _issue(r)["field"] == field
    shown = api.client.get(f"/v1/admin/accounts/{acc['id']}", headers=api.admin()).json()
    assert (shown["mail"]["sender"], shown["seller"].get("email")) == (None, SELLER_DK.get("email"))


def test_good_addresses_are_kept_with_the_domain_normalised(api: Api) -> None:
    acc = api.create_account(
        seller={**SELLER_DK, "email": "Faktura@Kursus.Example.DK"},
        mail={"sender": "åsmund@Ærøskøbing.example.no"},
    )
    assert acc["seller"]["email"] == "Faktura@kursus.example.dk"
    assert acc["mail"]["sender"] == "åsmund@ærøskøbing.example.no"
    customer = {**form("EM-2")["customer"], "org_number": None, "company_name": None}
    customer["email"] = "  Kari.Nordmann+faktura@Example.NO "
    r = api.client.post(
        "/v1/customers/resolve", json={"customer": customer}, auth=(acc["client_id"], acc["client_key"])
    )
    assert r.status_code == 200, r.text
    shown = api.client.get(f"/v1/customers/{r.json()['id']}", auth=(acc["client_id"], acc["client_key"]))
    assert shown.json()["email"] == "Kari.Nordmann+faktura@example.no"


def test_the_error_says_what_is_wrong(forms: Api) -> None:
    body = form("EM-3")
    body["customer"]["email"] = BAD["display name"]
    issue = _issue(forms.client.post("/v1/orders", json=body))
    assert "E-mail address" in issue["message"] and "name@example.no" in issue["hint"]
    assert "display name" in issue["hint"].lower() or "angle brackets" in issue["hint"].lower()


def test_an_account_stored_before_the_check_stays_readable_until_it_is_written(api: Api) -> None:
    """A value written before this rule (or by hand) does not make the account unreadable; the next
    write of that field is checked."""
    acc = api.create_account()
    with api.db.session() as session:
        account = session.get(Account, acc["id"])
        assert account is not None
        account.mail_sender = "Faktura <faktura@kursus.example.dk>"
        account.email = "post@kursus"
        session.commit()
    shown = api.client.get(f"/v1/admin/accounts/{acc['id']}", headers=api.admin())
    assert (
        shown.status_code == 200 and shown.json()["mail"]["sender"] == "Faktura <faktura@kursus.example.dk>"
    )
    fixed = api.client.patch(
        f"/v1/admin/accounts/{acc['id']}",
        json={"mail": {"sender": "faktura@kursus.example.dk"}, "seller": {"email": "post@kursus.example.dk"}},
        headers=api.admin(),
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["mail"]["sender"] == "faktura@kursus.example.dk"


def test_the_seller_file_of_the_command_line_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "seller.json"
    path.write_text(json.dumps({**SELLER_DK, "email": "faktura@kursus.example.dk\r\nBcc: x@example.dk"}))
    with pytest.raises(NordublError) as err:
        load_seller(path)
    assert [i.field for i in err.value.issues] == ["account.email"]
