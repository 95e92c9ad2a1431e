"""Form + seller + buyer → order, invoice or credit note :class:`BusinessDocument` (EN 16931 arithmetic).

One builder for the three documents: an order carries the same lines, fees (as document-level charges with
their VAT), VAT breakdown and totals as the invoice of the same form, so the two ask the same amount.

Every amount is rounded here, once, to two decimals (half away from zero) where EN 16931 rounds it:
line net amounts (BR-CO-10 terms), allowance and charge amounts, VAT per category (BR-CO-17 / BR-S-09),
and nothing else: the totals are sums of rounded values (BR-CO-10 … BR-CO-16).

With ``prices_include_vat`` (webshops) the form's prices and fees include VAT. Net amounts are derived
per line; whatever cent the per-category VAT rounding leaves between the net document and the amount
the shop charged is first absorbed by the largest line of the category (within the 0.02 slack of
PEPPOL-EN16931-R120) and only then, if any remains, carried as the payable rounding amount (BT-114).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError

from app.accounts.profile import SellerProfile
from app.document.build import buyer_party, category, document_uuid, header_note, seller_party
from app.document.buyer import BuyerIdentity, identify
from app.document.model import (
    AllowanceCharge,
    BillingReference,
    BusinessDocument,
    DocumentKind,
    Line,
    PaymentMeans,
    TaxCategory,
    TaxSubtotal,
    Totals,
    money,
    round_half_up,
)
from app.errors import NordublError
from app.forms.models import RegistrationForm
from app.i18n import N_, translator

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: net unit prices derived from VAT-inclusive prices carry at most this many decimals (BT-146 has no limit)
PRICE_PLACES = Decimal("0.000001")
#: a discounted line's net unit price (OIOUBL F-INV340: 4 decimals keep price × quantity within ±1.00)
NET_PRICE_PLACES = Decimal("0.0001")

#: UNCL7161 charge reason codes for the fees of source 003, with a default reason text (BR-38 / BR-CO-22)
#: (msgids, written in the account's language: :func:`fee_reason`)
FEE_REASONS: dict[str, tuple[str, str]] = {
    "freight": ("FC", N_("Freight")),  # FC = Freight service
    "payment": ("ABK", N_("Payment fee")),  # ABK = Miscellaneous
    "card": ("ABK", N_("Card fee")),
    "other": ("ABK", N_("Fee")),
}
#: the reason text of a line discount (BT-139), a msgid
DISCOUNT_REASON = N_("Discount")
#: UNCL5189 allowance reason code for a line discount (BR-42 / BR-CO-23)
DISCOUNT_CODE = "95"


#: the title of a form refused while its document is built
REFUSED = "The form cannot become a valid document"


@dataclass
class _Draft:
    line: Line
    charged: Decimal  # what the shop charged for the line (VAT-inclusive mode), else 0


def fee_reason(kind: str, lang: str) -> tuple[str, str]:
    """The UNCL7161 code and the default reason text (BT-105) of a fee kind, in ``lang``."""
    code, text = FEE_REASONS[kind]
    return code, translator(lang).gettext(text)


def _lines(form: RegistrationForm, country: str, kind: DocumentKind, lang: str) -> list[_Draft]:
    gross = form.prices_include_vat
    out = []
    for i, p in enumerate(form.products):
        src = f"products[{i}]"
        cat = category(p.vat_rate, f"{src}.vat_rate", country)
        # a line discount is an invoicing term (BG-27); an order states the undiscounted line
        pct = p.discount_percent if kind != "order" else None
        if gross:
            charged_base = money(p.quantity * p.price)
            charged = charged_base - (money(charged_base * pct / 100) if pct else ZERO)
            price = round_half_up(cat.net(p.price), PRICE_PLACES).normalize()
            base = money(cat.net(charged_base))
        else:
            charged = ZERO
            price = p.price
            base = money(p.quantity * p.price)  # PEPPOL-EN16931-R120: quantity × net price
        allowances: tuple[AllowanceCharge, ...] = ()
        net = base
        if pct:
            disc = money(base * pct / 100)  # PEPPOL-EN16931-R040: amount = base × percentage / 100
            allowances = (
                AllowanceCharge(
                    False,
                    disc,
                    translator(lang).gettext(DISCOUNT_REASON),
                    DISCOUNT_CODE,
                    None,
                    pct.normalize(),
                    base,
                    f"{src}.discount_percent",
                ),
            )
            net = base - disc  # PEPPOL-EN16931-R120: net = quantity × price − line allowances
        line = Line(
            id=str(i + 1),
            quantity=p.quantity,
            unit_code=p.unit_code,
            net_amount=net,
            price=price,
            name=p.line_name,  # source 002: alias, falling back to the product name
            seller_item_id=p.product_number,
            tax=cat,
            source=src,
            allowances=allowances,
            line_tax=cat.vat(net),  # OIOUBL line TaxTotal
            net_price=round_half_up(net / p.quantity, NET_PRICE_PLACES) if allowances else None,
        )
        out.append(_Draft(line, charged))
    return out


def _fees(form: RegistrationForm, country: str, lang: str) -> list[tuple[AllowanceCharge, Decimal]]:
    """Source 003: freight, payment and card fees become document-level charges (BG-21)."""
    out = []
    for i, f in enumerate(form.fees):
        cat = category(f.vat_rate, f"fees[{i}].vat_rate", country)
        code, default = fee_reason(f.kind, lang)
        amount = money(cat.net(f.amount)) if form.prices_include_vat else f.amount
        charged = f.amount if form.prices_include_vat else ZERO
        out.append(
            (AllowanceCharge(True, amount, f.description or default, code, cat, source=f"fees[{i}]"), charged)
        )
    return out


def _breakdown(lines: list[Line], charges: list[AllowanceCharge]) -> dict[TaxCategory, Decimal]:
    """BR-S-08 / BR-Z-08: taxable amount per category = line nets + charges − allowances."""
    groups: dict[TaxCategory, Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        groups[ln.tax] += ln.net_amount
    for ac in charges:
        assert ac.tax is not None
        groups[ac.tax] += ac.amount if ac.charge else -ac.amount
    return groups


def _absorb(drafts: list[_Draft], fees: list[tuple[AllowanceCharge, Decimal]]) -> list[Line]:
    """VAT-inclusive prices: move a cent between the category's largest line and its VAT so that the
    category's net + VAT equals what the shop charged, when one cent does it (BR-S-08 / BR-S-09 keep holding;
    the line stays within PEPPOL-EN16931-R120's 0.02 slack: at most 0.005 + 0.01 from quantity × price)."""
    lines = [d.line for d in drafts]
    charged: dict[TaxCategory, Decimal] = defaultdict(lambda: ZERO)
    for d in drafts:
        charged[d.line.tax] += d.charged
    for ac, c in fees:
        assert ac.tax is not None
        charged[ac.tax] += c
    taxable = _breakdown(lines, [ac for ac, _ in fees])
    for cat, t in taxable.items():
        if t + cat.vat(t) == charged[cat]:
            continue
        candidates = [i for i, ln in enumerate(lines) if ln.tax == cat]
        if not candidates:
            continue  # a category of fees only: the payable rounding amount takes the cent
        for delta in (CENT, -CENT):
            t2 = t + delta
            if t2 + cat.vat(t2) == charged[cat]:
                idx = max(candidates, key=lambda i: lines[i].net_amount)
                net = lines[idx].net_amount + delta
                ln = lines[idx]
                net_price = round_half_up(net / ln.quantity, NET_PRICE_PLACES) if ln.allowances else None
                lines[idx] = replace(ln, net_amount=net, line_tax=cat.vat(net), net_price=net_price)
                break
    return lines


