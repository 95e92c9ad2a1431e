"""The well-known errors of source 003, end to end over HTTP, on SQLite and PostgreSQL: submit → the finding
in GET /v1/errors (code, field, a hint in the account's language) → fix the mapping → submit again →
resolved, and the documents produced exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from lxml import etree
from shopfixtures import SELLER_DK, SELLER_NO, Account, Shop, form

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _kinds(shop: Shop, acc: Account, order_id: str) -> Counter[str]:
    r = shop.get(acc, "/v1/documents", order_id=order_id)
    assert r.status_code == 200, r.text
    return Counter(d["kind"] for d in r.json()["items"])


def _xml(shop: Shop, acc: Account, document_id: int) -> Any:
    r = shop.get(acc, f"/v1/documents/{document_id}.xml")
    assert r.status_code == 200, r.text
    return etree.fromstring(r.content)


def _refused(shop: Shop, acc: Account, body: dict[str, Any], code: str, field: str) -> dict[str, Any]:
    r = shop.post(acc, "/v1/shop-orders", body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    issues = {(i["code"], i["field"]) for i in r.json()["issues"]}
    assert (code, field) in issues
    # nothing was produced, and no customer kept
    assert _kinds(shop, acc, body["order_id"]) == Counter()
    assert shop.count("SELECT count(*) FROM customers WHERE account_id = :a", a=acc.id) == 0
    logged = [e for e in shop.errors(acc, order_id=body["order_id"]) if e["code"] == code]
    assert len(logged) == 1
    entry = logged[0]
    assert entry["field"] == field and entry["severity"] == "error" and not entry["resolved"]
    return entry


def _fixed(shop: Shop, acc: Account, body: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    r = shop.post(acc, "/v1/shop-orders", body)
    assert r.status_code == 201, r.text
    assert shop.errors(acc, order_id=body["order_id"]) == []
    resolved = {e["id"]: e for e in shop.errors(acc, state="resolved", order_id=body["order_id"])}
    assert resolved[entry["id"]]["resolved_by"] == "resubmit"
    # sent once more: the first result, nothing new
    again = shop.post(acc, "/v1/shop-orders", body)
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["documents"] == r.json()["documents"]
    assert _kinds(shop, acc, body["order_id"]) == Counter({"order": 1, "invoice": 1})
    assert shop.count("SELECT count(*) FROM customers WHERE account_id = :a", a=acc.id) == 1
    result: dict[str, Any] = r.json()
    return result


def test_payment_terms_renumbered_in_the_shop(shop: Shop) -> None:
    """Source 003: the shop changed its payment-term ids, so the mapping no longer matches."""
    acc = shop.account(SELLER_NO)  # language nb
    body = form("PT-1", order_status="completed", payment_terms_id="7")
    entry = _refused(shop, acc, body, "payment_terms.unmapped", "payment_terms_id")
    assert "«7»" in entry["message"] and "kjente id-er: 1, 2" in entry["message"]
    assert entry["hint"].endswith("send ordren på nytt.") and "PUT /v1/account/payment-terms" in entry["hint"]

    r = shop.put(acc, "/v1/account/payment-terms", {"1": 14, "2": 30, "7": 45})
    assert r.status_code == 200 and r.json()["7"] == 45
    out = _fixed(shop, acc, body, entry)
    invoice = next(d for d in out["documents"] if d["kind"] == "invoice")
    doc = shop.get(acc, f"/v1/documents/{invoice['id']}").json()
    # BR-CO-25: the due date follows the mapped terms (45 days), not the seller's default (14)
    from datetime import date

    assert (date.fromisoformat(doc["due_date"]) - date.fromisoformat(doc["issue_date"])).days == 45


def test_product_missing_in_the_erp(shop: Shop) -> None:
    """Source 003: a product that does not exist in the ERP cannot be put on the order."""
    acc = shop.account(SELLER_DK)  # language da
    product = {
        "product_number": "NY-7",
        "name": "Nyt kursus",
        "price": "100.00",
        "vat_rate": "25",
        "quantity": "2",
    }
    customer = {
        "country": "DK",
        "org_number": "13585628",
        "company_name": "Webshoppen ApS",
        "first_name": "Mette",
        "last_name": "Jensen",
        "email": "mette@webshoppen.example.dk",
        "external_invoice_reference": "INDKØB-55",
    }
    body = form("PM-1", order_status="completed", products=[product], currency="DKK", customer=customer)
    entry = _refused(shop, acc, body, "product.unknown", "products[0].product_number")
    assert entry["message"].startswith("Varen NY-7 (Nyt kursus) findes ikke i varekataloget")
    assert entry["hint"].endswith("send ordren igen.")

    catalogue = shop.get(acc, "/v1/catalogue/products").json()["products"]
    catalogue.append({"product_number": "NY-7", "erp_item": "7007", "name": "Nyt kursus", "vat_rate": "25"})
    assert shop.put(acc, "/v1/catalogue/products", {"products": catalogue}).status_code == 200
    out = _fixed(shop, acc, body, entry)
    # source 002: the line links to the ERP's item
    order = _xml(shop, acc, out["documents"][0]["id"])
    # (the freight, booked on item 9001, is a line of its own)
    assert order.xpath("//cac:SellersItemIdentification/cbc:ID/text()", namespaces=NS) == ["7007", "9001"]


def test_fee_not_defined_would_go_missing(shop: Shop) -> None:
    """Source 003: a card fee not defined as a product (or a charge): the fee would go missing."""
    acc = shop.account({**SELLER_NO, "language": "en"})
    fees = [
        {"kind": "freight", "amount": "149.00", "vat_rate": "25"},
        {"kind": "card", "amount": "12.50", "vat_rate": "25", "description": "Card fee"},
    ]
    body = form("FE-1", order_status="completed", fees=fees)
    entry = _refused(shop, acc, body, "fee.unmapped", "fees[1].kind")
    assert entry["message"] == (
        "The card fee of NOK\u00a012.50 is not mapped to an ERP item or a charge code, so it would go missing from "
        "the invoice."
    )
    assert "PUT /v1/catalogue/fees" in entry["hint"]

    mapped = shop.get(acc, "/v1/catalogue/fees").json()["fees"]
    mapped.append({"kind": "card", "charge_code": "ABK", "reason": "Kortgebyr"})
    assert shop.put(acc, "/v1/catalogue/fees", {"fees": mapped}).status_code == 200
    out = _fixed(shop, acc, body, entry)
    invoice = _xml(shop, acc, next(d["id"] for d in out["documents"] if d["kind"] == "invoice"))
    # freight booked on its item (a line), the card fee as a document charge with the mapped reason
    assert "9001" in invoice.xpath(
        "//cac:InvoiceLine//cac:SellersItemIdentification/cbc:ID/text()", namespaces=NS
    )
    charges = invoice.xpath("/*/cac:AllowanceCharge", namespaces=NS)
    assert [
        (c.findtext("cbc:AllowanceChargeReasonCode", namespaces=NS), c.findtext("cbc:Amount", namespaces=NS))
        for c in charges
    ] == [("ABK", "12.50")]
    assert invoice.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "3314.38"


def test_deactivated_product_bought_through_a_search_engine(shop: Shop) -> None:
    """Source 003: a deactivated product, found by a search engine and bought anyway."""
    acc = shop.account(SELLER_NO)
    old = {
        "product_number": "GAMMEL-01",
        "name": "Gammelt kurs",
        "price": "990.00",
        "vat_rate": "25",
        "quantity": "1",
    }
    body = form("DP-1", order_status="completed", products=[old])
    entry = _refused(shop, acc, body, "product.inactive", "products[0].product_number")
    assert entry["message"].startswith("Produktet GAMMEL-01 (Gammelt kurs) er deaktivert")
    assert "Aktiver produktet i katalogen" in entry["hint"]

    # the same order again, unfixed: counted, still open
    assert shop.post(acc, "/v1/shop-orders", body).status_code == 422
    again = next(e for e in shop.errors(acc, order_id="DP-1") if e["code"] == "product.inactive")
    assert again["id"] == entry["id"] and again["count"] == 2

    catalogue = shop.get(acc, "/v1/catalogue/products").json()["products"]
    for p in catalogue:
        if p["product_number"] == "GAMMEL-01":
            p["active"] = True
    assert shop.put(acc, "/v1/catalogue/products", {"products": catalogue}).status_code == 200
    _fixed(shop, acc, body, entry)


def test_several_findings_at_once_and_the_customer_error(shop: Shop) -> None:
    """Every finding of an order is reported together, the customer's too (source 001: creation off)."""
    acc = shop.account(SELLER_NO, customers={"create": False})
    products = [
        {"product_number": "UKJENT", "name": "Ukjent", "price": "10.00", "vat_rate": "25", "quantity": "1"},
        {"product_number": "BOK-01", "name": "Kursbok", "price": "300.00", "vat_rate": "25", "quantity": "1"},
    ]
    body = form("MX-1", products=products, payment_terms_id="99")
    r = shop.post(acc, "/v1/shop-orders", body)
    assert r.status_code == 422
    found = {(i["code"], i["field"]) for i in r.json()["issues"]}
    assert found == {
        ("product.unknown", "products[0].product_number"),
        ("product.vat_mismatch", "products[1].vat_rate"),
        ("payment_terms.unmapped", "payment_terms_id"),
        ("customer.must_exist", "customer.org_number"),
    }
    logged = {e["code"]: e for e in shop.errors(acc)}
    assert logged["customer.must_exist"]["message"] == (
        "Det finnes ingen kunde med customer.org_number = 974760673, og oppretting av kunder er slått av."
    )
    assert logged["product.vat_mismatch"]["message"] == (
        "Produktet BOK-01 selges med 25 % mva. i nettbutikken, men katalogen sier 0 %."
    )


