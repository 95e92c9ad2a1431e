"""Invoice rules: the profile chosen per customer, bad forms refused with a coded error naming the field,
VAT-inclusive (gross) prices whose payable amount equals exactly what the shop charged, credit notes,
HTTP and CLI. Conformance is always the official rules' verdict (the engine), never a re-implementation.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from goldens import c14n
from invoiceforms import FORMS_DIR, SELLER_NO
from lxml import etree

from app import cli
from app.accounts.profile import load_seller
from app.api.main import app
from app.errors import NordublError
from app.forms.loader import load_form_bytes
from app.service import choose_profile, make_invoice

NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
SELLER = load_seller(SELLER_NO)


def base(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FORMS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def form_of(data: dict[str, Any]) -> Any:
    return load_form_bytes(json.dumps(data).encode())


def refused(data: dict[str, Any], **kw: Any) -> NordublError:
    with pytest.raises(NordublError) as exc:
        make_invoice(form_of(data), SELLER, **kw)
    return exc.value


# -- profile choice -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "profile", "reason"),
    [
        ("dk-ean-public", "oioubl", "customer.ean"),
        ("dk-ean-with-cvr", "oioubl", "customer.ean"),
        ("dk-cvr-b2b", "oioubl", "CVR"),
        ("no-b2b-single", "ehf", "Norwegian organisation number"),
        ("no-b2c-basic", "peppol", "no EAN"),
        ("se-b2b", "peppol", "no EAN"),
        ("de-b2c", "peppol", "no EAN"),
    ],
)
def test_profile_chosen_per_customer(name: str, profile: str, reason: str) -> None:
    choice = choose_profile(form_of(base(name)), SELLER)
    assert choice.profile == profile
    assert reason in choice.reason


def test_caller_can_force_a_profile() -> None:
    result = make_invoice(form_of(base("no-b2b-single")), SELLER, profile="peppol")
    assert result.profile == "peppol" and result.choice is not None
    assert "requested" in result.choice.reason
    assert result.report.valid


# -- bad forms --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("drop", "expected"),
    [
        ((), "contact"),  # the contact person: Norwegian "Deres ref."
        (("first_name", "last_name"), "order_id"),  # no contact and no customer number: the order id
    ],
)
def test_peppol_en16931_r003_a_form_without_reference_gets_a_buyer_reference(
    drop: tuple[str, ...], expected: str
) -> None:
    """BT-10 is filled when the form has none (it was refused with input.buyer_reference_missing)."""
    data = base("no-b2b-single")
    del data["customer"]["external_invoice_reference"]
    for name in drop:
        data["customer"].pop(name, None)
    result = make_invoice(form_of(data), SELLER)
    assert result.report.valid
    c = data["customer"]
    want = {"contact": f"{c.get('first_name')} {c.get('last_name')}", "order_id": data["order_id"]}[expected]
    assert etree.fromstring(result.xml).findtext("cbc:BuyerReference", namespaces=NS) == want


def test_forcing_oioubl_without_ean_is_refused() -> None:
    data = base("dk-ean-public")
    del data["customer"]["ean"]
    err = refused(data, profile="oioubl")
    assert [(i.code, i.field) for i in err.issues] == [("input.ean_missing", "customer.ean")]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("org_number", "13585602", "customer.org_number"),  # CVR check digit
        ("ean", "5798009811579", "customer.ean"),  # GLN check digit
    ],
)
def test_bad_check_digits_name_the_field(path: str, value: str, field: str) -> None:
    data = base("dk-ean-with-cvr")
    data["customer"][path] = value
    with pytest.raises(NordublError) as exc:
        form_of(data)
    assert field in [i.field for i in exc.value.issues]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["products"][0].update(vat_rate="21"), "products[0].vat_rate"),
        (lambda d: d["fees"][0].update(vat_rate="8"), "fees[0].vat_rate"),
    ],
)
def test_unknown_vat_rate_for_the_country(mutate: Any, field: str) -> None:
    data = base("no-b2b-fees")
    mutate(data)
    err = refused(data)
    assert [(i.code, i.field) for i in err.issues] == [("input.vat_rate", field)]
    assert "25 %" in (err.issues[0].hint or "")


def test_bad_kid_is_refused() -> None:
    data = base("no-b2b-kid")
    data["payment_id"] = "1234567890"
    err = refused(data)
    assert [(i.code, i.field) for i in err.issues] == [("input.kid", "payment_id")]


def test_credit_note_without_invoice_reference_is_refused() -> None:
    err = refused(base("no-b2b-single"), credit_note=True)
    assert [(i.code, i.field) for i in err.issues] == [
        ("input.credited_invoice_missing", "credited_invoice.id")
    ]


# -- credit notes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["no-b2b-mixed-rates", "dk-ean-with-cvr"])
def test_full_and_partial_credit_notes_reference_the_invoice(name: str) -> None:
    data = base(name)
    invoice = make_invoice(form_of(data), SELLER)
    full = make_invoice(form_of(data), SELLER, credit_note=True, invoice_ref=invoice.document.id)
    partial_data = copy.deepcopy(data)
    partial_data["products"] = partial_data["products"][:1]
    partial_data["products"][0]["quantity"] = "1"
    partial = make_invoice(form_of(partial_data), SELLER, credit_note=True, invoice_ref=invoice.document.id)
    for cn in (full, partial):
        assert cn.report.valid and cn.report.document == "CreditNote"
        root = etree.fromstring(cn.xml)
        assert (
            root.findtext(".//{*}BillingReference/{*}InvoiceDocumentReference/{*}ID") == invoice.document.id
        )
    assert full.document.totals.payable == invoice.document.totals.payable
    assert partial.document.totals.payable < full.document.totals.payable


# -- VAT-inclusive prices -----------------------------------------------------------------------------
def _money(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def charged(data: dict[str, Any]) -> Decimal:
    """What the shop charged: each line's quantity × VAT-inclusive price less its discount, plus fees."""
    total = Decimal(0)
    for p in data["products"]:
        line = _money(Decimal(p["quantity"]) * Decimal(p["price"]))
        if p.get("discount_percent"):
            line -= _money(line * Decimal(p["discount_percent"]) / 100)
        total += line
    return total + sum((Decimal(f["amount"]) for f in data.get("fees", [])), Decimal(0))


