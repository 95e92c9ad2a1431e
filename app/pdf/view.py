"""BusinessDocument + language → the plain values the PDF template prints (dicts, lists and strings only).

Everything a person reads is formatted here, with Babel for the language's locale: amounts with the
currency's decimals, quantities and prices with as many decimals as the document gave, dates in the local
short form, rates as percentages. The template never computes, formats or sees a model object.
"""

from __future__ import annotations

from decimal import Decimal

from stdnum import iban
from stdnum.no import kontonr

from app.document.model import AllowanceCharge, BusinessDocument, Line, PaymentMeans, TaxCategory
from app.forms.identifiers import is_kid
from app.i18n import format_money
from app.pdf.formatter import Formatter
from app.pdf.labels import CATEGORIES, PAYMENT_MEANS, Lang
from app.pdf.parties import View, delivery_view, party_view, payee_view, row

ONE = Decimal("1")


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
        out.append(row(f.t.get(ref.term, ref.term), value))
    return out


# -- payment --------------------------------------------------------------------------------------------------


def _paymentid_label(f: Formatter, pm: PaymentMeans, seller_country: str) -> str:
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
            row(f.t["fik"], f"+{pm.payment_id or ''}<{pm.instruction_id or ''}+{pm.creditor_account or ''}<")
        )
    else:
        if pm.account:
            if pm.account_is_iban:
                rows.append(row(f.t["iban"], _account(pm, seller_country)))
            else:
                if pm.channel == "DK:BANK" and pm.bic:
                    rows.append(row(f.t["bank_reg"], pm.bic))
                rows.append(row(f.t["account"], _account(pm, seller_country)))
        if pm.bic and pm.channel != "DK:BANK":
            rows.append(row(f.t["bic"], pm.bic))
        if pm.payment_id:
            rows.append(row(_paymentid_label(f, pm, seller_country), pm.payment_id))
    if pm.account_name:
        rows.append(row(f.t["account_name"], pm.account_name))
    if pm.card_number:
        rows.append(row(f.t["card"], pm.card_number))
    if pm.mandate:
        rows.append(row(f.t["mandate"], pm.mandate))
    if pm.debited_account:
        rows.append(row(f.t["debited_account"], pm.debited_account))
    return {"means": pm.name or PAYMENT_MEANS[f.lang].get(pm.code, pm.code), "rows": rows}


# -- the document ---------------------------------------------------------------------------------------------


def _meta(f: Formatter, doc: BusinessDocument, credit: bool) -> list[dict[str, str]]:
    t = f.t
    rows = [row(t["creditnote_date"] if credit else t["issue_date"], f.date(doc.issue_date))]  # BT-2
    if doc.due_date:
        rows.append(row(t["due_date"], f.date(doc.due_date)))  # BT-9
    if doc.tax_point_date:
        rows.append(row(t["tax_point_date"], f.date(doc.tax_point_date)))  # BT-7
    if doc.delivery and doc.delivery.actual_date:
        rows.append(row(t["delivery_date"], f.date(doc.delivery.actual_date)))  # BT-72
    if doc.invoice_period:
        rows.append(row(t["period"], f.period(doc.invoice_period)))  # BG-14
    if doc.buyer_reference:
        rows.append(row(t["buyer_reference"], doc.buyer_reference))  # BT-10
    if doc.order_reference:
        rows.append(row(t["order_reference"], doc.order_reference))  # BT-13
    if doc.billing_reference:
        ref = doc.billing_reference
        value = f"{ref.id} ({f.date(ref.issue_date)})" if ref.issue_date else ref.id
        rows.append(row(t["credited_invoice"], value))  # BG-3
    rows.extend(_references(f, doc))
    if doc.accounting_cost:
        rows.append(row(t["accounting_cost"], doc.accounting_cost))  # BT-19
    return rows


def _totals(f: Formatter, doc: BusinessDocument) -> list[dict[str, str]]:
    t, tot = f.t, doc.totals
    rows = [row(t["line_extension"], f.money(tot.line_extension))]  # BT-106
    if tot.allowance_total:
        rows.append(row(t["allowance_total"], f.money(-tot.allowance_total)))  # BT-107
    if tot.charge_total:
        rows.append(row(t["charge_total"], f.money(tot.charge_total)))  # BT-108
    rows.append(row(t["tax_exclusive"], f.money(tot.tax_exclusive)))  # BT-109
    rows.append(row(t["tax_total"], f.money(tot.tax_total)))  # BT-110
    rows.append(row(t["tax_inclusive"], f.money(tot.tax_inclusive)))  # BT-112
    if tot.prepaid:
        rows.append(row(t["prepaid"], f.money(-tot.prepaid)))  # BT-113
    if tot.rounding:
        rows.append(row(t["rounding"], f.money(tot.rounding)))  # BT-114
    return rows


def invoice_view(doc: BusinessDocument, lang: Lang, logo_uri: str = "", draft: bool = False) -> View:
    """The template's values for ``doc`` in ``lang``: strings, lists and dicts of them, nothing else.
    ``draft``: the stored document is a draft (source 003, trial period), and its PDF says so."""
    f = Formatter(lang, doc.currency)
    t = f.t
    credit = doc.kind == "creditnote"
    home = doc.seller.address.country
    seller = party_view(f, doc.seller, doc.buyer.address.country, buyer=False)
    buyer = party_view(f, doc.buyer, home, buyer=True)
    payments = [
        _payment(f, pm, home) for pm in (doc.payment_means, *doc.other_payment_means) if pm is not None
    ]
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
        "delivery": delivery_view(f, doc, home),
        "payee": payee_view(f, doc),
        "tax_representative": party_view(f, doc.tax_representative, home, buyer=False)
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
            row(
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