def _kid(value: str, field: str) -> str:
    """A Norwegian KID: digits with a MOD10 (Luhn) or MOD11 check digit (a trailing '-' is MOD11's 10)."""
    from stdnum.exceptions import InvalidChecksum

    from app.forms.identifiers import kid  # the one KID check (the PDF view labels a KID with it too)

    try:
        return kid(value)
    except InvalidChecksum:
        raise NordublError.of("input.kid", field, title=REFUSED, value=value, variant="check_digit") from None
    except StdnumError:
        raise NordublError.of("input.kid", field, title=REFUSED, value=value, variant="format") from None


def danish_account(value: str) -> tuple[str, str] | None:
    """A Danish domestic account "reg. no. + account no." (4 + up to 10 digits, spaces or a dash between)
    as (registration number, account number); None when it is not one."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(value.replace(" ", "").replace("-", "")) != len(digits) or not 5 <= len(digits) <= 14:
        return None
    return digits[:4], digits[4:]


def _fik_id(form: RegistrationForm, doc_id: str, card: str) -> str:
    """The FIK payment id of card type +71 (15 digits) or +75 (16 digits): the form's payment_id, or the
    invoice number's digits, zero-padded, with a modulus-10 (Luhn) check digit."""
    width = 15 if card == "71" else 16
    if form.payment_id:
        pid = form.payment_id.replace(" ", "")
        if not (pid.isdigit() and len(pid) == width):
            raise NordublError.of(
                "input.fik_payment_id", title=REFUSED, value=form.payment_id, card=card, width=str(width)
            )
        return pid
    digits = "".join(ch for ch in doc_id if ch.isdigit())[-(width - 1) :].rjust(width - 1, "0")
    return digits + luhn.calc_check_digit(digits)


