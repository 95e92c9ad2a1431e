"""POST /v1/preview: a shop order through the account's own pipeline with nothing kept, on SQLite and
PostgreSQL. Every table and the blob folder are the same before and after; the documents shown pass the
official rules and carry the numbers the real order then gets."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from goldens import oracle
from shopfixtures import SELLER_NO, Shop, form
from sqlalchemy import inspect, text


def snapshot(shop: Shop) -> dict[str, Any]:
    """Every table's rows and every file of the blob folder."""
    with shop.db.engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        rows = {t: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{t}"')).all())) for t in tables}
    files = sorted(str(p.relative_to(shop.blob_dir)) for p in shop.blob_dir.rglob("*") if p.is_file())
    return {"rows": rows, "files": files}


def test_a_preview_keeps_nothing_and_shows_what_the_order_becomes(shop: Shop, tmp_path: Path) -> None:
    acc = shop.account(SELLER_NO, processing={"invoice_statuses": ["completed"]})
    shop.put(acc, "/v1/account/webhook", {"url": "https://hooks.example.no/nordubl", "secret": "s" * 20})
    order = form("WS-PREVIEW-1", order_status="completed")
    before = snapshot(shop)

    r = shop.client.post("/v1/preview?pdf=true", json=order, auth=acc.auth)
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["preview"] is True and shown["status"] == "invoiced"
    assert shown["customer"]["action"] == "created"
    kinds = [d["kind"] for d in shown["documents"]]
    assert kinds == ["order", "invoice"]
    assert snapshot(shop) == before, "the preview left something behind"

    paths = []
    for d in shown["documents"]:
        path = tmp_path / f"{d['kind']}.xml"
        path.write_text(d["xml"], encoding="utf-8")
        paths.append(path)
    code, results = oracle(paths)
    assert code == 0 and all(res["pass"] for res in results), results
    invoice = shown["documents"][1]
    assert base64.b64decode(invoice["pdf_base64"]).startswith(b"%PDF-")
    assert "pdf_base64" not in shown["documents"][0]  # an order has no PDF

    # the numbers shown are still free: the real order gets them
    real = shop.client.post("/v1/shop-orders", json=order, auth=acc.auth)
    assert real.status_code == 201, real.text
    made = {d["kind"]: d["number"] for d in real.json()["documents"]}
    assert made["invoice"] == invoice["number"]
    assert real.json()["customer"]["number"] == shown["customer"]["number"]


def test_a_preview_answers_the_findings_that_would_block_and_logs_none(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)  # its catalogue knows KURS-01, BOK-01; not this product
    order = form("WS-PREVIEW-2")
    order["products"][0]["product_number"] = "UKJENT-99"
    before = snapshot(shop)
    r = shop.client.post("/v1/preview", json=order, auth=acc.auth)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "product.unknown" in {i["code"] for i in r.json()["issues"]}
    assert snapshot(shop) == before
    assert shop.errors(acc) == []


def test_a_refused_form_is_answered_not_logged(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    before = snapshot(shop)
    r = shop.client.post("/v1/preview", json={"order_id": "WS-3"}, auth=acc.auth)
    assert r.status_code == 422 and {i["field"] for i in r.json()["issues"]} >= {"customer", "products"}
    assert snapshot(shop) == before


def test_a_preview_needs_the_account(shop: Shop) -> None:
    assert shop.client.post("/v1/preview", json=form("WS-4")).status_code == 401
