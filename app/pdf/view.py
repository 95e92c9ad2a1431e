"""BusinessDocument + language → the plain values the PDF template prints (dicts, lists and strings only).

Everything a person reads is formatted here, with Babel for the language's locale: amounts with the
currency's decimals, quantities and prices with as many decimals as the document gave, dates in the local
short form, rates as percentages. The template never computes, formats or sees a model object.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import phonenumbers
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_currency_precision
from stdnum import iban
from stdnum.no import kontonr
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from app.document.model import (
    Address,
    AllowanceCharge,
    BusinessDocument,
    Identifier,
    Line,
    Party,
    PaymentMeans,
    Period,
    TaxCategory,
)
from app.forms.identifiers import is_kid
from app.i18n import format_money
from app.pdf.labels import CATEGORIES, LABELS, LOCALES, PAYMENT_MEANS, UNITS, Lang

View = dict[str, Any]
ONE = Decimal("1")


class Formatter:
    def __init__(self, lang: Lang, currency: str) -> None:
        self.lang = lang
        self.locale = LOCALES[lang]
        self.currency = currency
        self.t = LABELS[lang]

    def money(self, value: Decimal) -> str:
        """An amount without the currency (table cells), with the currency's decimals (ISO 4217)."""
        digits = get_currency_precision(self.currency)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def money_cur(self, value: Decimal) -> str:
        """An amount with its ISO currency code (totals, amount due)."""
        return format_money(value, self.currency, self.lang)

    def number(self, value: Decimal) -> str:
        """A quantity: as many decimals as the document gave, none added."""
        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)

    def price(self, value: Decimal) -> str:
        """A unit price: at least two decimals, more when the document has them (BT-146 has no limit)."""
        return format_decimal(value, format="#,##0.00", locale=self.locale, decimal_quantization=False)

    def percent(self, value: Decimal) -> str:
        return format_percent(value / 100, locale=self.locale, decimal_quantization=False)

    def date(self, value: date | None) -> str:
        return format_date(value, "short", locale=self.locale) if value else ""

    def period(self, p: Period | None) -> str:
        if p is None:
            return ""
        return f"{self.date(p.start)}\u2013{self.date(p.end)}"

    def country(self, code: str) -> str:
        return str(Locale.parse(self.locale).territories.get(code, code))

    def unit(self, code: str) -> str:
        return UNITS[self.lang].get(code, code)


# -- identifiers ---------------------------------------------------------------------------------------------


def _format_id(ident: Identifier) -> str:
    try:
        if ident.scheme == "0192":
            return str(no_orgnr.format(ident.value))
        if ident.scheme == "0007":
            return str(se_orgnr.format(ident.value))
    except Exception:  # noqa: S110 - a value that does not validate prints as given
        pass
    return ident.value


_KNOWN_SCHEMES = frozenset({"0192", "0007", "0184", "0088"})


def _id_label(f: Formatter, scheme: str | None, fallback: str) -> str:
    return {
        "0192": f.t["org_no"],
        "0007": f.t["org_no"],
        "0184": f.t["cvr_no"],
        "0088": f.t["gln"],
    }.get(scheme or "", fallback)


def _phone(value: str, country: str) -> str:
    """A telephone number in international notation (+47 22 33 44 55) when it parses; else as given."""
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def _row(label: str, value: str) -> dict[str, str]:
    return {"label": label, "value": value}


def _address_lines(f: Formatter, a: Address, home: str) -> list[str]:
    city = " ".join(x for x in (a.postcode, a.city) if x)
    lines = [x for x in (a.street, a.additional, a.line3, city, a.subdivision) if x]
    if a.country and a.country != home:
        lines.append(f.country(a.country))
    return lines