def test_a_finding_can_be_a_warning(shop: Shop) -> None:
    """Per account each finding blocks or warns: a warned VAT mismatch lets the order through and stays in
    the log as a warning."""
    acc = shop.account(SELLER_NO, processing={"findings": {"product.vat_mismatch": "warn"}})
    book = {
        "product_number": "BOK-01",
        "name": "Kursbok",
        "price": "300.00",
        "vat_rate": "25",
        "quantity": "1",
    }
    r = shop.post(acc, "/v1/shop-orders", form("WA-1", products=[book]))
    assert r.status_code == 201, r.text
    assert [(w["code"], w["severity"]) for w in r.json()["warnings"]] == [("product.vat_mismatch", "warning")]
    (entry,) = shop.errors(acc)
    assert entry["severity"] == "warning" and entry["field"] == "products[0].vat_rate"
    # a warning does not hold back automatic mode
    assert shop.get(acc, "/v1/account/mode").json()["unresolved_errors"] == 0


def test_a_failed_official_rule_is_logged_with_its_rule_id(shop: Shop) -> None:
    """A fee mapped to a charge code outside UNCL7161 makes the invoice fail the official rules: the rule
    ids are logged against the fee, and no document is kept."""
    acc = shop.account(SELLER_NO)
    assert (
        shop.put(acc, "/v1/catalogue/fees", {"fees": [{"kind": "freight", "charge_code": "ZZQ"}]}).status_code
        == 200
    )
    r = shop.post(acc, "/v1/shop-orders", form("RU-1", order_status="completed"))
    assert r.status_code == 422
    logged = {(e["code"], e["field"]) for e in shop.errors(acc, order_id="RU-1")}
    assert ("BR-CL-20", "fees[0]") in logged
    assert _kinds(shop, acc, "RU-1") == Counter()
    assert (
        shop.put(acc, "/v1/catalogue/fees", {"fees": [{"kind": "freight", "charge_code": "FC"}]}).status_code
        == 200
    )
    assert shop.post(acc, "/v1/shop-orders", form("RU-1", order_status="completed")).status_code == 201
    assert shop.errors(acc, order_id="RU-1") == []


