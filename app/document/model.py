"""Profile-neutral business document. Money is Decimal, rounded here and only here.

Each field names the EN 16931 business term it carries where there is one (BT-x / BG-x); orders use
the same terms by analogy. Templates in ``app/ubl/templates/`` never compute: they print these values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

DocumentKind = Literal["order", "invoice", "creditnote"]
CENT = Decimal("0.01")


def round_half_up(value: Decimal, places: Decimal) -> Decimal:
    """The one rounding rule of the documents: to ``places`` (e.g. ``Decimal("0.01")``), half away from zero.
    Amounts (EN 16931: at most 2 decimals) and derived unit prices go through it, nothing else rounds."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> Decimal:
    """Round to 2 decimals, half away from zero (EN 16931 amounts have at most 2 decimals)."""
    return round_half_up(value, CENT)


def number(value: Decimal) -> str:
    """A quantity, price or rate as UBL prints it: as few decimals as needed, never exponent notation."""
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Address:  # BG-5 / BG-8
    street: str | None
    additional: str | None
    city: str | None
    postcode: str | None
    country: str
    subdivision: str | None = None  # BT-39 / BT-54 / BT-68 / BT-79 (CountrySubentity)
    line3: str | None = None  # BT-162 / BT-163 / BT-164 / BT-165 (AddressLine/Line)


@dataclass(frozen=True)
class Contact:  # BG-6 / BG-9
    name: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class Identifier:
    value: str
    scheme: str | None = None


@dataclass(frozen=True)
class Party:
    name: str  # BT-27 / BT-44 (trading name / party name)
    registration_name: str  # BT-27 / BT-44 legal registration name
    endpoint: Identifier | None  # BT-34 / BT-49
    identifiers: tuple[Identifier, ...]  # BT-29 / BT-46
    legal_id: Identifier | None  # BT-30 / BT-47
    legal_form: str | None  # BT-33 ("Foretaksregisteret", NO-R-002)
    vat_id: str | None  # BT-31 / BT-48
    address: Address
    contact: Contact | None
    #: BT-33 as cac:PartyLegalEntity/cbc:CompanyLegalForm (EHF writes "Foretaksregisteret" in legal_form)
    company_legal_form: str | None = None


@dataclass(frozen=True)
class TaxCategory:  # BG-23 key: category code (UNCL5305) and rate
    code: Literal["S", "Z", "E", "AE", "K", "G", "O", "L", "M"]
    percent: Decimal
    exemption_reason: str | None = None  # BT-120
    exemption_reason_code: str | None = None  # BT-121 (VATEX code list)

    def vat(self, taxable: Decimal) -> Decimal:
        """The VAT of ``taxable`` in this category: taxable × rate, rounded once to 2 decimals (BR-CO-17,
        BR-S-09; a line's VAT for OIOUBL's line TaxTotal the same way)."""
        return money(taxable * self.percent / 100)

    def net(self, gross: Decimal) -> Decimal:
        """The net of a VAT-inclusive ``gross`` in this category, unrounded: gross / (1 + rate)."""
        return gross / (1 + self.percent / 100)


@dataclass(frozen=True)
class AllowanceCharge:  # BG-20 / BG-21 (document level), BG-27 / BG-28 (line level)
    charge: bool  # ChargeIndicator: true = charge (fee), false = allowance (discount)
    amount: Decimal  # BT-92 / BT-99 / BT-136 / BT-141
    reason: str | None  # BT-97 / BT-104 / BT-139 / BT-144
    reason_code: str | None  # UNCL5189 (allowance) / UNCL7161 (charge)
    tax: TaxCategory | None = None  # BT-95 / BT-102 (document level only)
    percent: Decimal | None = None  # BT-94 / BT-101 / BT-138 / BT-143
    base_amount: Decimal | None = None  # BT-93 / BT-100 / BT-137 / BT-142
    source: str | None = None