def _party(f: Formatter, p: Party, home: str, buyer: bool) -> View:
    """Name, address and identifiers (BT-29/30/31/33/34 for the seller, BT-46/47/48/49 for the buyer)."""
    ids: list[dict[str, str]] = []
    shown: set[str] = set()
    vat = p.vat_id
    # OIOUBL writes any legal id but a CVR number with scheme ZZZ: a party identifier or endpoint with
    # the same value says what it is (GLN, Norwegian or Swedish organisation number)
    named = {i.value: i.scheme for i in (*p.identifiers, p.endpoint) if i and i.scheme in _KNOWN_SCHEMES}
    legal = p.legal_id
    if legal and legal.scheme not in _KNOWN_SCHEMES and legal.value in named:
        legal = Identifier(legal.value, named[legal.value])
    if legal:
        label = _id_label(f, legal.scheme, f.t["org_no"])
        value = _format_id(legal)
        # Norway: "Org.nr. 991 825 827 MVA" when the VAT number is the organisation number + MVA
        if legal.scheme == "0192" and vat and vat.replace(" ", "").upper() == f"NO{legal.value}MVA":
            value = f"{value} {f.t['vat_suffix']}"
            vat = None
        ids.append(_row(label, value))
        shown.add(legal.value)
    if vat:
        ids.append(_row(f.t["vat_no"], vat))
    for ident in p.identifiers:
        if ident.value in shown:
            continue
        shown.add(ident.value)
        ids.append(_row(_id_label(f, ident.scheme, f.t["party_id"] if buyer else "ID"), _format_id(ident)))
    if p.endpoint and p.endpoint.scheme == "0088" and p.endpoint.value not in shown:
        ids.append(_row(f.t["gln"], p.endpoint.value))  # the EAN location number an OIOUBL invoice goes to
    extra = [x for x in (p.legal_form, p.company_legal_form) if x]  # BT-33 ("Foretaksregisteret", NO-R-002)
    contact: list[dict[str, str]] = []
    if p.contact:
        if p.contact.name:
            contact.append(_row(f.t["contact"], p.contact.name))
        if p.contact.phone:
            contact.append(_row(f.t["phone"], _phone(p.contact.phone, p.address.country)))
        if p.contact.email:
            contact.append(_row(f.t["email"], p.contact.email))
    return {
        "name": p.name,
        "legal_name": p.registration_name if p.registration_name != p.name else "",
        "address": _address_lines(f, p.address, home),
        "ids": ids,
        "legal_form": extra,
        "contact": contact,
    }


# -- lines, allowances, VAT -----------------------------------------------------------------------------------


def _vat_short(f: Formatter, t: TaxCategory) -> str:
    if t.code in ("S", "Z"):
        return f.percent(t.percent)
    return t.code


def _vat_long(f: Formatter, t: TaxCategory) -> str:
    name = CATEGORIES[f.lang].get(t.code, t.code)
    if t.code == "S":
        return f.percent(t.percent)
    if t.code == "O":
        return name  # BR-O-05: no rate
    return f"{name} {f.percent(t.percent)}"


def _ac_text(f: Formatter, a: AllowanceCharge) -> str:
    label = a.reason or (f.t["charge"] if a.charge else f.t["allowance"])
    if a.percent is not None and a.base_amount is not None:
        label = f"{label} ({f.percent(a.percent)} \u00d7 {f.money(a.base_amount)})"
    return label


def _signed(f: Formatter, a: AllowanceCharge) -> str:
    return f.money(a.amount if a.charge else -a.amount)


def _line(f: Formatter, ln: Line) -> View:
    details: list[str] = []
    if ln.description:
        details.append(ln.description)
    ids = []
    if ln.seller_item_id:
        ids.append(f"{f.t['item_no']} {ln.seller_item_id}")  # BT-155
    if ln.buyer_item_id:
        ids.append(f"{f.t['buyer_item_no']} {ln.buyer_item_id}")  # BT-156
    if ln.standard_item_id:
        ids.append(f"{f.t['standard_item_no']} {ln.standard_item_id.value}")  # BT-157
    if ln.order_line_reference:
        ids.append(f"{f.t['order_line']} {ln.order_line_reference}")  # BT-132
    if ids:
        details.append(" \u00b7 ".join(ids))
    if ln.period:
        details.append(f"{f.t['period']} {f.period(ln.period)}")  # BG-26
    if ln.gross_price is not None and ln.price_discount:
        details.append(
            f"{f.t['gross_price']} {f.price(ln.gross_price)} \u2212 {f.t['price_discount']} "
            f"{f.price(ln.price_discount)}"
        )  # BT-148, BT-147
    for name, value in ln.attributes:  # BG-32
        details.append(f"{name}: {value}")
    if ln.accounting_cost:
        details.append(f"{f.t['accounting_cost']} {ln.accounting_cost}")  # BT-133
    if ln.note:
        details.append(ln.note)  # BT-127
    price = f.price(ln.price)
    if ln.base_quantity is not None and ln.base_quantity != ONE:
        price = f"{price} {f.t['per']} {f.number(ln.base_quantity)} {f.unit(ln.unit_code)}".strip()  # BT-149
    return {
        "id": ln.id,
        "name": ln.name,
        "details": details,
        "quantity": f.number(ln.quantity),
        "unit": f.unit(ln.unit_code),
        "price": price,
        "vat": _vat_short(f, ln.tax),
        "amount": f.money(ln.net_amount),
        "allowances": [{"label": _ac_text(f, a), "amount": _signed(f, a)} for a in ln.allowances],  # BG-27/28
    }


