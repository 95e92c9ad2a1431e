"""The catalogue: products and fee mappings by API and CLI (JSON, CSV); bad input never crashes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from shopfixtures import SELLER_NO, Shop

from app.cli import main


def test_put_and_get_products_and_fees(shop: Shop) -> None:
    acc = shop.account(SELLER_NO, catalogue=False)
    assert shop.get(acc, "/v1/catalogue/products").json() == {"products": []}
    body = {"products": [{"product_number": "A-1", "name": "A", "vat_rate": "12.50"}]}
    r = shop.put(acc, "/v1/catalogue/products", body)
    assert r.status_code == 200
    assert r.json()["products"] == [
        {
            "product_number": "A-1",
            "erp_item": "A-1",
            "name": "A",
            "vat_rate": "12.5",
            "active": True,
            "origin": "import",
        }
    ]
    # PUT replaces the list: A-1 is gone
    r = shop.put(
        acc, "/v1/catalogue/products", {"products": [{"product_number": "B-1", "name": "B", "vat_rate": "0"}]}
    )
    assert [p["product_number"] for p in r.json()["products"]] == ["B-1"]
    fees = {
        "fees": [
            {"kind": "card", "item": "9100"},
            {"kind": "freight", "charge_code": "FC", "reason": "Frakt"},
        ]
    }
    r = shop.put(acc, "/v1/catalogue/fees", fees)
    assert r.status_code == 200 and [f["kind"] for f in r.json()["fees"]] == ["card", "freight"]
    other = shop.account(SELLER_NO, catalogue=False)
    assert shop.get(other, "/v1/catalogue/fees").json() == {"fees": []}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fees": [{"kind": "card", "item": "9100", "charge_code": "ABK"}]}, "fees[0]"),
        ({"fees": [{"kind": "card"}]}, "fees[0]"),
        ({"fees": [{"kind": "tips", "item": "1"}]}, "fees[0].kind"),
        ({"fees": [{"kind": "card", "charge_code": "abk"}]}, "fees[0].charge_code"),
        ({"fees": [{"kind": "card", "item": "1"}, {"kind": "card", "item": "2"}]}, "fees[1].kind"),
    ],
)
def test_bad_fee_mappings_are_refused_with_the_field(shop: Shop, body: dict, field: str) -> None:  # type: ignore[type-arg]
    acc = shop.accounts[0] if shop.accounts else shop.account(SELLER_NO, catalogue=False)
    r = shop.put(acc, "/v1/catalogue/fees", body)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["issues"][0]["field"] == field


def test_bad_products_are_refused_with_the_field(shop: Shop) -> None:
    acc = shop.account(SELLER_NO, catalogue=False)
    r = shop.put(
        acc, "/v1/catalogue/products", {"products": [{"product_number": "X", "name": "X", "vat_rate": "101"}]}
    )
    assert r.status_code == 422 and r.json()["issues"][0]["field"] == "products[0].vat_rate"
    dup = {"products": [{"product_number": "X", "name": "X", "vat_rate": "25"}] * 2}
    r = shop.put(acc, "/v1/catalogue/products", dup)
    assert r.status_code == 422 and r.json()["issues"][0] == {
        "code": "catalogue.duplicate",
        "severity": "fatal",
        "message": "products[1].product_number 'X' is given twice (also products[0]).",
        "field": "products[1].product_number",
        "hint": "Give each one once.",
        "value": "X",
    }
    assert shop.client.get("/v1/catalogue/products").status_code == 401


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out)
    return code, out.getvalue()


def test_cli_imports_csv_and_json(shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    acc = shop.account(SELLER_NO, catalogue=False)
    csv_file = tmp_path / "products.csv"
    csv_file.write_text(
        "product_number;erp_item;name;vat_rate;active\nKURS-01;1001;Kurs;25;ja\nMAT;2002;Mat;12,5;0\n",
        encoding="utf-8",
    )
    db = ["--account", acc.client_id, "--database-url", shop.db.url]
    code, out = _cli("catalogue", "import", str(csv_file), *db)
    assert code == 0 and "2 products read; the account has 2 products" in out
    products = {p["product_number"]: p for p in shop.get(acc, "/v1/catalogue/products").json()["products"]}
    assert products["MAT"]["vat_rate"] == "12.5" and products["MAT"]["active"] is False
    assert products["KURS-01"]["erp_item"] == "1001"

    fees = tmp_path / "fees.json"
    fees.write_text(json.dumps([{"kind": "freight", "item": "9001"}]), encoding="utf-8")
    code, out = _cli("catalogue", "import", str(fees), "--fees", *db)
    assert code == 0
    code, out = _cli("catalogue", "show", "--fees", *db)
    assert code == 0 and json.loads(out) == {
        "fees": [{"kind": "freight", "item": "9001", "charge_code": None, "reason": None}]
    }

    # --replace removes what the file does not name
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"products": [{"product_number": "MAT", "name": "Mat", "vat_rate": "15"}]}))
    assert _cli("catalogue", "import", str(one), "--replace", *db)[0] == 0
    assert [p["product_number"] for p in shop.get(acc, "/v1/catalogue/products").json()["products"]] == [
        "MAT"
    ]


def test_cli_reports_bad_files_by_field(
    shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acc = shop.account(SELLER_NO, catalogue=False)
    db = ["--account", str(acc.id), "--database-url", shop.db.url]
    bad = tmp_path / "bad.csv"
    bad.write_text("product_number,name,vat_rate\nA,A,25\nB,,abc\n", encoding="utf-8")
    assert _cli("catalogue", "import", str(bad), *db)[0] == 1
    err = capsys.readouterr().err
    assert "[field products[1].name]" in err and "[field products[1].vat_rate]" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert _cli("catalogue", "import", str(broken), *db)[0] == 1
    assert "input.json" in capsys.readouterr().err
    assert _cli("catalogue", "import", str(tmp_path / "missing.json"), *db)[0] == 2
    assert (
        _cli("catalogue", "import", str(bad), "--account", "nc_nobody", "--database-url", shop.db.url)[0] == 1
    )
    assert "account.not_found" in capsys.readouterr().err
    assert shop.get(acc, "/v1/catalogue/products").json() == {"products": []}