@dataclass(frozen=True)
class PaymentMeans:  # BG-16
    code: str  # BT-81 (UNCL4461): 30 credit transfer, 58 SEPA credit transfer, 48 bank card
    account: str | None = None  # BT-84
    account_is_iban: bool = False
    bic: str | None = None  # BT-86
    payment_id: str | None = None  # BT-83 (KID in Norway)
    card_reference: str | None = None  # the payment provider's transaction reference
    name: str | None = None  # BT-82 payment means text
    account_name: str | None = None  # BT-85
    card_number: str | None = None  # BT-87 (last digits of the card)
    mandate: str | None = None  # BT-89 (direct debit mandate reference)
    debited_account: str | None = None  # BT-91
    #: OIOUBL PaymentChannelCode (DK:BANK, DK:FIK, IBAN …); with DK:BANK ``bic`` holds the registration no.
    channel: str | None = None
    #: OIOUBL FIK: InstructionID (the payment id after the card type) and CreditAccount/AccountID (creditor)
    instruction_id: str | None = None
    creditor_account: str | None = None


@dataclass(frozen=True)
class BillingReference:  # BG-3
    id: str  # BT-25
    issue_date: date | None = None  # BT-26


@dataclass(frozen=True)
class Period:  # BG-14 / BG-26
    start: date | None  # BT-73 / BT-134
    end: date | None  # BT-74 / BT-135


@dataclass(frozen=True)
class Delivery:  # BG-13
    actual_date: date | None = None  # BT-72
    location_id: Identifier | None = None  # BT-71
    address: Address | None = None  # BG-15
    party_name: str | None = None  # BT-70


@dataclass(frozen=True)
class DocumentReference:
    #: the business term the reference carries: BT-11 project, BT-12 contract, BT-14 sales order,
    #: BT-15 receiving advice, BT-16 despatch advice, BT-17 tender, BT-18 invoiced object, BT-122 (BG-24)
    term: str
    id: str
    description: str | None = None  # BT-123


@dataclass(frozen=True)
class Payee:  # BG-10
    name: str  # BT-59
    identifier: Identifier | None = None  # BT-60
    legal_id: Identifier | None = None  # BT-61


@dataclass(frozen=True)
class Line:  # BG-25
    id: str  # BT-126
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130
    net_amount: Decimal  # BT-131 = quantity × price, rounded
    price: Decimal  # BT-146 (net price, excl. VAT)
    name: str  # BT-153
    seller_item_id: str | None  # BT-155
    tax: TaxCategory  # BT-151 / BT-152
    note: str | None = None  # BT-127
    #: the form field this line came from (``products[3]``)
    source: str | None = None
    allowances: tuple[AllowanceCharge, ...] = ()  # BG-27
    #: the line's tax amount (OIOUBL prints a TaxTotal per line)
    line_tax: Decimal | None = None
    #: net unit price after the line's allowances (OIOUBL F-INV340 checks the line amount against it)
    net_price: Decimal | None = None
    description: str | None = None  # BT-154
    buyer_item_id: str | None = None  # BT-156
    standard_item_id: Identifier | None = None  # BT-157
    base_quantity: Decimal | None = None  # BT-149 (price per this many units)
    gross_price: Decimal | None = None  # BT-148
    price_discount: Decimal | None = None  # BT-147
    period: Period | None = None  # BG-26
    order_line_reference: str | None = None  # BT-132
    accounting_cost: str | None = None  # BT-133
    attributes: tuple[tuple[str, str], ...] = ()  # BG-32: (BT-160 name, BT-161 value)


@dataclass(frozen=True)
class TaxSubtotal:  # BG-23
    category: TaxCategory
    taxable: Decimal  # BT-116
    tax: Decimal  # BT-117


