"""A Danish seller's invoice PDF says when and where to pay, for every bank setting and both profiles
(the invoices had no PaymentMeans and no due date, so the PDF said neither)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pdfcheck import flat, page_texts

from app.accounts.profile import load_seller
from app.config import PROJECT_ROOT
from app.forms.loader import load_form_bytes
from app.pdf import render_pdf
from app.pdf.worker import PdfPool
from app.service import make_invoice
from app.validation.engine import Engine

SELLER_DK = load_seller(PROJECT_ROOT / "fixtures" / "accounts" / "demo-dk.json")

#: bank setting → what the da PDF must show: any one of the alternatives, each all of its texts (OIOUBL
#: writes a Danish IBAN without BIC as registration and account number, 42 DK:BANK)
SETTINGS: dict[str, tuple[dict[str, Any], tuple[tuple[str, ...], ...]]] = {
    "iban-no-bic": (
        {"iban": "DK5000400440116243"},
        (("IBAN", "DK50 0040 0440 1162 43"), ("REG.NR.", "0040", "0440116243")),
    ),
    "domestic": ({"bank_account": "4000 0440116243"}, (("REG.NR.", "4000", "0440116243"),)),
    "fik-71": ({"fik_creditor": "12345678", "fik_card_type": "71"}, (("FIK", "+71<", "+12345678<"),)),
}


@pytest.mark.parametrize("buyer", ["private", "cvr"])
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_the_pdf_says_when_and_where_to_pay(
    setting: str, buyer: str, validation_engine: Engine, pool: PdfPool
) -> None:
    bank, shown = SETTINGS[setting]
    seller = SELLER_DK.model_copy(update={"iban": None, "bic": None, **bank})
    customer: dict[str, Any] = {"first_name": "Mette", "last_name": "Jensen", "country": "DK"}
    if buyer == "cvr":
        customer |= {"company_name": "Tømrer ApS", "org_number": "25313763"}
    form = {
        "order_id": "PDF-1",
        "order_date": "2026-11-20",
        "currency": "DKK",
        "customer": customer,
        "products": [
            {"product_number": "K", "name": "Kursus", "price": "1000", "vat_rate": "25", "quantity": "1"}
        ],
    }
    result = make_invoice(load_form_bytes(json.dumps(form).encode()), seller, engine=validation_engine)
    text = flat(" ".join(page_texts(render_pdf(result.xml, "da", pool=pool)))).upper()
    assert "FORFALDSDATO" in text and "20.12.2026" in text  # when: the due date (30 days)
    assert any(all(flat(s).upper() in text for s in texts) for texts in shown), (result.profile, text[:3000])
