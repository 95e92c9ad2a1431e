"""/v1/orders, /v1/invoices and /v1/credit-notes with and without the account's credentials; bad input is a
coded problem, logged for the owner."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from shopfixtures import SELLER_NO, Shop, form

from app.config import Settings


def test_without_credentials_the_demo_seller_and_no_database(shop: Shop, tmp_path: Path) -> None:
    """The unauthenticated endpoints keep the demo behaviour and never open the database."""
    from app.config import settings_dependency

    nowhere = Settings(database_url=f"sqlite:///{tmp_path}/never/created.db", blob_dir=tmp_path / "never")
    app = shop.client.app
    app.dependency_overrides[settings_dependency] = lambda: nowhere  # type: ignore[attr-defined]
    try:
        r = shop.client.post("/v1/orders", json=form("DEMO-1"))
        assert r.status_code == 200 and r.headers["content-type"] == "application/xml"
        assert "Location" not in r.headers
        seller = etree.fromstring(r.content).xpath(
            "//cac:SellerSupplierParty//cbc:RegistrationName/text()",
            namespaces={
                "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
                "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
            },
        )
        assert seller == ["Fjellstua Kurs og Konferanse AS"]
        assert shop.client.post("/v1/invoices", json=form("DEMO-1")).status_code == 200
    finally:
        app.dependency_overrides[settings_dependency] = lambda: shop.settings  # type: ignore[attr-defined]
    assert not (tmp_path / "never").exists()


def test_with_credentials_the_order_is_the_accounts_and_stored(shop: Shop) -> None:
    seller = {**SELLER_NO, "name": "Konto AS", "trading_name": None}
    acc = shop.account(seller)
    r = shop.post(acc, "/v1/orders", form("AUTH-1"))
    assert r.status_code == 201 and r.headers["content-type"] == "application/xml"
    assert b"Konto AS" in r.content and b"Fjellstua" not in r.content
    doc_id = r.headers["X-Nordubl-Document-Id"]
    assert r.headers["Location"] == f"/v1/documents/{doc_id}"
    assert shop.get(acc, f"/v1/documents/{doc_id}.xml").content == r.content
    # the customer was resolved: its number is the buyer's identification
    assert b"K10001" in r.content
    again = shop.post(acc, "/v1/orders", form("AUTH-1"), Accept="application/json")
    assert again.status_code == 200
    assert again.json()["document"]["id"] == int(doc_id) and again.json()["processing"]["replayed"] is True
    # wrong credentials are refused, never served as the demo
    wrong = shop.client.post("/v1/orders", json=form("AUTH-1"), auth=(acc.client_id, "nk_wrong"))
    assert wrong.status_code == 401


def test_a_form_that_breaks_the_contract_is_logged_for_the_owner(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    body = form("BAD-1")
    body["products"][0]["vat_rate"] = "-1"
    r = shop.post(acc, "/v1/shop-orders", body)
    assert r.status_code == 422 and r.json()["issues"][0]["field"] == "products[0].vat_rate"
    (entry,) = shop.errors(acc, order_id="BAD-1")
    assert (
        entry["field"] == "products[0].vat_rate"
        and entry["hint"] == "products[0].vat_rate kan ikke være negativ."  # pydantic's ge=0, in Norwegian
    )
    # a field path longer than the log's column (the shop's own custom field names) is kept, cut
    long_key = "k" * 1000
    body = form("BAD-2")
    body["customer"]["custom_fields"] = {long_key: 5}
    r = shop.post(acc, "/v1/shop-orders", body)
    assert r.status_code == 422 and r.json()["issues"][0]["field"] == f"customer.custom_fields.{long_key}"
    (entry,) = shop.errors(acc, order_id="BAD-2")
    assert entry["field"] == f"customer.custom_fields.{long_key}"[:300]
    r = shop.client.post(
        "/v1/shop-orders", content=b"{not json", auth=acc.auth, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["issues"][0]["code"] == "input.json"


def test_status_updates(shop: Shop) -> None:
    acc = shop.account(SELLER_NO, processing={"invoice_statuses": ["Paid", "completed"]})
    assert shop.post(acc, "/v1/shop-orders", form("SU-1", order_status="pending")).status_code == 201
    r = shop.client.put("/v1/orders/SU-1/status", json={"status": "processing"}, auth=acc.auth)
    assert (
        r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["shop_status"] == "processing"
    )
    r = shop.client.put("/v1/orders/SU-1/status", json={"status": "PAID"}, auth=acc.auth)
    assert r.status_code == 201 and r.json()["status"] == "invoiced"
    assert shop.get(acc, "/v1/orders/SU-1").json()["status"] == "invoiced"
    assert (
        shop.client.put("/v1/orders/NOPE/status", json={"status": "paid"}, auth=acc.auth).status_code == 404
    )
    # a cancelled order that was never invoiced gets no credit note
    assert shop.post(acc, "/v1/shop-orders", form("SU-2")).status_code == 201
    r = shop.client.put("/v1/orders/SU-2/status", json={"status": "cancelled"}, auth=acc.auth)
    assert r.status_code == 200 and [d["kind"] for d in r.json()["documents"]] == ["order"]
    # statuses cannot both invoice and cancel
    r = shop.put(acc, "/v1/account/processing", {"invoice_statuses": ["done"], "cancel_statuses": ["DONE"]})
    assert r.status_code == 422


def test_an_authenticated_credit_note_honours_profile(shop: Shop) -> None:
    """``?profile=`` forced the invoice's profile but was ignored for the account's credit notes."""
    acc = shop.account()
    danish = form("CN-PROFILE-1")
    danish["customer"] |= {"country": "DK", "org_number": "25313763", "company_name": "Tømrer ApS"}
    invoice = shop.post(acc, "/v1/invoices", danish, Accept="application/json")
    assert invoice.status_code == 201, invoice.text
    assert invoice.json()["profile"] == "oioubl"  # a Danish CVR: OIOUBL by default
    credit = shop.client.post(
        "/v1/credit-notes?profile=peppol", json=danish, auth=acc.auth, headers={"Accept": "application/json"}
    )
    assert credit.status_code == 201, credit.text
    assert credit.json()["profile"] == "peppol" and credit.headers["x-nordubl-profile"] == "peppol"
    root = etree.fromstring(credit.json()["xml"].encode())
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext(
        "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}CustomizationID"
    ) == ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
    bad = shop.client.post("/v1/credit-notes?profile=xml", json=danish, auth=acc.auth)
    assert bad.status_code == 422 and bad.json()["issues"][0]["field"] == "query.profile"