@dataclass(frozen=True)
class Totals:  # BG-22
    line_extension: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    rounding: Decimal  # BT-114
    payable: Decimal  # BT-115

    @property
    def before_prepaid(self) -> Decimal:
        """BT-112 + BT-114: what the buyer owes in all (OIOUBL's TaxInclusiveAmount includes rounding)."""
        return self.tax_inclusive + self.rounding


@dataclass(frozen=True)
class BusinessDocument:
    kind: DocumentKind
    id: str  # BT-1
    issue_date: date  # BT-2
    currency: str  # BT-5
    seller: Party  # BG-4
    buyer: Party  # BG-7
    lines: tuple[Line, ...]
    tax_subtotals: tuple[TaxSubtotal, ...]
    totals: Totals
    notes: tuple[str, ...] = ()  # BT-22
    buyer_reference: str | None = None  # BT-10
    order_reference: str | None = None  # BT-13
    delivery_terms: str | None = None
    payment_terms: str | None = None  # BT-20
    accounting_cost: str | None = None  # BT-19
    payment_reference: str | None = None  # BT-83
    payment_method: str | None = None
    validity_end: date | None = None  # order validity (PEPPOL-T01-R002)
    # -- invoices and credit notes --
    allowance_charges: tuple[AllowanceCharge, ...] = ()  # BG-20 / BG-21
    due_date: date | None = None  # BT-9
    payment_means: PaymentMeans | None = None  # BG-16
    billing_reference: BillingReference | None = None  # BG-3 (credit notes)
    #: the seller's posting dimensions (source 004): (name, value), e.g. ("department", "KURS")
    dimensions: tuple[tuple[str, str], ...] = ()
    #: how a VAT-inclusive price's rounding difference was allocated (None: there was none)
    rounding_allocation: str | None = None
    #: a stable UUID of the document (OIOUBL requires cbc:UUID)
    uuid: str | None = None
    #: the language the service wrote its own texts in (notes, reasons, terms; nb, da, sv, en)
    language: str = "en"
    # -- read from a UBL document (app/reader): terms our own writers do not produce --
    customization_id: str | None = None  # BT-24
    profile_id: str | None = None  # BT-23
    type_code: str | None = None  # BT-3 (UNCL1001: 380 invoice, 381 credit note …)
    tax_point_date: date | None = None  # BT-7
    tax_currency: str | None = None  # BT-6
    tax_total_accounting: Decimal | None = None  # BT-111 (VAT in the accounting currency)
    invoice_period: Period | None = None  # BG-14
    delivery: Delivery | None = None  # BG-13
    references: tuple[DocumentReference, ...] = ()  # BT-11, BT-12, BT-14 … BT-18, BG-24
    payee: Payee | None = None  # BG-10
    tax_representative: Party | None = None  # BG-11
    other_payment_means: tuple[PaymentMeans, ...] = ()  # BG-16 after the first
    #: OIOUBL DiscrepancyResponse/Description: why a credit note was issued
    credit_reason: str | None = None

    @classmethod
    def of(
        cls,
        kind: DocumentKind,
        id: str,  # BT-1: the field's name
        issue_date: date,
        currency: str,
        seller: Party,
        buyer: Party,
        lines: Iterable[Line],
        tax_subtotals: Iterable[TaxSubtotal],
        totals: Totals,
        *,
        notes: Iterable[str | None] = (),
        allowance_charges: Iterable[AllowanceCharge] = (),
        **terms: Any,
    ) -> BusinessDocument:
        """The one way a document is made, whether built from a form (:mod:`app.document.invoice`) or read
        from UBL (:mod:`app.reader`): its groups of terms become tuples (the document is frozen, and equal
        documents compare equal), and a note without text is no note (BT-22 is text)."""
        return cls(
            kind,
            id,
            issue_date,
            currency,
            seller,
            buyer,
            tuple(lines),
            tuple(tax_subtotals),
            totals,
            tuple(n for n in notes if n),
            allowance_charges=tuple(allowance_charges),
            **terms,
        )
