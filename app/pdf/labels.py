"""The words on a PDF invoice: English msgids here, translated by the gettext catalogues (:mod:`app.i18n`).

Terms follow the invoice conventions of each country: "Org.nr. … MVA" and "Foretaksregisteret" in Norway,
"CVR-nr." and "EAN-nr." in Denmark, "Momsreg.nr" in Sweden. Code lists (units, VAT categories, payment
means) map to words here, each in its own ``msgctxt``; unknown codes print as codes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from app.i18n import LANGUAGES, LOCALES, N_, NP_, Lang, translator

__all__ = ["CATEGORIES", "LABELS", "LANGUAGES", "LOCALES", "PAYMENT_MEANS", "UNITS", "Lang"]

#: the labels of the PDF, by the key the view reads
LABEL_IDS: Final[dict[str, str]] = {
    "invoice": N_("Invoice"),
    "creditnote": N_("Credit note"),
    "invoice_number": N_("Invoice no."),
    "creditnote_number": N_("Credit note no."),
    "issue_date": N_("Invoice date"),
    "creditnote_date": N_("Date"),
    "due_date": N_("Due date"),
    "tax_point_date": N_("VAT point date"),
    "delivery_date": N_("Delivery date"),
    "period": N_("Period"),
    "buyer_reference": N_("Your reference"),
    "order_reference": N_("Order no."),
    "accounting_cost": N_("Accounting code"),
    "BT-11": N_("Project"),
    "BT-12": N_("Contract"),
    "BT-14": N_("Sales order"),
    "BT-15": N_("Receiving advice"),
    "BT-16": N_("Despatch advice"),
    "BT-17": N_("Tender"),
    "BT-18": N_("Invoiced object"),
    "BT-25": N_("Credits invoice"),
    "BT-122": N_("Supporting document"),
    "credited_invoice": N_("Credits invoice"),
    "credit_reason": N_("Reason"),
    "bill_to": N_("Bill to"),
    "delivery": N_("Delivery"),
    "payee": N_("Payee"),
    "tax_representative": N_("Tax representative"),
    "org_no": N_("Org. no."),
    "vat_no": N_("VAT no."),
    "vat_suffix": N_("MVA"),
    "cvr_no": N_("CVR no."),
    "gln": N_("GLN"),
    "party_id": N_("Customer ID"),
    "contact": N_("Contact"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "col_description": N_("Description"),
    "col_quantity": N_("Quantity"),
    "col_price": N_("Unit price"),
    "col_vat": N_("VAT"),
    "col_amount": N_("Amount"),
    "item_no": N_("Item no."),
    "buyer_item_no": N_("Your item no."),
    "standard_item_no": N_("GTIN"),
    "order_line": N_("Order line"),
    "gross_price": N_("List price"),
    "price_discount": N_("price discount"),
    "per": N_("per"),
    "allowance": N_("Discount"),
    "charge": N_("Charge"),
    "doc_allowances": N_("Discounts and charges"),
    "line_extension": N_("Sum of lines"),
    "allowance_total": N_("Discounts"),
    "charge_total": N_("Charges"),
    "tax_exclusive": N_("Total excl. VAT"),
    "tax_total": N_("VAT"),
    "tax_inclusive": N_("Total incl. VAT"),
    "prepaid": N_("Paid in advance"),
    "rounding": N_("Rounding"),
    "payable": N_("Amount due"),
    "payable_credit": N_("Amount credited"),
    "vat_breakdown": N_("VAT breakdown"),
    "vat_rate": N_("Rate"),
    "vat_taxable": N_("Taxable amount"),
    "vat_amount": N_("VAT"),
    "vat_accounting": N_("VAT in"),
    "payment": N_("Payment"),
    "account": N_("Account no."),
    "iban": N_("IBAN"),
    "bic": N_("BIC"),
    "bank_reg": N_("Reg. no."),
    "kid": N_("KID"),
    "payment_reference": N_("Payment reference"),
    "fik": N_("FIK"),
    "account_name": N_("Account holder"),
    "card": N_("Card"),
    "mandate": N_("Mandate"),
    "debited_account": N_("Debited account"),
    "amount": N_("Amount"),
    "payment_terms": N_("Payment terms"),
    "notes": N_("Notes"),
    "page": N_("Page"),
    "page_of": N_("of"),
    "already_paid": N_("Paid"),
    #: the mark of a draft (source 003: not yet approved by the owner, not sent)
    "draft": N_("DRAFT"),
}

#: UNCL5305 VAT categories (BT-118 / BT-151) in words; S prints as its rate alone
CATEGORY_IDS: Final[dict[str, str]] = {
    "S": NP_("VAT category", "Standard"),
    "Z": NP_("VAT category", "Zero rated"),
    "E": NP_("VAT category", "Exempt"),
    "AE": NP_("VAT category", "Reverse charge"),
    "K": NP_("VAT category", "Intra-community supply"),
    "G": NP_("VAT category", "Export"),
    "O": NP_("VAT category", "Not subject to VAT"),
    "L": NP_("VAT category", "IGIC (Canary Islands)"),
    "M": NP_("VAT category", "IPSI (Ceuta and Melilla)"),
}

#: UN/ECE Recommendation 20 unit codes (BT-130) printed after a quantity
UNIT_IDS: Final[dict[str, str]] = {
    "C62": NP_("unit", "pcs"),
    "EA": NP_("unit", "pcs"),
    "H87": NP_("unit", "pcs"),
    "NAR": NP_("unit", "pcs"),
    "HUR": NP_("unit", "h"),
    "DAY": NP_("unit", "days"),
    "MON": NP_("unit", "months"),
    "ANN": NP_("unit", "years"),
    "WEE": NP_("unit", "weeks"),
    "MIN": NP_("unit", "min"),
    "KGM": NP_("unit", "kg"),
    "GRM": NP_("unit", "g"),
    "LTR": NP_("unit", "l"),
    "MTR": NP_("unit", "m"),
    "KMT": NP_("unit", "km"),
    "MTK": NP_("unit", "m²"),
    "MTQ": NP_("unit", "m³"),
    "SET": NP_("unit", "sets"),
    "PR": NP_("unit", "pairs"),
    "XPK": NP_("unit", "packs"),
}

#: UNCL4461 payment means (BT-81) in words, when the document gives no text of its own (BT-82)
PAYMENT_MEANS_IDS: Final[dict[str, str]] = {
    "10": NP_("payment means", "Cash"),
    "30": NP_("payment means", "Credit transfer"),
    "31": NP_("payment means", "Credit transfer"),
    "42": NP_("payment means", "Bank transfer"),
    "48": NP_("payment means", "Card payment"),
    "49": NP_("payment means", "Direct debit"),
    "54": NP_("payment means", "Card payment"),
    "55": NP_("payment means", "Card payment"),
    "58": NP_("payment means", "SEPA credit transfer"),
    "59": NP_("payment means", "SEPA direct debit"),
    "93": NP_("payment means", "Giro"),
}


class _Translated(Mapping[Lang, Mapping[str, str]]):
    """``TABLE[lang][key]``: the msgids of ``ids`` translated into ``lang`` (in ``context`` when given)."""

    def __init__(self, ids: dict[str, str], context: str | None = None) -> None:
        self._ids = ids
        self._context = context
        self._done: dict[str, Mapping[str, str]] = {}

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        if lang not in self._done:
            t = translator(lang)
            ctx = self._context
            self._done[lang] = {
                key: t.gettext(msgid) if ctx is None else t.pgettext(ctx, msgid)
                for key, msgid in self._ids.items()
            }
        return self._done[lang]

    def __iter__(self) -> Iterator[Lang]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


LABELS: Final = _Translated(LABEL_IDS)
CATEGORIES: Final = _Translated(CATEGORY_IDS, "VAT category")
UNITS: Final = _Translated(UNIT_IDS, "unit")
PAYMENT_MEANS: Final = _Translated(PAYMENT_MEANS_IDS, "payment means")
