"""Defects of the breadth review, each refused or fixed where a shop owner can act on it: amounts past
Decimal's precision, control characters, the one rounding rule, identifiers from shop custom fields, a
company without a contact person, and the profile a seller's order gets."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from app import cli
from app.accounts.profile import load_seller
from app.accounts.settings import CustomerSettings
from app.config import PROJECT_ROOT
from app.document.buyer import identify
from app.document.invoice import NET_PRICE_PLACES, build_document
from app.document.model import round_half_up
from app.errors import NordublError
from app.forms.loader import load_form_bytes
from app.service import make_invoice, make_order
from app.validation.engine import Engine

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
ACCOUNTS = PROJECT_ROOT / "fixtures" / "accounts"
SELLER_NO = load_seller(ACCOUNTS / "demo-no.json")
SELLER_DK = load_seller(ACCOUNTS / "demo-dk.json")
SELLER_SE = load_seller(ACCOUNTS / "demo-se.json")


def _form(**customer: Any) -> dict[str, Any]:
    return {
        "order_id": "BR-1",
        "order_date": "2026-11-20",
        "currency": "DKK",
        "customer": {"first_name": "Mette", "last_name": "Jensen", "country": "DK", **customer},
        "products": [
            {"product_number": "K1", "name": "Kursus", "price": "1000", "vat_rate": "25", "quantity": "1"}
        ],
    }


def _load(data: dict[str, Any]) -> Any:
    return load_form_bytes(json.dumps(data).encode())


def _refusal(data: dict[str, Any]) -> list[tuple[str, str | None]]:
    with pytest.raises(NordublError) as err:
        _load(data)
    assert err.value.status == 422
    return [(i.code, i.field) for i in err.value.issues]


def test_an_amount_past_decimal_precision_is_refused_naming_the_line() -> None:
    """quantity × price within the form's digit limits (up to 10^25) made money() raise InvalidOperation: 500."""
    data = _form()
    data["products"][0] |= {"price": "99999999999999.9999", "quantity": "99999999999.9999"}
    assert _refusal(data) == [("input.amount_too_large", "products[0].quantity")]


def test_a_total_past_the_largest_amount_is_refused() -> None:
    data = _form()
    line = {"product_number": "K", "name": "K", "price": "99999999999999", "vat_rate": "25", "quantity": "9"}
    data["products"] = [line] * 2
    assert _refusal(data) == [("input.amount_too_large", "products")]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("customer.first_name", "Met\x01te"),
        ("customer.company_name", "Kom\x0bmune"),
        ("products[0].name", "Kursus\x1f"),
        ("note", "Tak\ufffe"),
        ("customer.custom_fields.cvr", "1\x00"),
    ],
)
def test_a_control_character_is_refused_naming_the_field(path: str, value: str) -> None:
    """XML 1.0 cannot carry C0 controls (but tab, CR, LF) nor U+FFFE: the form said xml.malformed before."""
    data = _form()
    if path == "customer.custom_fields.cvr":
        data["customer"]["custom_fields"] = {"cvr": value}
    elif path == "products[0].name":
        data["products"][0]["name"] = value
    elif path == "note":
        data["note"] = value
    else:
        data["customer"][path.split(".")[1]] = value
    assert _refusal(data) == [("input.control_character", path)]