def test_order_registered_before_process_from_is_skipped(shop: Shop) -> None:
    """Source 004: orders registered before "process orders registered from" are skipped, not errors."""
    acc = shop.account(SELLER_NO, process_orders_from="2026-11-01")
    r = shop.post(acc, "/v1/shop-orders", form("OLD-1", order_date="2026-10-31", order_status="completed"))
    assert r.status_code == 202
    assert r.json()["status"] == "skipped" and r.json()["skipped"]["code"] == "order.before_process_from"
    assert r.json()["documents"] == []
    assert shop.errors(acc) == []
    assert shop.post(acc, "/v1/shop-orders", form("NEW-1", order_date="2026-11-01")).status_code == 201


def test_products_created_on_the_fly_when_the_account_allows_it(shop: Shop) -> None:
    acc = shop.account(SELLER_NO, processing={"create_products": True})
    new = {"product_number": "FLY-1", "name": "Nytt", "price": "50.00", "vat_rate": "15", "quantity": "1"}
    assert shop.post(acc, "/v1/shop-orders", form("FLY-1", products=[new])).status_code == 201
    created = {p["product_number"]: p for p in shop.get(acc, "/v1/catalogue/products").json()["products"]}
    assert created["FLY-1"] == {
        "product_number": "FLY-1",
        "erp_item": "FLY-1",
        "name": "Nytt",
        "vat_rate": "15",
        "active": True,
        "origin": "order",
    }


def test_the_refusal_speaks_the_account_language_unless_the_request_asks_for_another(shop: Shop) -> None:
    """A blocked order's problem+json is written in the account's language (nb here); ``Accept-Language``
    has the catalogued issues written again in the language it names, and ``Content-Language`` says which."""
    acc = shop.account(SELLER_NO)
    body = form("PT-LANG", order_status="completed", payment_terms_id="7")
    answers = {
        lang: shop.post(acc, "/v1/shop-orders", body, **({"Accept-Language": lang} if lang else {}))
        for lang in (None, "en-GB,en;q=0.9", "da")
    }
    for r in answers.values():
        assert r.status_code == 422 and r.json()["type"] == "/problems/payment_terms.unmapped", r.text

    def unmapped(lang: str | None) -> dict[str, Any]:
        return next(i for i in answers[lang].json()["issues"] if i["code"] == "payment_terms.unmapped")

    assert answers[None].headers["content-language"] == "nb"
    assert "kjente id-er: 1, 2" in unmapped(None)["message"]
    assert answers["en-GB,en;q=0.9"].headers["content-language"] == "en"
    assert "known ids: 1, 2" in unmapped("en-GB,en;q=0.9")["message"]
    assert answers["da"].headers["content-language"] == "da"
    assert unmapped("da")["hint"].endswith("igen.") and unmapped("da")["message"] != unmapped(None)["message"]
