"""Profile-neutral business document. Money is Decimal, rounded here and only here.

Each field names the EN 16931 business term it carries where there is one (BT-x / BG-x); orders use
the same terms by analogy. Templates in ``ubl_templates/`` never compute: they print these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

DocumentKind = Literal["order", "invoice", "creditnote"]
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """Round to 2 decimals, half away from zero (EN 16931 amounts have at most 2 decimals)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Address:  # BG-5 / BG-8
    street: str | None
    additional: str | None
    city: str | None
    postcode: str | None
    country: str


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


@dataclass(frozen=True)
class TaxCategory:  # BG-23 key: category code (UNCL5305) and rate
    code: Literal["S", "Z", "E", "AE", "K", "G", "O"]
    percent: Decimal
    exemption_reason: str | None = None


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
    field_map: dict[str, str] = field(default_factory=dict)