def _payment_means(
    form: RegistrationForm, seller: SellerProfile, payable: Decimal, doc_id: str
) -> PaymentMeans | None:
    """BG-16: where to pay, from the seller's account (the first that applies):

    * fully prepaid by card: 48 (bank card), nothing left to transfer;
    * a Norwegian account number (BBAN): 30, credit transfer, with the KID as payment id;
    * a Danish FIK creditor number: 93 with ``71#…`` / ``73#`` / ``75#…`` (DK-R-010, DK-R-011);
    * a Danish domestic account (reg. no. + account no.): 42 with the registration number as the branch
      (DK-R-006);
    * an IBAN (with or without BIC): 58, SEPA credit transfer (BR-50, BR-61);
    * another domestic account: 30.
    """
    pay = form.payment
    pid = form.payment_id
    if pid and seller.country == "NO":
        pid = _kid(pid, "payment_id")
    if payable <= 0 and pay and pay.status == "paid":
        # Prepaid by card (Vipps, Stripe, Nets …): UNCL4461 48 = bank card; nothing left to transfer.
        return PaymentMeans("48", payment_id=pid or pay.reference, card_reference=pay.reference)
    if seller.country == "NO" and seller.bank_account:
        # UNCL4461 30 = credit transfer to the seller's domestic account (BBAN); BR-50: account id
        return PaymentMeans("30", seller.bank_account, False, None, pid)
    if seller.country == "DK" and seller.fik_creditor:
        card = seller.fik_card_type
        instruction = _fik_id(form, doc_id, card) if card != "73" else None
        return PaymentMeans(
            "93",  # UNCL4461 93 = reference giro (FIK); OIOUBL writes it with channel DK:FIK (F-LIB152..305)
            seller.fik_creditor,
            payment_id=f"{card}#{instruction or ''}",
            channel="DK:FIK",
            instruction_id=instruction,
            creditor_account=seller.fik_creditor,
        )
    if seller.country == "DK" and seller.bank_account and (dk := danish_account(seller.bank_account)):
        # UNCL4461 42 = payment to bank account: the account and its registration number (DK-R-006,
        # OIOUBL F-LIB127 with channel DK:BANK)
        return PaymentMeans("42", dk[1], False, dk[0], pid, channel="DK:BANK")
    if seller.iban:
        # UNCL4461 58 = SEPA credit transfer: IBAN (+ BIC) (BR-50, BR-61)
        return PaymentMeans("58", seller.iban.replace(" ", ""), True, seller.bic, pid)
    if seller.bank_account:
        return PaymentMeans("30", seller.bank_account, False, None, pid)
    return None