def _references(f: Formatter, doc: BusinessDocument) -> list[dict[str, str]]:
    out = []
    for ref in doc.references:
        value = f"{ref.id} ({ref.description})" if ref.description else ref.id
        out.append(_row(f.t.get(ref.term, ref.term), value))
    return out


# -- payment --------------------------------------------------------------------------------------------------


def _payment_id_label(f: Formatter, pm: PaymentMeans, seller_country: str) -> str:
    pid = pm.payment_id or ""
    if seller_country == "NO" and is_kid(pid):  # the one KID check (app.forms.identifiers)
        return f.t["kid"]
    return f.t["payment_reference"]


def _account(pm: PaymentMeans, seller_country: str) -> str:
    account = pm.account or ""
    if pm.account_is_iban:
        return str(iban.format(account))
    if seller_country == "NO" and kontonr.is_valid(account):
        return str(kontonr.format(account))
    return account


def _payment(f: Formatter, pm: PaymentMeans, seller_country: str) -> View:
    rows: list[dict[str, str]] = []
    if pm.channel == "DK:FIK" or (pm.instruction_id and pm.creditor_account):
        # FIK (Fælles Indbetalingskort): +<card type><payment id>+<creditor no.><
        rows.append(
            _row(f.t["fik"], f"+{pm.payment_id or ''}<{pm.instruction_id or ''}+{pm.creditor_account or ''}<")
        )
    else:
        if pm.account:
            if pm.account_is_iban:
                rows.append(_row(f.t["iban"], _account(pm, seller_country)))
            else:
                if pm.channel == "DK:BANK" and pm.bic:
                    rows.append(_row(f.t["bank_reg"], pm.bic))
                rows.append(_row(f.t["account"], _account(pm, seller_country)))
        if pm.bic and pm.channel != "DK:BANK":
            rows.append(_row(f.t["bic"], pm.bic))
        if pm.payment_id:
            rows.append(_row(_payment_id_label(f, pm, seller_country), pm.payment_id))
    if pm.account_name:
        rows.append(_row(f.t["account_name"], pm.account_name))
    if pm.card_number:
        rows.append(_row(f.t["card"], pm.card_number))
    if pm.mandate:
        rows.append(_row(f.t["mandate"], pm.mandate))
    if pm.debited_account:
        rows.append(_row(f.t["debited_account"], pm.debited_account))
    return {"means": pm.name or PAYMENT_MEANS[f.lang].get(pm.code, pm.code), "rows": rows}


# -- the document ---------------------------------------------------------------------------------------------


def _meta(f: Formatter, doc: BusinessDocument, credit: bool) -> list[dict[str, str]]:
    t = f.t
    rows = [_row(t["creditnote_date"] if credit else t["issue_date"], f.date(doc.issue_date))]  # BT-2
    if doc.due_date:
        rows.append(_row(t["due_date"], f.date(doc.due_date)))  # BT-9
    if doc.tax_point_date:
        rows.append(_row(t["tax_point_date"], f.date(doc.tax_point_date)))  # BT-7
    if doc.delivery and doc.delivery.actual_date:
        rows.append(_row(t["delivery_date"], f.date(doc.delivery.actual_date)))  # BT-72
    if doc.invoice_period:
        rows.append(_row(t["period"], f.period(doc.invoice_period)))  # BG-14
    if doc.buyer_reference:
        rows.append(_row(t["buyer_reference"], doc.buyer_reference))  # BT-10
    if doc.order_reference:
        rows.append(_row(t["order_reference"], doc.order_reference))  # BT-13
    if doc.billing_reference:
        ref = doc.billing_reference
        value = f"{ref.id} ({f.date(ref.issue_date)})" if ref.issue_date else ref.id
        rows.append(_row(t["credited_invoice"], value))  # BG-3
    rows.extend(_references(f, doc))
    if doc.accounting_cost:
        rows.append(_row(t["accounting_cost"], doc.accounting_cost))  # BT-19
    return rows


def _totals(f: Formatter, doc: BusinessDocument) -> list[dict[str, str]]:
    t, tot = f.t, doc.totals
    rows = [_row(t["line_extension"], f.money(tot.line_extension))]  # BT-106
    if tot.allowance_total:
        rows.append(_row(t["allowance_total"], f.money(-tot.allowance_total)))  # BT-107
    if tot.charge_total:
        rows.append(_row(t["charge_total"], f.money(tot.charge_total)))  # BT-108
    rows.append(_row(t["tax_exclusive"], f.money(tot.tax_exclusive)))  # BT-109
    rows.append(_row(t["tax_total"], f.money(tot.tax_total)))  # BT-110
    rows.append(_row(t["tax_inclusive"], f.money(tot.tax_inclusive)))  # BT-112
    if tot.prepaid:
        rows.append(_row(t["prepaid"], f.money(-tot.prepaid)))  # BT-113
    if tot.rounding:
        rows.append(_row(t["rounding"], f.money(tot.rounding)))  # BT-114
    return rows


