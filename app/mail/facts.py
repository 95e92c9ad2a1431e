"""What an invoice mail says about its invoice, read from the stored UBL document and formatted with Babel.

The placeholders of the account's fixed mail text (source 003; ``app.accounts.settings.MAIL_PLACEHOLDERS``)
are filled from the document the customer receives, so the mail can never disagree with the attachment:
invoice number (BT-1), order id (BT-13), customer name (BT-44, else BT-45), seller name (BT-27, else BT-28),
amount due (BT-115) and currency (BT-5), due date (BT-9; OIOUBL: ``PaymentMeans/PaymentDueDate``). The
recipient is the buyer contact's e-mail address (BT-58).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import format_decimal
from lxml import etree

from app.i18n import locale_of
from app.validation.xmlsafe import parse_untrusted

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC}


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    kind: str  # "Invoice" or "CreditNote"
    number: str
    order_id: str | None
    customer_name: str | None
    customer_email: str | None
    seller_name: str | None
    amount: Decimal | None
    currency: str | None
    due_date: date | None

    def placeholders(self, language: str) -> dict[str, str]:
        """The values of the mail placeholders, formatted for ``language`` (nb, da, sv, en)."""
        locale = locale_of(language)  # the locale the PDF formats with (app.i18n)
        return {
            "invoice_number": self.number,
            "order_id": self.order_id or "",
            "customer_name": self.customer_name or "",
            "seller_name": self.seller_name or "",
            "amount": format_decimal(self.amount, format="#,##0.00", locale=locale)
            if self.amount is not None
            else "",
            "currency": self.currency or "",
            "due_date": format_date(self.due_date, format="long", locale=locale) if self.due_date else "",
        }


def _text(root: etree._Element, path: str) -> str | None:
    found = root.xpath(f"string({path})", namespaces=NS)
    value = str(found).strip()
    return value or None


def _first(root: etree._Element, *paths: str) -> str | None:
    for path in paths:
        value = _text(root, path)
        if value:
            return value
    return None


def _decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def read_facts(xml: bytes) -> InvoiceFacts:
    """The mail facts of a UBL Invoice or CreditNote (Peppol BIS Billing 3, EHF, OIOUBL 2.1)."""
    root = parse_untrusted(xml).getroot()
    kind = etree.QName(root).localname
    buyer = "/*/cac:AccountingCustomerParty/cac:Party"
    seller = "/*/cac:AccountingSupplierParty/cac:Party"
    return InvoiceFacts(
        kind=kind,
        number=_text(root, "/*/cbc:ID") or "",
        order_id=_text(root, "/*/cac:OrderReference/cbc:ID"),
        customer_name=_first(
            root, f"{buyer}/cac:PartyName/cbc:Name", f"{buyer}/cac:PartyLegalEntity/cbc:RegistrationName"
        ),
        customer_email=_text(root, f"{buyer}/cac:Contact/cbc:ElectronicMail"),
        seller_name=_first(
            root, f"{seller}/cac:PartyName/cbc:Name", f"{seller}/cac:PartyLegalEntity/cbc:RegistrationName"
        ),
        amount=_decimal(_text(root, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount")),
        currency=_text(root, "/*/cbc:DocumentCurrencyCode"),
        due_date=_date(_first(root, "/*/cbc:DueDate", "/*/cac:PaymentMeans/cbc:PaymentDueDate")),
    )
