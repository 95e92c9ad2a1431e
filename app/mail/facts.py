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
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from lxml import etree

from app.i18n import locale_of
from app.reader.nodes import NS, Nodes
from app.validation.xmlsafe import parse_untrusted


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


def read_facts(xml: bytes) -> InvoiceFacts:
    """The mail facts of a UBL Invoice or CreditNote (Peppol BIS Billing 3, EHF, OIOUBL 2.1), read as the
    business document is (:mod:`app.reader`), leniently: an unreadable amount or date is left out."""
    root = parse_untrusted(xml).getroot()
    ubl = Nodes(root, lenient=True)
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    return InvoiceFacts(
        kind=etree.QName(root).localname,
        number=ubl.text(root, "cbc:ID") or "",
        order_id=ubl.text(root, "cac:OrderReference/cbc:ID"),
        customer_name=ubl.party_name(buyer),
        customer_email=ubl.text(buyer, "cac:Contact/cbc:ElectronicMail"),
        seller_name=ubl.party_name(root.find("cac:AccountingSupplierParty/cac:Party", NS)),
        amount=ubl.decimal(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"),
        currency=ubl.text(root, "cbc:DocumentCurrencyCode"),
        due_date=ubl.due_date(),
    )