def test_the_cli_prints_one_line_per_issue_for_an_amount_too_large(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _form()
    data["products"][0] |= {"price": "99999999999999.9999", "quantity": "99999999999.9999"}
    form = tmp_path / "form.json"
    form.write_text(json.dumps(data))
    argv = ["invoice", str(form), "--account", str(ACCOUNTS / "demo-dk.json"), "-o", str(tmp_path / "x")]
    assert cli.main(argv, io.StringIO()) == cli.EXIT_INVALID
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "input.amount_too_large" in lines[0] and "products[0].quantity" in lines[0]
    assert not (tmp_path / "x").exists()


def test_one_rounding_rule_half_up() -> None:
    """A tie rounds away from zero everywhere (the net price of a VAT-inclusive line was half-even)."""
    assert round_half_up(Decimal("0.0000025"), Decimal("0.000001")) == Decimal("0.000003")
    assert round_half_up(Decimal("0.00625"), NET_PRICE_PLACES) == Decimal("0.0063")
    # a discounted line's net unit price: 0.08 − 37.5 % = 0.05 for 8 units = 0.00625 → 0.0063 (not 0.0062)
    data = _form()
    data["products"][0] |= {"price": "0.01", "quantity": "8", "discount_percent": "37.5"}
    doc = build_document(_load(data), SELLER_DK, "invoice")
    assert doc.lines[0].net_amount == Decimal("0.05") and doc.lines[0].net_price == Decimal("0.0063")


def test_a_cvr_from_a_shop_custom_field_reaches_the_document(validation_engine: Engine) -> None:
    """The account names the custom field that carries the CVR (source 001): the customer was identified by
    it, but the document was built from customer.org_number only."""
    form = _load(_form(company_name="Tømrer ApS", custom_fields={"cvr": "25313763"}))
    buyer = identify(form, rules=CustomerSettings(company_number_field="cvr"))
    assert buyer.kind == "company" and buyer.legal_id is not None and buyer.legal_id.value == "25313763"
    result = make_invoice(form, SELLER_DK, buyer=buyer, engine=validation_engine)
    assert result.profile == "oioubl"  # a Danish CVR: OIOUBL
    root = etree.fromstring(result.xml)
    legal = root.find("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
    assert legal is not None and (legal.get("schemeID"), legal.text) == ("DK:CVR", "DK25313763")


def test_an_ean_from_a_shop_custom_field_reaches_the_document(validation_engine: Engine) -> None:
    form = _load(_form(company_name="Kommune", custom_fields={"ean": "5798009882806"}))
    buyer = identify(form, rules=CustomerSettings(ean_field="ean"))
    result = make_invoice(form, SELLER_DK, buyer=buyer, engine=validation_engine)
    endpoint = etree.fromstring(result.xml).find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS)
    assert endpoint is not None and (endpoint.get("schemeID"), endpoint.text) == ("GLN", "5798009882806")


def test_f_inv046_a_company_without_contact_person_is_accepted(validation_engine: Engine) -> None:
    data = _form(company_name="Tømrer ApS", org_number="25313763")
    del data["customer"]["first_name"], data["customer"]["last_name"]
    result = make_invoice(_load(data), SELLER_DK, engine=validation_engine)
    assert result.report.valid
    root = etree.fromstring(result.xml)
    # OIOUBL needs a buyer Contact (F-INV046): its ID is the buyer reference, here the order id
    assert root.findtext("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID", namespaces=NS) == "BR-1"


def test_a_customer_without_any_name_is_refused() -> None:
    data = _form(email="x@example.dk")
    del data["customer"]["first_name"], data["customer"]["last_name"]
    assert _refusal(data) == [("input.customer_name", "customer")]


@pytest.mark.parametrize(
    ("seller", "profile", "customization"),
    [
        (
            SELLER_NO,
            "ehf",
            "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0",
        ),
        (SELLER_DK, "peppol", "urn:fdc:peppol.eu:poacc:trns:order:3"),
        (SELLER_SE, "peppol", "urn:fdc:peppol.eu:poacc:trns:order:3"),
    ],
    ids=["NO", "DK", "SE"],
)
def test_ehf_t01_b06901_the_order_profile_follows_the_seller(
    seller: Any, profile: str, customization: str, validation_engine: Engine
) -> None:
    """A Danish or Swedish seller's order was written as an EHF order (EHF-T01-B06901)."""
    result = make_order(_load(_form(email="m@example.dk")), seller, engine=validation_engine)
    assert result.profile == profile
    assert etree.fromstring(result.xml).findtext("cbc:CustomizationID", namespaces=NS) == customization


def test_forcing_an_ehf_order_for_a_danish_seller_is_refused_with_a_hint() -> None:
    with pytest.raises(NordublError) as err:
        make_order(_load(_form(email="m@example.dk")), SELLER_DK, profile="ehf")
    issue = err.value.issues[0]
    assert (issue.code, issue.field) == ("input.profile", "profile") and "peppol" in (issue.hint or "")


def test_an_order_carries_the_fees_and_asks_what_the_invoice_asks(validation_engine: Engine) -> None:
    data = _form(email="m@example.dk")
    data["fees"] = [{"kind": "freight", "amount": "49.00", "vat_rate": "25"}]
    form = _load(data)
    order = make_order(form, SELLER_DK, engine=validation_engine)
    invoice = make_invoice(form, SELLER_DK, engine=validation_engine)
    assert order.document.totals.payable == invoice.document.totals.payable == Decimal("1311.25")
    root = etree.fromstring(order.xml)
    assert root.findtext("cac:AllowanceCharge/cbc:Amount", namespaces=NS) == "49.00"
    assert root.findtext("cac:AnticipatedMonetaryTotal/cbc:ChargeTotalAmount", namespaces=NS) == "49.00"


#: A Danish seller's bank settings → (Peppol BIS code and PaymentID, OIOUBL code and channel)
DK_PAYMENTS: dict[str, tuple[dict[str, Any], tuple[str, str | None], tuple[str, str]]] = {
    "iban-no-bic": ({"iban": "DK5000400440116243"}, ("58", None), ("42", "DK:BANK")),
    "iban-bic": ({"iban": "DK5000400440116243", "bic": "DABADKKK"}, ("58", None), ("31", "IBAN")),
    "domestic": ({"bank_account": "4000 0440116243"}, ("42", None), ("42", "DK:BANK")),
    "fik-71": ({"fik_creditor": "12345678", "fik_card_type": "71"}, ("93", "71#"), ("93", "DK:FIK")),
    "fik-73": ({"fik_creditor": "12345678", "fik_card_type": "73"}, ("93", "73#"), ("93", "DK:FIK")),
    "fik-75": ({"fik_creditor": "12345678", "fik_card_type": "75"}, ("93", "75#"), ("93", "DK:FIK")),
}


@pytest.mark.parametrize("buyer", ["private", "cvr"])
@pytest.mark.parametrize("setting", list(DK_PAYMENTS))
def test_a_danish_invoice_says_when_and_where_to_pay(
    setting: str, buyer: str, validation_engine: Engine
) -> None:
    """A Danish seller with an IBAN and no BIC got invoices (Peppol and OIOUBL) with no PaymentMeans and
    no due date. Every bank setting gives payment means both profiles accept (DK-R-005…011, F-LIB100 ff.)."""
    bank, (peppol_code, peppol_pid), (oio_code, oio_channel) = DK_PAYMENTS[setting]
    seller = SELLER_DK.model_copy(update={"iban": None, "bic": None, **bank})
    customer: dict[str, Any] = {"email": "m@example.dk"}
    if buyer == "cvr":
        customer |= {"company_name": "Tømrer ApS", "org_number": "25313763"}
    result = make_invoice(_load(_form(**customer)), seller, engine=validation_engine)
    assert result.report.valid
    root = etree.fromstring(result.xml)
    pm = root.find("cac:PaymentMeans", NS)
    assert pm is not None
    code = pm.findtext("cbc:PaymentMeansCode", namespaces=NS)
    if result.profile == "oioubl":
        assert (code, pm.findtext("cbc:PaymentChannelCode", namespaces=NS)) == (oio_code, oio_channel)
        assert pm.findtext("cbc:PaymentDueDate", namespaces=NS) == "2026-12-20"  # 30 days
        account = pm.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) or pm.findtext(
            "cac:CreditAccount/cbc:AccountID", namespaces=NS
        )
    else:
        assert code == peppol_code
        assert root.findtext("cbc:DueDate", namespaces=NS) == "2026-12-20"
        pid = pm.findtext("cbc:PaymentID", namespaces=NS)
        assert (pid or "").startswith(peppol_pid or "") and (peppol_pid is not None) == (pid is not None)
        account = pm.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS)
    assert account in {"DK5000400440116243", "0440116243", "12345678"}
    if setting == "fik-71":
        # the payment id: the invoice number's digits with a modulus-10 check digit, 15 digits in all
        instruction = pm.findtext("cbc:InstructionID", namespaces=NS) or (pid or "").partition("#")[2]
        assert len(instruction) == 15 and instruction.startswith("00000000000001")