def P(price: str, rate: str = "25", qty: str = "1", disc: str | None = None) -> dict[str, Any]:
    p = {
        "product_number": f"P{price}",
        "name": f"Vare {price}",
        "price": price,
        "vat_rate": rate,
        "quantity": qty,
    }
    if disc:
        p["discount_percent"] = disc
    return p


GROSS_CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    "26.10-at-15": ([P("26.10", "15")], []),
    "26.10-x7-at-15": ([P("26.10", "15", "7")], []),
    "mixed-rates": ([P("1299.00"), P("34.90", "15", "3"), P("129.00", "12", "2"), P("299.00", "0")], []),
    "discounts": ([P("999.90", "25", "1", "30"), P("49.90", "25", "3", "10")], []),
    "odd-cents": ([P("0.01"), P("0.03", "15"), P("0.07", "12")], []),
    "three-decimal-qty": ([P("189.90", "15", "0.347"), P("39.90", "15", "1.235")], []),
    "many-small": ([P(f"{9.99 + i:.2f}", ["25", "15", "12"][i % 3], str(1 + i % 4)) for i in range(25)], []),
    "fees": ([P("649.00")], [{"kind": "freight", "amount": "79.00", "vat_rate": "25"}]),
    "fees-mixed": (
        [P("33.33", "15", "3")],
        [
            {"kind": "card", "amount": "9.90", "vat_rate": "25"},
            {"kind": "payment", "amount": "2.99", "vat_rate": "0"},
        ],
    ),
    "price-4-decimals": ([P("33.3350", "25", "3"), P("12.4999", "15", "2")], []),
    "large": ([P("99999.99", "25", "13"), P("0.99", "12", "1000")], []),
    "discount-odd": ([P("26.10", "15", "3", "33.333")], []),
}


