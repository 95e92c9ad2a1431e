"""The UBL reader: every term the PDF shows is read, in Peppol BIS / EHF and OIOUBL alike; bad input gets
coded errors (``xml.*`` from the safe parser, ``reader.*`` from the reader)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pdfcheck import EXAMPLES, OWN, STANDARDS, example_id

from app.document.model import Identifier
from app.errors import NordublError
from app.reader import read_document

NORWEGIAN = STANDARDS / "peppol-2026.5/examples/billing-NO/Norwegian-example-1.xml"
OIOUBL_INVOICE = STANDARDS / "oioubl-1.17.2/examples/OIOUBL_Invoice_v2p2.xml"
OIOUBL_CREDIT = STANDARDS / "oioubl-1.17.2/examples/OIOUBL_CreditNote_v2p2.xml"
ALLOWANCES = STANDARDS / "peppol-2026.5/examples/billing/Allowance-example.xml"


@pytest.mark.parametrize("path", EXAMPLES, ids=example_id)
def test_every_example_reads_with_consistent_totals(path) -> None:
    doc = read_document(path.read_bytes())
    t = doc.totals
    assert doc.id and doc.lines and doc.seller.name and doc.buyer.name
    assert sum(ln.net_amount for ln in doc.lines) == t.line_extension  # BR-CO-10
    assert t.line_extension - t.allowance_total + t.charge_total == t.tax_exclusive  # BR-CO-13
    assert sum(s.tax for s in doc.tax_subtotals) == t.tax_total  # BR-CO-14
    assert t.tax_exclusive + t.tax_total == t.tax_inclusive  # BR-CO-15
    assert t.tax_inclusive - t.prepaid + t.rounding == t.payable  # BR-CO-16


def test_norwegian_example_keeps_every_term_the_pdf_shows() -> None:
    doc = read_document(NORWEGIAN.read_bytes())
    assert (doc.kind, doc.id, doc.issue_date, doc.due_date) == (
        "invoice",
        "TOSL108",
        date(2013, 6, 30),
        date(2013, 7, 20),
    )
    assert (doc.type_code, doc.tax_point_date, doc.currency) == ("380", date(2013, 6, 30), "NOK")
    assert (doc.buyer_reference, doc.order_reference, doc.accounting_cost) == (
        "3150bdn",
        "123",
        "Project cost code 123",
    )
    assert doc.invoice_period is not None and doc.invoice_period.start == date(2013, 6, 1)
    assert [(r.term, r.id) for r in doc.references] == [
        ("BT-12", "Contract321"),
        ("BT-122", "Doc1"),
        ("BT-122", "Doc2"),
    ]
    s = doc.seller
    assert (s.name, s.registration_name, s.vat_id, s.legal_form) == (
        "Salescompany ltd.",
        "The Sellercompany ASA",
        "NO123456785MVA",
        "Foretaksregisteret",
    )
    assert s.legal_id == Identifier("123456785", "0192") and s.endpoint == Identifier("123456785", "0192")
    assert s.identifiers == (Identifier("1238764941386", "0088"),)
    assert (
        s.address.subdivision == "RegionA"
        and s.contact is not None
        and s.contact.name == "Antonio Salesmacher"
    )
    assert doc.payee is not None and doc.payee.name == "Ebeneser Scrooge AS"
    assert doc.tax_representative is not None and doc.tax_representative.vat_id == "NO999999999MVA"
    assert doc.delivery is not None and doc.delivery.actual_date == date(2013, 6, 15)
    assert doc.delivery.location_id == Identifier("6754238987643", "0088")
    pm = doc.payment_means
    assert pm is not None and (pm.code, pm.account, pm.bic, pm.payment_id) == (
        "31",
        "NO9386011117947",
        "DNBANOKK",
        "0003434323213231",
    )
    assert pm.account_is_iban
    assert [(a.charge, a.amount, a.reason, a.reason_code) for a in doc.allowance_charges] == [
        (True, Decimal("100"), "Freight", "FC"),
        (False, Decimal("100"), "Promotion discount", "95"),
    ]
    assert [(s.category.code, s.category.percent, s.taxable, s.tax) for s in doc.tax_subtotals] == [
        ("S", Decimal("25"), Decimal("1460.5"), Decimal("365.13")),
        ("S", Decimal("15"), Decimal("1"), Decimal("0.15")),
        ("E", Decimal("0"), Decimal("-25"), Decimal("0")),
    ]
    assert doc.tax_subtotals[2].category.exemption_reason == "Exempt New Means of Transport"
    assert (doc.totals.prepaid, doc.totals.rounding, doc.totals.payable) == (
        Decimal("1000"),
        Decimal("0.22"),
        Decimal("802.00"),
    )
    first = doc.lines[0]
    assert (first.gross_price, first.price_discount, first.base_quantity) == (
        Decimal("1500"),
        Decimal("227"),
        Decimal("1"),
    )
    assert first.standard_item_id == Identifier("1234567890124", "0088")
    assert first.attributes == (("Color", "Black"),) and first.note == "Scratch on box"
    assert first.order_line_reference == "1" and first.accounting_cost == "BookingCode001"
    assert [(a.charge, a.amount) for a in first.allowances] == [(False, Decimal("12")), (True, Decimal("12"))]
    assert doc.lines[1].quantity == Decimal("-1") and doc.lines[1].tax.percent == Decimal("15")


def test_allowance_example_reads_accounting_currency_and_base_quantity() -> None:
    doc = read_document(ALLOWANCES.read_bytes())
    assert (doc.tax_currency, doc.tax_total_accounting, doc.totals.tax_total) == (
        "SEK",
        Decimal("9324.00"),
        Decimal("1225.00"),
    )
    assert doc.lines[1].base_quantity == Decimal("2") and doc.lines[1].period is not None
    assert doc.seller.company_legal_form == "AdditionalLegalInformation"  # BT-33
    assert ("BT-18", "DR35141") in [(r.term, r.id) for r in doc.references]  # DocumentTypeCode 130


def test_oioubl_invoice_maps_schemes_totals_and_danish_payment() -> None:
    doc = read_document(OIOUBL_INVOICE.read_bytes())
    # OIOUBL scheme ids → ICD codes: DK:CVR → 0184 (without the DK prefix), GLN → 0088
    assert doc.seller.legal_id == Identifier("16356706", "0184")
    assert doc.buyer.endpoint == Identifier("5798009811578", "0088")
    assert doc.seller.address.street == "Leverandørvej 11"  # StreetName + BuildingNumber
    # OIOUBL TaxExclusiveAmount is the VAT total; BT-109 is derived
    assert (doc.totals.tax_exclusive, doc.totals.tax_total, doc.totals.tax_inclusive) == (
        Decimal("5050.00"),
        Decimal("1262.50"),
        Decimal("6312.50"),
    )
    assert doc.due_date == date(2005, 11, 25)  # PaymentMeans/PaymentDueDate
    pm = doc.payment_means
    assert pm is not None and (pm.code, pm.channel, pm.account, pm.bic) == (
        "42",
        "DK:BANK",
        "1234567890",
        "1234",
    )
    assert doc.lines[0].tax.code == "S" and doc.lines[0].tax.percent == Decimal("25")  # line TaxTotal
    assert doc.lines[0].line_tax == Decimal("1250.00")
    assert doc.order_reference == "5002701"


def test_oioubl_credit_note_reads_reference_and_reason() -> None:
    doc = read_document(OIOUBL_CREDIT.read_bytes())
    assert doc.kind == "creditnote" and doc.billing_reference is not None
    assert (doc.billing_reference.id, doc.billing_reference.issue_date) == ("A00095678", date(2005, 11, 20))
    assert doc.credit_reason == "Modregning af forkert faktura"


def test_f_inv128_own_oioubl_rounding_is_taken_out_of_tax_inclusive() -> None:
    for path in sorted(OWN.glob("*.oioubl.xml")):
        t = read_document(path.read_bytes()).totals
        assert t.tax_exclusive + t.tax_total == t.tax_inclusive, path.name  # F-INV128 undone


def _refused(data: bytes) -> str:
    with pytest.raises(NordublError) as err:
        read_document(data)
    return err.value.issues[0].code


def test_hostile_and_unreadable_documents_get_codes() -> None:
    base = NORWEGIAN.read_bytes()
    assert _refused(b"") == "xml.empty"
    assert (
        _refused(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
        == "xml.doctype_forbidden"
    )
    assert _refused(b"<Invoice") == "xml.malformed"
    order = (STANDARDS / "peppol-2026.5/examples/order/Order_Example.xml").read_bytes()
    assert _refused(order) == "reader.unsupported"
    assert _refused(base.replace(b"<cbc:ID>TOSL108</cbc:ID>", b"")) == "reader.missing"
    assert _refused(base.replace(b">802.00<", b">eight hundred<")) == "reader.number"
    assert _refused(base.replace(b"<cbc:IssueDate>2013-06-30", b"<cbc:IssueDate>30.06.2013")) == "reader.date"
