"""Source 003, the trial period: a new account makes drafts (produced, validated, stored, never sent) that
the owner approves one by one; automatic mode only after 14 days in draft mode with no unresolved error in
the last 7 days. Time comes from the injected clock: moved, never slept."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dbfixtures import ADMIN_KEY
from shopfixtures import SELLER_NO, Account, Shop, form


def _created(shop: Shop, acc: Account) -> datetime:
    return datetime.fromisoformat(shop.client.get("/v1/account", auth=acc.auth).json()["created_at"])


def _mail_rows(shop: Shop, document_id: int) -> int:
    return shop.count("SELECT count(*) FROM outbox WHERE document_id = :d AND kind = 'mail'", d=document_id)


def _invoice(shop: Shop, acc: Account, order_id: str) -> dict:  # type: ignore[type-arg]
    r = shop.post(acc, "/v1/shop-orders", form(order_id, order_status="completed"))
    assert r.status_code == 201, r.text
    return next(d for d in r.json()["documents"] if d["kind"] == "invoice")


def test_day_13_refused_day_14_allowed(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    start = _created(shop, acc)
    assert shop.get(acc, "/v1/account/mode").json()["mode"] == "draft"

    shop.clock.set(start + timedelta(days=13, hours=23))
    r = shop.put(acc, "/v1/account/mode", {"mode": "automatic"})
    assert r.status_code == 409
    (issue,) = r.json()["issues"]
    assert issue["code"] == "mode.trial_running" and issue["field"] == "mode"
    assert "13 of 14 days" in issue["message"]
    assert (start + timedelta(days=14)).date().isoformat() in issue["message"]
    assert shop.get(acc, "/v1/account/mode").json()["mode"] == "draft"

    shop.clock.set(start + timedelta(days=14))
    r = shop.put(acc, "/v1/account/mode", {"mode": "automatic"})
    assert r.status_code == 200, r.text
    assert r.json()["mode"] == "automatic"
    assert shop.client.get("/v1/account", auth=acc.auth).json()["mode"] == "automatic"


def test_drafts_get_no_mail_row_until_approved(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    shop.clock.set(_created(shop, acc) + timedelta(days=1))
    invoice = _invoice(shop, acc, "TR-1")
    assert invoice["status"] == "draft"
    assert _mail_rows(shop, invoice["id"]) == 0
    meta = shop.get(acc, f"/v1/documents/{invoice['id']}").json()
    assert meta["mail"] is None and meta["approved_at"] is None
    # the draft was validated and stored: its XML is there
    assert shop.get(acc, f"/v1/documents/{invoice['id']}.xml").status_code == 200

    r = shop.post(acc, f"/v1/documents/{invoice['id']}/approve", None)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "final" and r.json()["approved_by"] == "owner"
    assert r.json()["mail"]["status"] == "queued"
    assert r.json()["mail"]["message_id"] == f"<{invoice['uuid']}@nordubl>"
    assert _mail_rows(shop, invoice["id"]) == 1
    # approving again changes nothing: still one mail row
    assert shop.post(acc, f"/v1/documents/{invoice['id']}/approve", None).status_code == 200
    assert _mail_rows(shop, invoice["id"]) == 1
    # an order document is not approvable
    order_doc = shop.get(acc, "/v1/documents", order_id="TR-1", kind="order").json()["items"][0]
    r = shop.post(acc, f"/v1/documents/{order_doc['id']}/approve", None)
    assert r.status_code == 409 and r.json()["issues"][0]["code"] == "document.not_approvable"


def test_automatic_mode_mails_in_the_documents_transaction(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    start = _created(shop, acc)
    shop.clock.set(start + timedelta(days=2))
    draft = _invoice(shop, acc, "AU-0")
    shop.clock.set(start + timedelta(days=15))
    assert shop.put(acc, "/v1/account/mode", {"mode": "automatic"}).status_code == 200
    invoice = _invoice(shop, acc, "AU-1")
    assert invoice["status"] == "final"
    assert _mail_rows(shop, invoice["id"]) == 1
    # a draft made before stays a draft until approved
    assert _mail_rows(shop, draft["id"]) == 0
    # a credit note in automatic mode is sent too
    r = shop.client.put("/v1/orders/AU-1/status", json={"status": "cancelled"}, auth=acc.auth)
    assert r.status_code == 201, r.text
    credit = next(d for d in r.json()["documents"] if d["kind"] == "creditnote")
    assert credit["status"] == "final" and _mail_rows(shop, credit["id"]) == 1


def test_an_unresolved_error_of_the_last_7_days_holds_automatic_mode_back(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    start = _created(shop, acc)
    shop.clock.set(start + timedelta(days=10))
    bad = form("ER-1", payment_terms_id="77")
    assert shop.post(acc, "/v1/shop-orders", bad).status_code == 422

    shop.clock.set(start + timedelta(days=16))  # 6 days after the error
    r = shop.put(acc, "/v1/account/mode", {"mode": "automatic"})
    assert r.status_code == 409
    assert [i["code"] for i in r.json()["issues"]] == ["mode.unresolved_errors"]
    assert shop.get(acc, "/v1/account/mode").json()["unresolved_errors"] == 1

    # fixed and sent again: resolved, and automatic mode can be switched on
    assert shop.put(acc, "/v1/account/payment-terms", {"1": 14, "77": 10}).status_code == 200
    assert shop.post(acc, "/v1/shop-orders", bad).status_code == 201
    assert shop.put(acc, "/v1/account/mode", {"mode": "automatic"}).status_code == 200


def test_an_error_older_than_7_days_does_not_count_and_back_to_draft_restarts_the_trial(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    assert shop.operator_processing(acc, {"trial_days": 3, "clean_days": 2}).status_code == 200
    start = _created(shop, acc)
    shop.clock.set(start + timedelta(hours=1))
    assert shop.post(acc, "/v1/shop-orders", form("OLDERR", payment_terms_id="77")).status_code == 422
    shop.clock.set(start + timedelta(days=3))  # the error is older than clean_days (2)
    assert shop.put(acc, "/v1/account/mode", {"mode": "automatic"}).status_code == 200

    shop.clock.set(start + timedelta(days=4))
    r = shop.put(acc, "/v1/account/mode", {"mode": "draft"})
    assert r.status_code == 200 and r.json()["days_in_draft"] == 0
    shop.clock.set(start + timedelta(days=6))
    assert shop.put(acc, "/v1/account/mode", {"mode": "automatic"}).status_code == 409
    shop.clock.set(start + timedelta(days=7))
    assert shop.put(acc, "/v1/account/mode", {"mode": "automatic"}).status_code == 200


def test_an_error_resolved_by_hand(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    start = _created(shop, acc)
    shop.clock.set(start + timedelta(days=13))
    assert shop.post(acc, "/v1/shop-orders", form("GONE-1", payment_terms_id="5")).status_code == 422
    (entry,) = shop.errors(acc)
    r = shop.post(acc, f"/v1/errors/{entry['id']}/resolve", None)
    assert r.status_code == 200 and r.json()["resolved_by"] == "owner"
    assert shop.errors(acc) == []
    shop.clock.set(start + timedelta(days=14))
    assert shop.put(acc, "/v1/account/mode", {"mode": "automatic"}).status_code == 200
    other = shop.account(SELLER_NO)
    assert shop.post(other, f"/v1/errors/{entry['id']}/resolve", None).status_code == 404


# -- issue 18 (11): the 14 days are the service's rule (source 003), not the shop's ------------------------


def _floor_issue(r: Any) -> dict[str, Any]:
    assert r.status_code == 422, r.text
    (issue,) = r.json()["issues"]
    assert (issue["code"], issue["field"]) == ("processing.trial_floor", "trial_days"), issue
    return issue


def test_an_account_cannot_shorten_its_own_trial(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    start = _created(shop, acc)
    for days in (0, 1, 13):
        issue = _floor_issue(shop.put(acc, "/v1/account/processing", {"trial_days": days}))
        assert "14" in issue["message"] and issue["value"] == str(days)
    assert shop.get(acc, "/v1/account/processing").json()["trial_days"] == 14
    assert shop.get(acc, "/v1/account/mode").json()["trial_days"] == 14
    shop.clock.set(start + timedelta(hours=1))
    assert shop.put(acc, "/v1/account/mode", {"mode": "automatic"}).status_code == 409
    # longer is the account's to choose, and back down to the 14 days, never below
    assert shop.put(acc, "/v1/account/processing", {"trial_days": 30}).status_code == 200
    assert shop.put(acc, "/v1/account/processing", {"trial_days": 14}).status_code == 200
    _floor_issue(shop.put(acc, "/v1/account/processing", {"trial_days": 13}))
    # the account's credentials do not open the operator's route
    r = shop.client.put(f"/v1/admin/accounts/{acc.id}/processing", json={"trial_days": 0}, auth=acc.auth)
    assert r.status_code == 401
    assert shop.get(acc, "/v1/account/mode").json()["trial_days"] == 14


def test_only_the_operator_lowers_the_trial(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    start = _created(shop, acc)
    r = shop.operator_processing(acc, {"trial_days": 0, "findings": {"product.vat_mismatch": "warn"}})
    assert r.status_code == 200, r.text
    assert r.json()["trial_days"] == 0 and r.json()["findings"] == {"product.vat_mismatch": "warn"}
    got = shop.client.get(
        f"/v1/admin/accounts/{acc.id}/processing", headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    )
    assert got.status_code == 200 and got.json() == shop.get(acc, "/v1/account/processing").json()
    # the account keeps what the operator granted when it writes its other settings again …
    kept = shop.put(acc, "/v1/account/processing", {"trial_days": 0, "create_products": True})
    assert kept.status_code == 200 and kept.json()["trial_days"] == 0
    # … but cannot go lower on its own than what it has
    assert shop.put(acc, "/v1/account/processing", {"trial_days": 5}).status_code == 200
    _floor_issue(shop.put(acc, "/v1/account/processing", {"trial_days": 4}))
    assert shop.operator_processing(acc, {"trial_days": 0}).status_code == 200
    shop.clock.set(start + timedelta(hours=1))
    r = shop.put(acc, "/v1/account/mode", {"mode": "automatic"})
    assert r.status_code == 200 and r.json()["mode"] == "automatic"
    # the operator's route checks the settings like the account's and knows no other account
    bad = shop.operator_processing(acc, {"trial_days": -1})
    assert bad.status_code == 422 and bad.json()["issues"][0]["field"] == "trial_days"
    missing = shop.client.put(
        "/v1/admin/accounts/999999/processing", json={}, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    )
    assert missing.status_code == 404