@pytest.mark.parametrize("case", list(GROSS_CASES), ids=list(GROSS_CASES))
@pytest.mark.parametrize("profile", ["peppol", "oioubl"])
def test_gross_prices_payable_equals_what_the_shop_charged(case: str, profile: str) -> None:
    products, fees = GROSS_CASES[case]
    data = base("dk-ean-gross" if profile == "oioubl" else "gross-2610-15")
    data["products"], data["fees"] = products, fees
    standard_rates = {p["vat_rate"] for p in products + fees} - {"0"}
    if profile == "oioubl" and len(standard_rates) > 1:
        err = refused(data, profile="oioubl")  # F-LIB315: OIOUBL has one standard rate per invoice
        assert [i.code for i in err.issues] == ["input.oioubl_vat_rates"]
        assert err.issues[0].field and err.issues[0].field.endswith(".vat_rate")
        # not forced, the EAN customer gets Peppol BIS instead, which carries any rates (the reason says why)
        profile = "peppol"
    result = make_invoice(form_of(data), SELLER)
    assert result.profile == profile
    if len(standard_rates) > 1 and data["customer"].get("ean"):
        assert result.choice and "oioubl cannot carry" in result.choice.reason
    assert result.report.valid, sorted(result.report.fatal_codes())  # BR-CO-10/15/17, R120, F-INV128 …
    root = etree.fromstring(result.xml)
    payable = Decimal(root.findtext(".//cbc:PayableAmount", namespaces=NS) or "")
    assert payable == charged(data)
    rounding = root.findtext(".//cbc:PayableRoundingAmount", namespaces=NS)
    assert (rounding is not None) == (result.document.rounding_allocation or "").startswith(
        "payable rounding"
    )
    assert abs(result.document.totals.rounding) <= Decimal("0.05")


# -- HTTP and CLI -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def test_http_invoice_xml_and_json_envelope(client: TestClient) -> None:
    body = (FORMS_DIR / "dk-ean-public.json").read_bytes()
    r = client.post("/v1/invoices", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/xml")
    assert r.headers["x-nordubl-profile"] == "oioubl"
    golden = FORMS_DIR.parent.parent / "expected" / "invoices" / "dk-ean-public.oioubl.xml"
    assert c14n(r.content) == c14n(golden.read_bytes())
    j = client.post("/v1/invoices", content=body, headers={"accept": "application/json"})
    env = j.json()
    assert env["profile_choice"]["profile"] == "oioubl" and "customer.ean" in env["profile_choice"]["reason"]
    assert env["ruleset"] == "oioubl-invoice" and env["xml"].startswith("<?xml")


def test_http_credit_note_and_forced_profile(client: TestClient) -> None:
    body = (FORMS_DIR / "no-b2b-single.json").read_bytes()
    r = client.post(
        "/v1/credit-notes?invoice_ref=F-1001&profile=peppol",
        content=body,
        headers={"accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    env = r.json()
    assert env["document"] == "CreditNote" and env["profile"] == "peppol"
    assert "<cbc:ID>F-1001</cbc:ID>" in env["xml"]


def test_http_problem_json_names_the_field(client: TestClient) -> None:
    data = base("no-b2b-single")
    data["customer"]["company_name"] = "Nordic\x0bTrade AS"  # a vertical tab: no XML can carry it
    r = client.post("/v1/invoices", json=data)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    issue = r.json()["issues"][0]
    assert (issue["code"], issue["field"]) == ("input.control_character", "customer.company_name")
    assert "U+000B" in issue["message"] and issue["hint"]
    r = client.post("/v1/invoices?profile=xml", json=data)
    assert r.status_code == 422  # not a profile: refused by the query contract


def test_cli_invoice(tmp_path: Any) -> None:
    out = tmp_path / "cn.xml"
    form = str(FORMS_DIR / "se-b2b.json")
    assert (
        cli.main(["invoice", form, "--credit-note", "--invoice-ref", "F-4001", "-o", str(out)]) == cli.EXIT_OK
    )
    assert etree.fromstring(out.read_bytes()).tag.endswith("CreditNote")
    buf = io.StringIO()
    assert cli.main(["invoice", form, "--profile", "oioubl"], out=buf) == cli.EXIT_INVALID
    assert buf.getvalue() == ""
    assert cli.main(["invoice", str(tmp_path / "missing.json")]) == cli.EXIT_USAGE
