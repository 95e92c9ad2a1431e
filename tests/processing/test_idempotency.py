"""Retries: the Idempotency-Key header (IETF draft; Stripe's behaviour) and the shop's own order id."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from shopfixtures import SELLER_NO, Shop, form

from app.processing import idempotency
from app.processing.models import IdempotencyKey


def test_a_replay_answers_the_stored_status_and_body(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    first = shop.post(acc, "/v1/shop-orders", form("ID-1"), **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    again = shop.post(acc, "/v1/shop-orders", form("ID-1"), **{"Idempotency-Key": "k-1"})
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert "Idempotent-Replayed" not in first.headers
    assert shop.count("SELECT count(*) FROM documents WHERE account_id = :a", a=acc.id) == 1


def test_the_same_key_with_another_body_names_the_difference(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    assert shop.post(acc, "/v1/shop-orders", form("ID-2"), **{"Idempotency-Key": "k-2"}).status_code == 201
    changed = form("ID-2")
    changed["products"][0]["quantity"] = "3"
    r = shop.post(acc, "/v1/shop-orders", changed, **{"Idempotency-Key": "k-2"})
    assert r.status_code == 422
    (issue,) = r.json()["issues"]
    assert issue["code"] == "idempotency.mismatch" and issue["field"] == "products[0].quantity"
    # the same key on another endpoint
    r = shop.post(acc, "/v1/invoices", form("ID-2"), **{"Idempotency-Key": "k-2"})
    assert r.status_code == 422 and r.json()["issues"][0]["field"] == "path"


def test_the_same_key_while_the_first_is_in_flight_is_409(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    body = form("ID-3")
    raw = shop.client.build_request("POST", "/v1/shop-orders", json=body).content
    with shop.db.session() as session:
        claim = idempotency.claim(session, acc.id, "k-3", "POST", "/v1/shop-orders", raw, shop.clock.now())
        assert isinstance(claim, idempotency.Claim)
    r = shop.post(acc, "/v1/shop-orders", body, **{"Idempotency-Key": "k-3"})
    assert r.status_code == 409 and r.json()["issues"][0]["code"] == "idempotency.in_flight"
    # a claim whose process died is taken over once its lock has run out
    shop.clock.set(shop.clock.now() + timedelta(seconds=idempotency.LOCK_SECONDS + 1))
    r = shop.post(acc, "/v1/shop-orders", body, **{"Idempotency-Key": "k-3"})
    assert r.status_code == 201, r.text


def test_keys_are_scoped_to_the_account(shop: Shop) -> None:
    a, b = shop.account(SELLER_NO), shop.account(SELLER_NO)
    ra = shop.post(a, "/v1/shop-orders", form("SC-1"), **{"Idempotency-Key": "shared"})
    rb = shop.post(b, "/v1/shop-orders", form("SC-1"), **{"Idempotency-Key": "shared"})
    assert ra.status_code == rb.status_code == 201
    assert ra.json()["documents"][0]["id"] != rb.json()["documents"][0]["id"]


def test_a_refused_request_releases_its_key(shop: Shop) -> None:
    """Only successful answers are kept: after fixing the cause, the same request with the same key runs."""
    acc = shop.account(SELLER_NO)
    body = form("ID-4", payment_terms_id="8")
    assert shop.post(acc, "/v1/shop-orders", body, **{"Idempotency-Key": "k-4"}).status_code == 422
    with shop.db.session() as session:
        assert session.query(IdempotencyKey).filter_by(account_id=acc.id, key="k-4").count() == 0
    assert shop.put(acc, "/v1/account/payment-terms", {"8": 20}).status_code == 200
    assert shop.post(acc, "/v1/shop-orders", body, **{"Idempotency-Key": "k-4"}).status_code == 201


def test_invalid_keys_are_refused(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    r = shop.post(acc, "/v1/shop-orders", form("ID-5"), **{"Idempotency-Key": "  "})
    assert r.status_code == 400 and r.json()["issues"][0]["code"] == "idempotency.key_invalid"
    r = shop.post(acc, "/v1/shop-orders", form("ID-5"), **{"Idempotency-Key": "x" * 256})
    assert r.status_code == 400 and r.json()["issues"][0]["field"] == "Idempotency-Key"


def test_the_same_order_id_same_content_answers_the_first_result(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    first = shop.post(acc, "/v1/shop-orders", form("EX-1"))
    second = shop.post(acc, "/v1/shop-orders", form("EX-1"))
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["replayed"] is True
    assert second.json()["documents"] == first.json()["documents"]
    # a newer status on the same content moves the order on (no second order document)
    third = shop.post(acc, "/v1/shop-orders", form("EX-1", order_status="completed"))
    assert third.status_code == 201 and third.json()["status"] == "invoiced"
    assert [d["kind"] for d in third.json()["documents"]] == ["order", "invoice"]


def test_the_same_order_id_with_other_content_is_409(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    assert shop.post(acc, "/v1/shop-orders", form("EX-2")).status_code == 201
    changed = form("EX-2")
    changed["customer"]["city"] = "Bodø"
    r = shop.post(acc, "/v1/shop-orders", changed)
    assert r.status_code == 409
    (issue,) = r.json()["issues"]
    assert issue["code"] == "order.conflict" and issue["field"] == "customer.city"
    assert shop.count("SELECT count(*) FROM documents WHERE account_id = :a", a=acc.id) == 1


def test_retried_invoice_and_credit_note_requests_produce_one_each(shop: Shop) -> None:
    """The authenticated /v1/invoices and /v1/credit-notes: retries find the stored documents."""
    acc = shop.account(SELLER_NO)
    first = shop.post(acc, "/v1/invoices", form("IV-1"))
    assert first.status_code == 201 and first.headers["content-type"] == "application/xml"
    again = shop.post(acc, "/v1/invoices", form("IV-1"))
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["X-Nordubl-Document-Id"] == first.headers["X-Nordubl-Document-Id"]
    credit = shop.post(acc, "/v1/credit-notes", form("IV-1"))
    assert credit.status_code == 201, credit.text
    assert shop.post(acc, "/v1/credit-notes", form("IV-1")).status_code == 200
    kinds = [d["kind"] for d in shop.get(acc, "/v1/documents", order_id="IV-1").json()["items"]]
    assert sorted(kinds) == ["creditnote", "invoice", "order"]
    assert shop.count("SELECT count(*) FROM customers WHERE account_id = :a", a=acc.id) == 1


def test_the_lock_is_the_setting(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    """``idempotency_lock_seconds``: the routes claim keys for the configured time, and a claim left by a
    request whose process died is taken over once that time has passed, not before."""
    acc = shop.account(SELLER_NO)
    real_claim = idempotency.claim
    locks: list[int] = []

    def spy(*args: Any) -> Any:
        locks.append(args[7])
        return real_claim(*args)

    monkeypatch.setattr(idempotency, "claim", spy)
    monkeypatch.setattr(shop.settings, "idempotency_lock_seconds", 30)
    assert (
        shop.post(acc, "/v1/shop-orders", form("ID-LOCK-1"), **{"Idempotency-Key": "k-lock-1"}).status_code
        == 201
    )
    assert locks == [30]

    body = form("ID-LOCK-2")
    raw = shop.client.build_request("POST", "/v1/shop-orders", json=body).content
    with shop.db.session() as session:  # the claim a killed request leaves behind
        got = real_claim(session, acc.id, "k-lock-2", "POST", "/v1/shop-orders", raw, shop.clock.now(), 30)
        assert isinstance(got, idempotency.Claim)
    shop.clock.set(shop.clock.now() + timedelta(seconds=29))
    assert shop.post(acc, "/v1/shop-orders", body, **{"Idempotency-Key": "k-lock-2"}).status_code == 409
    shop.clock.set(shop.clock.now() + timedelta(seconds=2))  # 31 s: the 30-second lock has run out
    r = shop.post(acc, "/v1/shop-orders", body, **{"Idempotency-Key": "k-lock-2"})
    assert r.status_code == 201, r.text