def _party_block(f: Formatter, name: str, ident: Iterable[tuple[str, Identifier | None]]) -> View:
    return {
        "name": name,
        "ids": [_row(label, _format_id(i)) for label, i in ident if i is not None],
    }


def invoice_view(doc: BusinessDocument, lang: Lang, logo_uri: str = "", draft: bool = False) -> View:
    """The template's values for ``doc`` in ``lang``: strings, lists and dicts of them, nothing else.
    ``draft``: the stored document is a draft (source 003, trial period), and its PDF says so."""
    f = Formatter(lang, doc.currency)
    t = f.t
    credit = doc.kind == "creditnote"
    home = doc.seller.address.country
    seller = _party(f, doc.seller, doc.buyer.address.country, buyer=False)
    buyer = _party(f, doc.buyer, home, buyer=True)
    payments = [
        _payment(f, pm, home) for pm in (doc.payment_means, *doc.other_payment_means) if pm is not None
    ]
    delivery = None
    if doc.delivery and (doc.delivery.address or doc.delivery.party_name or doc.delivery.location_id):
        d = doc.delivery
        delivery = {
            "name": d.party_name or "",
            "address": _address_lines(f, d.address, home) if d.address else [],
            "ids": [_row(_id_label(f, d.location_id.scheme, "ID"), d.location_id.value)]
            if d.location_id
            else [],
        }
    payee = (
        _party_block(
            f,
            doc.payee.name,
            [
                (
                    _id_label(f, doc.payee.identifier.scheme if doc.payee.identifier else None, "ID"),
                    doc.payee.identifier,
                ),
                (
                    _id_label(f, doc.payee.legal_id.scheme if doc.payee.legal_id else None, t["org_no"]),
                    doc.payee.legal_id,
                ),
            ],
        )
        if doc.payee
        else None
    )
    settled = doc.totals.payable == 0 and doc.totals.prepaid != 0
    vat_rows = [
        {
            "label": _vat_long(f, s.category),
            "reason": " ".join(
                x for x in (s.category.exemption_reason_code, s.category.exemption_reason) if x
            ),
            "taxable": f.money(s.taxable),
            "tax": f.money(s.tax),
        }
        for s in doc.tax_subtotals
    ]
    return {
        "lang": lang,
        "t": t,
        "kind": doc.kind,
        "title": t["creditnote"] if credit else t["invoice"],
        "number_label": t["creditnote_number"] if credit else t["invoice_number"],
        "number": doc.id,
        "currency": doc.currency,
        "logo": logo_uri,
        "draft": t["draft"] if draft else "",  # the draft mark, empty on a final document
        "seller": seller,
        "buyer": buyer,
        "delivery": delivery,
        "payee": payee,
        "tax_representative": _party(f, doc.tax_representative, home, buyer=False)
        if doc.tax_representative
        else None,
        "meta": _meta(f, doc, credit),
        "credit_reason": doc.credit_reason or "",
        "lines": [_line(f, ln) for ln in doc.lines],
        "doc_allowances": [
            {
                "label": _ac_text(f, a),
                "vat": _vat_short(f, a.tax) if a.tax else "",
                "amount": _signed(f, a),
            }
            for a in doc.allowance_charges
        ],  # BG-20 / BG-21
        "vat": vat_rows,
        "vat_accounting": (
            _row(
                f"{t['vat_accounting']} {doc.tax_currency}",
                format_money(doc.tax_total_accounting, doc.tax_currency or doc.currency, f.lang),
            )
            if doc.tax_total_accounting is not None and doc.tax_currency
            else None
        ),  # BT-111
        "totals": _totals(f, doc),
        "payable_label": t["payable_credit"] if credit else t["payable"],
        "payable": f.money_cur(doc.totals.payable),  # BT-115
        "settled": settled,
        "due_date": f.date(doc.due_date),
        "payments": payments,
        "payment_terms": doc.payment_terms or "",  # BT-20
        "notes": list(doc.notes),  # BT-22
        "footer": " \u00b7 ".join(
            x
            for x in (
                doc.seller.registration_name,
                *(f"{r['label']} {r['value']}" for r in seller["ids"][:2]),
            )
            if x
        ),
    }
