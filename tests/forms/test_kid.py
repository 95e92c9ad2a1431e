"""One KID check (app.forms.identifiers.kid) for the invoice builder and the PDF view: MOD10 (Luhn) or
MOD11 with weights 2–7, MOD11's check value 10 written '-'; 2–25 characters, spaces ignored."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from invoiceforms import FORMS_DIR, SELLER_NO
from lxml import etree

from app.accounts.profile import load_seller
from app.errors import NordublError
from app.forms.identifiers import is_kid, kid
from app.forms.loader import load_form_bytes
from app.forms.models import RegistrationForm
from app.pdf.view import invoice_view
from app.service import make_invoice

NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
SELLER = load_seller(SELLER_NO)

#: (written, compact): valid KIDs
VALID = [
    ("1234567897", "1234567897"),  # MOD10
    ("12345674", "12345674"),  # MOD10 and MOD11 alike
    ("1234560", "1234560"),  # MOD11, check digit 0 (11 - 0)
    ("100008-", "100008-"),  # MOD11, check value 10 written '-'
    ("100 025-", "100025-"),  # the same, with the space a payer may type
    ("94", "94"),  # the shortest: one digit and its check digit
    ("123456789012340", "123456789012340"),
]
#: (written, the reason's words): KIDs refused
INVALID = [
    ("1234567890", "no valid MOD10 or MOD11 check digit"),  # neither check digit
    ("100009-", "no valid MOD10 or MOD11 check digit"),  # '-' where MOD11 gives another digit
    ("1234561-", "no valid MOD10 or MOD11 check digit"),
    ("9", "a KID has 2–25 digits"),
    ("1" * 26, "a KID has 2–25 digits"),
    ("-", "a KID has 2–25 digits"),
    ("12-45", "not a KID number"),  # '-' only as the last character
    ("--", "not a KID number"),
    ("1234A67897", "not a KID number"),
    ("١٢٣٤٥٦٧٨٩٧", "not a KID number"),  # digits of another script are not KID digits
]


def _form_with(payment_id: str) -> RegistrationForm:
    data = json.loads((FORMS_DIR / "no-b2b-kid.json").read_text(encoding="utf-8"))
    data["payment_id"] = payment_id
    return load_form_bytes(json.dumps(data).encode())


def _view_label(payment_id: str) -> dict[str, str]:
    """The payment rows of the PDF view of a Norwegian seller's invoice with this payment id."""
    doc = make_invoice(_form_with("1234567897"), SELLER).document
    assert doc.payment_means is not None
    doc = replace(doc, payment_means=replace(doc.payment_means, payment_id=payment_id))
    view = invoice_view(doc, "nb")
    return {r["label"]: r["value"] for r in view["payments"][0]["rows"]}


@pytest.mark.parametrize(("written", "compact"), VALID, ids=[v for v, _ in VALID])
def test_a_valid_kid(written: str, compact: str) -> None:
    assert kid(written) == compact and is_kid(written)


@pytest.mark.parametrize(("written", "reason"), INVALID, ids=[v[:12] for v, _ in INVALID])
def test_an_invalid_kid_says_why(written: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        kid(written)
    assert not is_kid(written)


@pytest.mark.parametrize(
    ("written", "compact"),
    [("100008-", "100008-"), ("100 025-", "100025-"), ("1234560", "1234560"), ("1234567897", "1234567897")],
)
def test_the_invoice_builder_and_the_pdf_view_accept_the_same_kid(written: str, compact: str) -> None:
    result = make_invoice(_form_with(written), SELLER)
    assert result.report.valid
    # BT-83 remittance information: the KID as the bank reads it (compact)
    assert etree.fromstring(result.xml).xpath("//cbc:PaymentID/text()", namespaces=NS) == [compact]
    assert _view_label(written).get("KID") == written


@pytest.mark.parametrize("written", ["1234567890", "100009-", "12-45", "9"])
def test_the_invoice_builder_and_the_pdf_view_refuse_the_same_kid(written: str) -> None:
    with pytest.raises(NordublError) as caught:
        make_invoice(_form_with(written), SELLER)
    [issue] = caught.value.issues
    assert (issue.code, issue.field, issue.value) == ("input.kid", "payment_id", written)
    assert written in issue.message
    rows = _view_label(written)
    assert "KID" not in rows and rows["Betalingsreferanse"] == written