def test_no_bank_account_is_warned_before_an_invoice() -> None:
    from app.accounts.models import Account
    from app.processing.preflight import preflight
    from app.processing.settings import ProcessingSettings

    form = _load(_form(email="m@example.dk"))
    bare = Account(payment_terms_map={}, process_orders_from=None)
    codes = [(f.issue.code, f.blocking) for f in preflight(form, bare, ProcessingSettings(), {}, {}).findings]
    assert codes == [("account.bank_account_missing", False)]
    banked = Account(payment_terms_map={}, process_orders_from=None, iban="DK5000400440116243")
    assert preflight(form, banked, ProcessingSettings(), {}, {}).findings == []


@pytest.mark.parametrize(
    ("country", "kind", "kept"),
    [("DK", "invoice", False), ("DK", "creditnote", False), ("DK", "order", True), ("DE", "invoice", True)],
)
def test_dk_r_013_only_where_it_applies(
    country: str, kind: str, kept: bool, validation_engine: Engine
) -> None:
    """A Danish private buyer could not be invoiced (DK-R-013: no schemeID on PartyIdentification). The
    rule holds for a Danish seller's invoice to a Danish buyer: a foreign buyer and an order keep BT-46."""
    data = _form(mobile="+4520123456" if country == "DK" else "+4915123456789", country=country)
    data["credited_invoice"] = {"id": "F-1"}
    form = _load(data)
    if kind == "order":
        result = make_order(form, SELLER_DK, engine=validation_engine)
    else:
        result = make_invoice(form, SELLER_DK, credit_note=kind == "creditnote", engine=validation_engine)
    assert result.report.valid
    party = "BuyerCustomerParty" if kind == "order" else "AccountingCustomerParty"
    ident = etree.fromstring(result.xml).findtext(
        f"cac:{party}/cac:Party/cac:PartyIdentification/cbc:ID", namespaces=NS
    )
    assert (ident is not None) == kept, ident
