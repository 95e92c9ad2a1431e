"""Property test: random valid forms become, in every profile, documents that pass the official rules,
and with VAT-inclusive prices the payable amount is exactly what the shop charged.

Examples per profile: NORDUBL_HYPOTHESIS_EXAMPLES (default 200).
"""

from __future__ import annotations

import os
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from invoiceforms import SELLER_NO

from app.accounts.profile import load_seller
from app.forms.models import RegistrationForm
from app.service import make_invoice

EXAMPLES = int(os.environ.get("NORDUBL_HYPOTHESIS_EXAMPLES", "200"))
SELLER = load_seller(SELLER_NO)

CUSTOMERS: dict[str, dict[str, Any]] = {
    "ehf": {
        "country": "NO",
        "org_number": "974760673",
        "company_name": "Kunde AS",
        "first_name": "Kari",
        "last_name": "Nordmann",
        "external_invoice_reference": "PO-1",
    },
    "peppol": {
        "country": "SE",
        "org_number": "5560360793",
        "company_name": "Kund AB",
        "first_name": "Anna",
        "last_name": "Svensson",
        "external_invoice_reference": "P-17",
    },
    "oioubl": {
        "country": "DK",
        "company_name": "Skolen",
        "first_name": "Hans",
        "last_name": "Hansen",
        "ean": "5798009811578",
        "ean_requisition": "REK-1",
        "ean_reference_person": "Hans Hansen",
    },
}

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
price = st.one_of(money, st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999"), places=4))
quantity = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("500"), places=3)
rate = st.sampled_from(["25", "15", "12", "0"])
discount = st.one_of(st.none(), st.decimals(min_value=Decimal("0.5"), max_value=Decimal("90"), places=1))


@st.composite
def forms(draw: st.DrawFn, profile: str) -> dict[str, Any]:
    rates = rate if profile != "oioubl" else st.sampled_from(["25", "0"])  # F-LIB315: one standard rate
    products = [
        {
            "product_number": f"P{i}",
            "name": f"Vare {i}",
            "price": str(draw(price)),
            "vat_rate": draw(rates),
            "quantity": str(draw(quantity)),
            **({"discount_percent": str(d)} if (d := draw(discount)) else {}),
        }
        for i in range(draw(st.integers(1, 6)))
    ]
    fees = [
        {
            "kind": draw(st.sampled_from(["freight", "payment", "card"])),
            "amount": str(draw(money)),
            "vat_rate": draw(rates),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    form: dict[str, Any] = {
        "order_id": "H-1",
        "order_date": "2026-11-20",
        "currency": "DKK" if profile == "oioubl" else "NOK",
        "customer": CUSTOMERS[profile],
        "products": products,
        "fees": fees,
        "prices_include_vat": draw(st.booleans()),
    }
    if draw(st.booleans()):
        form["payment"] = {"status": "paid", "method": "card", "reference": "R-1"}
    return form


def _charged(form: dict[str, Any]) -> Decimal:
    def m(v: Decimal) -> Decimal:
        return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    total = Decimal(0)
    for p in form["products"]:
        line = m(Decimal(p["quantity"]) * Decimal(p["price"]))
        if "discount_percent" in p:
            line -= m(line * Decimal(p["discount_percent"]) / 100)
        total += line
    return total + sum((Decimal(f["amount"]) for f in form["fees"]), Decimal(0))


@pytest.mark.parametrize("profile", ["ehf", "peppol", "oioubl"])
def test_random_forms_pass_the_official_rules(profile: str) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(forms(profile))
    def check(data: dict[str, Any]) -> None:
        form = RegistrationForm.model_validate(data)
        credit = data["order_id"] == "H-1" and len(data["products"]) == 1  # some credit notes too
        result = make_invoice(form, SELLER, profile=profile, credit_note=credit, invoice_ref="H-0")
        assert result.report.valid, sorted(result.report.fatal_codes())
        totals = result.document.totals
        if data["prices_include_vat"]:
            assert totals.tax_inclusive + totals.rounding == _charged(data)

    check()
