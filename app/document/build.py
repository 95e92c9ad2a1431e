"""Form + seller profile → :class:`BusinessDocument` (source 002 rules, EN 16931 arithmetic)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from hashlib import sha1
from uuid import NAMESPACE_URL

from app.accounts.profile import SellerProfile
from app.document.model import (
    Address,
    BusinessDocument,
    Contact,
    DocumentKind,
    Identifier,
    Line,
    Party,
    TaxCategory,
    TaxSubtotal,
    Totals,
    money,
)
from app.errors import Issue, NordublError
from app.forms import identifiers
from app.forms.models import Customer, Product, RegistrationForm

ZERO = Decimal("0.00")

#: VAT rates in force per seller country (percent). A rate outside the list is refused with a hint.
VAT_RATES: dict[str, tuple[Decimal, ...]] = {
    "NO": tuple(Decimal(r) for r in ("25", "15", "12", "0")),
    "DK": tuple(Decimal(r) for r in ("25", "0")),
    "SE": tuple(Decimal(r) for r in ("25", "12", "6", "0")),
}


def document_uuid(seller: SellerProfile, kind: str, doc_id: str) -> str:
    """A stable UUID per seller, document type and number (OIOUBL requires cbc:UUID): ``uuid.uuid5`` of the
    URL namespace, written here without building a ``uuid.UUID`` (most of uuid5's time; RFC 4122 §4.3)."""
    name = f"urn:nordubl:{seller.country}:{seller.org_number}:{kind}:{doc_id}"
    h = bytearray(sha1(NAMESPACE_URL.bytes + name.encode(), usedforsecurity=False).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50  # version 5
    h[8] = (h[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def seller_party(seller: SellerProfile) -> Party:
    scheme = seller.scheme
    return Party(
        name=seller.trading_name or seller.name,
        registration_name=seller.name,
        endpoint=Identifier(seller.org_number, scheme),  # PEPPOL-EN16931-R020: seller electronic address
        identifiers=(Identifier(seller.org_number, scheme),),
        legal_id=Identifier(seller.org_number, scheme),
        # NO-R-002: a Norwegian seller in the Register of Business Enterprises states "Foretaksregisteret"
        legal_form="Foretaksregisteret" if seller.country == "NO" and seller.foretaksregisteret else None,
        vat_id=seller.vat_id,  # NO-R-001: NO + org. no. + MVA
        address=Address(seller.address, seller.address2, seller.city, seller.postcode, seller.country),
        contact=Contact(seller.contact_name, seller.phone, seller.email),
    )


def buyer_party(customer: Customer, seller: SellerProfile, customer_number: str | None = None) -> Party:
    """Source 002: the organisation number identifies a company, the mobile number a private person."""
    company_scheme = identifiers.SCHEME_BY_COUNTRY.get(customer.country)
    legal_id = Identifier(customer.org_number, company_scheme) if customer.org_number else None
    endpoint: Identifier | None
    if customer.ean:
        endpoint = Identifier(customer.ean, identifiers.GLN_SCHEME)
    elif customer.org_number and company_scheme:
        endpoint = Identifier(customer.org_number, company_scheme)
    else:
        # A private person has no Peppol address: the document goes to the seller's own ERP, so the
        # seller's endpoint stands in as the buyer's electronic address (PEPPOL-EN16931-R010 / EHF-T01-B03301).
        endpoint = Identifier(seller.org_number, seller.scheme)
    ids: list[Identifier] = []
    if customer_number:
        ids.append(Identifier(customer_number))
    elif legal_id is not None:
        ids.append(legal_id)
    elif customer.mobile:
        ids.append(Identifier(customer.mobile))
    elif customer.email:
        ids.append(Identifier(customer.email))
    contact_name = customer.ean_reference_person or customer.contact_name
    return Party(
        name=customer.name,
        registration_name=customer.name,
        endpoint=endpoint,
        identifiers=tuple(ids),
        legal_id=legal_id,
        legal_form=None,
        vat_id=customer.vat_number,
        address=Address(
            customer.address, customer.address2, customer.city, customer.postcode, customer.country
        ),
        contact=Contact(contact_name, customer.mobile, customer.email),
    )


def tax_category(product: Product, index: int, seller: SellerProfile) -> TaxCategory:
    allowed = VAT_RATES.get(seller.country)
    rate = product.vat_rate
    if allowed is not None and rate not in allowed:
        rates = ", ".join(f"{r} %" for r in allowed)
        raise NordublError(
            "The form cannot become a valid document",
            [
                Issue(
                    "input.vat_rate",
                    "fatal",
                    f"VAT rate {rate} % is not a {seller.country} VAT rate.",
                    field=f"products[{index}].vat_rate",
                    hint=f"Use one of {rates}.",
                    value=str(rate),
                )
            ],
        )
    if rate > 0:
        return TaxCategory("S", rate.normalize())  # BR-S-05: standard rate above zero
    return TaxCategory("Z", Decimal("0"))  # BR-Z-05: zero-rated, rate 0


def build_lines(form: RegistrationForm, seller: SellerProfile) -> list[Line]:
    lines = []
    for i, p in enumerate(form.products):
        lines.append(
            Line(
                id=str(i + 1),
                quantity=p.quantity,
                unit_code=p.unit_code,
                net_amount=money(p.quantity * p.price),  # BR-CO-10 terms / PEPPOL-EN16931-R120: qty × price
                price=p.price,
                name=p.line_name,  # source 002: alias, falling back to the product name
                seller_item_id=p.product_number,
                tax=tax_category(p, i, seller),
                source=f"products[{i}]",
            )
        )
    return lines


def tax_breakdown(lines: list[Line]) -> list[TaxSubtotal]:
    """BR-CO-17 / BR-S-08 / BR-S-09: per category and rate, VAT = taxable × rate, rounded once."""
    groups: dict[TaxCategory, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        groups[line.tax] += line.net_amount
    out = []
    for cat, taxable in sorted(groups.items(), key=lambda kv: (kv[0].code, -kv[0].percent)):
        out.append(TaxSubtotal(cat, money(taxable), money(taxable * cat.percent / 100)))
    return out


def header_note(form: RegistrationForm) -> str | None:
    """Source 002: the activity's ID, title, start date and location go into the header note."""
    parts = []
    if form.activity:
        a = form.activity
        bits = [f"{a.title} (ID {a.id})"]
        if a.start_date:
            bits.append(a.start_date.isoformat())
        if a.location:
            bits.append(a.location)
        parts.append(", ".join(bits))
    if form.note:
        parts.append(form.note)
    pay = form.payment
    if pay and pay.status == "paid":
        how = f" by {pay.method}" if pay.method else ""
        ref = f", reference {pay.reference}" if pay.reference else ""
        parts.append(f"Paid{how}{ref}.")
    return " — ".join(parts) or None


def build_document(
    form: RegistrationForm,
    seller: SellerProfile,
    kind: DocumentKind = "order",
    customer_number: str | None = None,
) -> BusinessDocument:
    lines = build_lines(form, seller)
    subtotals = tax_breakdown(lines)
    line_total = sum((ln.net_amount for ln in lines), ZERO)  # BR-CO-10
    tax_total = sum((s.tax for s in subtotals), ZERO)  # BR-CO-14
    tax_exclusive = line_total  # BR-CO-13 (no document-level allowances or charges)
    tax_inclusive = tax_exclusive + tax_total  # BR-CO-15
    prepaid = ZERO
    pay = form.payment
    if pay and pay.status == "paid":
        # A sign-up paid by card is prepaid: the ERP must not invoice it again.
        prepaid = min(money(pay.amount), tax_inclusive) if pay.amount is not None else tax_inclusive
    totals = Totals(
        line_extension=line_total,
        allowance_total=ZERO,
        charge_total=ZERO,
        tax_exclusive=tax_exclusive,
        tax_total=tax_total,
        tax_inclusive=tax_inclusive,
        prepaid=prepaid,
        rounding=ZERO,
        payable=tax_inclusive - prepaid,  # BR-CO-16
    )
    delivery_terms = (form.activity.invoice_comment if form.activity else None) or seller.delivery_terms
    note = header_note(form)
    # PEPPOL-T01-R002: an order should state its validity end; a sign-up is valid until the activity starts.
    start = form.activity.start_date if form.activity else None
    validity_end = start if start and start >= form.order_date else form.order_date + timedelta(days=30)
    return BusinessDocument(
        kind=kind,
        id=form.order_id,
        issue_date=form.order_date,
        currency=form.currency,
        seller=seller_party(seller),
        buyer=buyer_party(form.customer, seller, customer_number),
        lines=tuple(lines),
        tax_subtotals=tuple(subtotals),
        totals=totals,
        notes=(note,) if note else (),
        buyer_reference=form.customer.external_invoice_reference,
        order_reference=form.customer.ean_requisition,
        delivery_terms=delivery_terms,
        payment_terms=seller.payment_terms_text,
        accounting_cost=seller.prepaid_account if prepaid > 0 else None,
        payment_reference=pay.reference if pay else None,
        payment_method=pay.method if pay else None,
        validity_end=validity_end if kind == "order" else None,
        uuid=document_uuid(seller, kind, form.order_id),
    )
