"""The values the template prints, straight from the view (no rendering): payment ids, account formats,
prices per base quantity, signs of allowances, VAT categories, the accounting-currency VAT."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from pdfcheck import OWN, STANDARDS

from app.document.model import PaymentMeans
from app.pdf.view import invoice_view
from app.reader import read_document

ALLOWANCES = STANDARDS / "peppol-2026.5/examples/billing/Allowance-example.xml"


def rows(view: dict, index: int = 0) -> dict[str, str]:
    return {r["label"]: r["value"] for r in view["payments"][index]["rows"]}


def test_norwegian_payment_kid_and_account() -> None:
    doc = read_document((OWN / "no-b2b-kid.ehf.xml").read_bytes())
    assert rows(invoice_view(doc, "nb")) == {"Kontonr.": "1503.20.80119", "KID": "1234567897"}
    not_kid = replace(
        doc, payment_means=replace(doc.payment_means, payment_id="1234567890")
    )  # bad check digit
    assert rows(invoice_view(not_kid, "en")) == {
        "Account no.": "1503.20.80119",
        "Payment reference": "1234567890",
    }


def test_danish_fik_and_bank_registration_number() -> None:
    doc = read_document((STANDARDS / "oioubl-1.17.2/examples/OIOUBL_Invoice_v2p2.xml").read_bytes())
    assert rows(invoice_view(doc, "da")) == {"Reg.nr.": "1234", "Kontonr.": "1234567890"}
    fik = PaymentMeans(
        code="93",
        channel="DK:FIK",
        payment_id="71",
        instruction_id="000000000012345",
        creditor_account="87654321",
    )
    view = invoice_view(replace(doc, payment_means=fik), "da")
    assert rows(view) == {"FIK": "+71<000000000012345+87654321<"}
    assert view["payments"][0]["means"] == "Indbetalingskort"


def test_iban_bic_price_base_quantity_allowances_and_accounting_vat() -> None:
    doc = read_document(ALLOWANCES.read_bytes())
    doc = replace(
        doc, payment_means=replace(doc.payment_means, account="NO9386011117947", account_is_iban=True)
    )
    view = invoice_view(doc, "en")
    assert rows(view) == {
        "IBAN": "NO93 8601 1117 947",
        "BIC": "BIC324098",
        "Payment reference": "Snippet1",
        "Account holder": "AccountName",
    }
    assert view["payments"][0]["means"] == "Credit transfer"  # BT-82 from the document
    second = view["lines"][1]
    assert second["price"] == "200.00 per 2 pcs" and second["quantity"] == "10" and second["vat"] == "E"
    first = view["lines"][0]
    assert [a["amount"] for a in first["allowances"]] == ["1.00", "-101.00"]
    assert "List price 450.00 \u2212 price discount 40.00" in first["details"]
    assert [a["amount"] for a in view["doc_allowances"]] == ["200.00", "-200.00"]
    assert view["vat_accounting"] == {"label": "VAT in SEK", "value": "SEK\u00a09,324.00"}
    assert [r["label"] for r in view["vat"]] == ["25%", "Exempt 0%"]
    assert {"label": "Discounts", "value": "-200.00"} in view["totals"]


def test_category_o_prints_no_rate_and_reason_codes_print() -> None:
    doc = read_document((STANDARDS / "peppol-2026.5/examples/billing/vat-category-O.xml").read_bytes())
    (vat,) = invoice_view(doc, "nb")["vat"]
    assert vat["label"] == "Utenfor mva-området"
    doc = read_document((STANDARDS / "peppol-2026.5/examples/billing/vat-category-E.xml").read_bytes())
    (vat,) = invoice_view(doc, "sv")["vat"]
    assert vat["label"].startswith("Undantagen") and "VATEX-EU-F" in vat["reason"]
    assert Decimal(0) == doc.tax_subtotals[0].tax