def build_document(
    form: RegistrationForm,
    seller: SellerProfile,
    kind: DocumentKind = "order",
    buyer: BuyerIdentity | None = None,
    invoice_ref: str | None = None,
) -> BusinessDocument:
    """An order, invoice or credit note (``kind="creditnote"``) from the form; amounts are positive in all.
    ``buyer`` is the buyer identity the caller made (the account's customer); by default the form's own."""
    country = seller.country
    buyer = buyer or identify(form)
    billing: BillingReference | None = None
    if kind == "creditnote":
        ref = invoice_ref or (form.credited_invoice.id if form.credited_invoice else None)
        if not ref:
            raise NordublError.of("input.credited_invoice_missing", title=REFUSED)
        billing = BillingReference(ref, form.credited_invoice.issue_date if form.credited_invoice else None)

    lang = seller.language  # the account's language: every text the service writes itself
    drafts = _lines(form, country, kind, lang)
    fees = _fees(form, country, lang)
    charges = [ac for ac, _ in fees]
    lines = _absorb(drafts, fees) if form.prices_include_vat else [d.line for d in drafts]
    groups = _breakdown(lines, charges)
    subtotals = [
        # BR-CO-17 / BR-S-09: VAT per category = taxable × rate, rounded once to 2 decimals
        TaxSubtotal(cat, money(t), cat.vat(t))
        for cat, t in sorted(groups.items(), key=lambda kv: (kv[0].code, -kv[0].percent))
    ]
    line_total = sum((ln.net_amount for ln in lines), ZERO)  # BR-CO-10
    charge_total = sum((ac.amount for ac in charges), ZERO)  # BR-CO-14 terms: sum of document charges
    tax_exclusive = line_total + charge_total  # BR-CO-13
    tax_total = sum((s.tax for s in subtotals), ZERO)  # BR-CO-14
    tax_inclusive = tax_exclusive + tax_total  # BR-CO-15
    rounding = ZERO
    allocation = None
    if form.prices_include_vat:
        charged = sum((d.charged for d in drafts), ZERO) + sum((c for _, c in fees), ZERO)
        rounding = charged - tax_inclusive  # BT-114: the payable equals exactly what the shop charged
        if rounding:
            allocation = f"payable rounding amount {rounding}"
        elif [ln.net_amount for ln in lines] != [d.line.net_amount for d in drafts]:
            allocation = "absorbed by the largest line of a VAT category"
    before_prepaid = tax_inclusive + rounding
    prepaid = ZERO
    pay = form.payment
    if pay and pay.status == "paid" and kind != "creditnote":
        # Source 004: an order already paid (card, Vipps …) is prepaid (BT-113): the ERP must not invoice
        # it again
        prepaid = min(money(pay.amount), before_prepaid) if pay.amount is not None else before_prepaid
    payable = before_prepaid - prepaid  # BR-CO-16
    totals = Totals(
        line_extension=line_total,
        allowance_total=ZERO,
        charge_total=charge_total,
        tax_exclusive=tax_exclusive,
        tax_total=tax_total,
        tax_inclusive=tax_inclusive,
        prepaid=prepaid,
        rounding=rounding,
        payable=payable,
    )
    order = kind == "order"
    issue = form.order_date if order else (form.invoice_date or form.order_date)
    doc_id = form.order_id if order else (form.invoice_number or form.order_id)
    due: date | None = None
    if kind == "invoice":
        # BR-CO-25: an amount to pay needs a due date or terms; an invoice always states the date, the day
        # of issue when nothing is left to pay
        terms = issue + timedelta(days=seller.payment_terms_days) if payable > 0 else issue
        due = form.due_date or terms
    validity_end: date | None = None
    if order:
        # PEPPOL-T01-R002: an order should state its validity end; a sign-up is valid until the activity
        # starts, any other order 30 days
        start = form.activity.start_date if form.activity else None
        validity_end = start if start and start >= form.order_date else form.order_date + timedelta(days=30)
    delivery_terms = (form.activity.invoice_comment if form.activity else None) or seller.delivery_terms
    dims = tuple((k, v) for k, v in (("department", seller.department), ("location", seller.location)) if v)
    return BusinessDocument.of(
        kind,
        doc_id,
        issue,
        form.currency,
        seller_party(seller),
        buyer_party(buyer, seller, kind),
        lines,
        subtotals,
        totals,
        notes=[header_note(form, lang)],
        buyer_reference=buyer.buyer_reference,  # BT-10, never empty (PEPPOL-EN16931-R003)
        order_reference=buyer.order_reference,  # BT-13: source 001, the EAN requisition number
        delivery_terms=delivery_terms,
        payment_terms=seller.payment_terms_text if (payable > 0 or order) else None,
        # Source 004: a prepaid order is booked against the account's prepaid account (BT-19)
        accounting_cost=seller.prepaid_account if prepaid > 0 else None,
        payment_reference=pay.reference if pay else None,
        payment_method=pay.method if pay else None,
        validity_end=validity_end,
        allowance_charges=charges,
        due_date=due,
        payment_means=_payment_means(form, seller, payable, doc_id) if kind == "invoice" else None,
        billing_reference=billing,
        dimensions=dims if not order else (),
        rounding_allocation=allocation,
        uuid=document_uuid(seller, kind, doc_id),
        language=lang,
    )
