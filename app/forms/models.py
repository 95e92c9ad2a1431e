"""The registration form (source 002) — also a webshop order: the input contract of the service.

Field names are what error messages name (``customer.org_number``, ``products[2].vat_rate``), so a
person can fix the form, not the XML.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.forms import identifiers

#: Characters XML 1.0 cannot carry (§2.2 Char): C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Refuse text a UBL document cannot carry, naming the character (XML 1.0 §2.2), before any XML is
    written: the owner learns which field to clean instead of a malformed document."""
    bad = _NOT_XML.search(value)
    if bad:
        raise PydanticCustomError(
            "control_character",
            "The text holds the control character U+{codepoint} at position {pos}, which no XML document can "
            "carry",
            # the variant of input.control_character (app/codes/) and its parameters
            {"variant": "position", "codepoint": f"{ord(bad.group()):04X}", "pos": str(bad.start() + 1)},
        )
    return value


XmlSafe = AfterValidator(xml_text)
Text = Annotated[str, XmlSafe, Field(min_length=1, max_length=500)]
LongText = Annotated[str, XmlSafe, Field(min_length=1, max_length=2000)]
CustomerKind = Literal["B2C", "B2B", "EAN"]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:  # ISO 3166-1 alpha-2 regions (BR-CL-14)
        raise PydanticCustomError(
            "country", "'{value}' is not an ISO 3166-1 alpha-2 country code (NO, DK, SE …)", {"value": value}
        )
    return code


class Customer(BaseModel):
    """The customer block of the form (source 002), plus the Danish EAN fields of source 001."""

    model_config = _STRICT

    country: str = Field("NO", description="Invoice address country, ISO 3166-1 alpha-2", examples=["NO"])
    org_number: str | None = Field(
        None,
        description="Organisation number (NO), CVR (DK) or org. number (SE): identifies a company customer",
        examples=["991825827"],
    )
    company_name: Text | None = Field(
        None,
        description="Company or department name: the invoice recipient",
        examples=["Equinor ASA, avd. HMS"],
    )
    first_name: Text | None = Field(
        None,
        description="Contact person; the customer name when there is no company name (a private customer "
        "needs a name: first/last name or company_name). Optional for companies: webshop B2B checkouts "
        "often have no contact",
        examples=["Kari"],
    )
    last_name: Text | None = Field(None, description="Contact person's last name", examples=["Nordmann"])
    email: Text | None = Field(
        None,
        description="Contact e-mail; where the invoice mail goes, and how a shop's private customer is found "
        "again (source 001)",
        examples=["kari.nordmann@example.no"],
    )
    mobile: Text | None = Field(
        None, description="Contact phone; identifies a private person", examples=["+47 912 34 567"]
    )
    address: Text | None = Field(
        None, description="Invoice address, street and number", examples=["Storgata 12"]
    )
    address2: Text | None = Field(None, description="Invoice address, second line", examples=["Postboks 8"])
    postcode: Annotated[str, XmlSafe, Field(min_length=1, max_length=20)] | None = Field(
        None, description="Invoice address postcode", examples=["0155"]
    )
    city: Text | None = Field(None, description="Invoice address city", examples=["Oslo"])
    external_invoice_reference: Text | None = Field(
        None,
        description="The customer's reference (PO number, account, project): buyer reference",
        examples=["PO-4711"],
    )
    customer_number: Text | None = Field(
        None, description="The shop's own customer number, if it has one", examples=["K-1001"]
    )
    vat_number: Text | None = Field(
        None, description="The customer's VAT number, when VAT-registered", examples=["DK13585628"]
    )
    ean: str | None = Field(
        None, description="EAN/GLN location number (Danish public sector)", examples=["5798009882806"]
    )
    ean_requisition: Text | None = Field(
        None, description="EAN requisition number: the order reference", examples=["REK-2026-17"]
    )
    ean_reference_person: Text | None = Field(
        None, description="EAN reference person: the buyer contact", examples=["Jens Jensen"]
    )
    custom_fields: dict[Annotated[str, XmlSafe, Field(min_length=1, max_length=100)], Text] | None = Field(
        None,
        max_length=50,
        description="The shop's custom fields; an account can name the one that carries the company number "
        "(CVR) or the EAN number (source 001)",
        examples=[{"cvr": "13585628"}],
    )

    _country_code = field_validator("country")(classmethod(lambda cls, v: _country(v)))

    @field_validator("org_number")
    @classmethod
    def _org_number(cls, v: str | None, info: ValidationInfo) -> str | None:
        if not v:
            return None
        country = info.data.get("country", "NO")
        return identifiers.company_number(v, country) if country in identifiers.SCHEME_BY_COUNTRY else v

    @field_validator("mobile")
    @classmethod
    def _mobile(cls, v: str | None, info: ValidationInfo) -> str | None:
        return identifiers.mobile(v, info.data.get("country", "NO")) if v else None

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return identifiers.email(v) if v else None

    @field_validator("ean")
    @classmethod
    def _ean(cls, v: str | None) -> str | None:
        return identifiers.gln(v) if v else None

    @model_validator(mode="after")
    def _named(self) -> Customer:
        # BT-44: the buyer's name is mandatory (BR-07): a company name or the person's name
        if not self.company_name and not (self.first_name or self.last_name):
            raise PydanticCustomError(
                "customer_name",
                "The customer has no name: neither company_name nor first_name/last_name is filled",
            )
        return self

    @property
    def contact_name(self) -> str | None:
        """The contact person (source 002: first + last name), None when the form names none."""
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or None

    @property
    def name(self) -> str:
        """Source 002: the company/department name, else first + last name (one of them is filled)."""
        return self.company_name or self.contact_name or ""


class Activity(BaseModel):
    """The activity signed up for (source 002): its id, title, date and place go into the header note."""

    model_config = _STRICT

    id: Text = Field(description="The activity's id in the sign-up platform", examples=["KURS-2026-11"])
    title: Text = Field(description="The activity's title", examples=["Førstehjelpskurs"])
    start_date: date | None = Field(None, description="The day the activity starts", examples=["2026-11-20"])
    location: Text | None = Field(None, description="Where it takes place", examples=["Bodø"])
    invoice_comment: LongText | None = Field(
        None,
        description="Comment on invoice: becomes the delivery terms, overriding the account's default",
        examples=["Kursmateriell sendes per post"],
    )


class Product(BaseModel):
    """A chosen product (the main product included)."""

    model_config = _STRICT

    product_number: Annotated[str, XmlSafe, Field(min_length=1, max_length=100)] = Field(
        description="Seller's product number: links to the ERP's product", examples=["KURS-01"]
    )
    name: Text = Field(description="The product's name", examples=["Førstehjelpskurs, dag 1"])
    alias: Text | None = Field(
        None, description="Shown on the order line; falls back to the name", examples=["Kurs dag 1"]
    )
    price: Decimal = Field(
        ge=0, max_digits=18, decimal_places=4, description="Unit price excluding VAT", examples=["2490.00"]
    )
    vat_rate: Decimal = Field(
        ge=0, le=100, max_digits=6, decimal_places=3, description="VAT rate in percent", examples=["25"]
    )
    quantity: Decimal = Field(
        gt=0, max_digits=15, decimal_places=4, description="Quantity as chosen in the form", examples=["1"]
    )
    unit_code: Annotated[str, Field(min_length=1, max_length=3, pattern=r"^[A-Z0-9]{1,3}$")] = Field(
        "EA", description="UN/ECE Rec. 20 unit code (EA = each)"
    )
    discount_percent: Decimal | None = Field(
        None,
        gt=0,
        lt=100,
        max_digits=6,
        decimal_places=3,
        description="Line discount in percent (invoices)",
        examples=["20"],
    )

    @property
    def line_name(self) -> str:
        return self.alias or self.name


class Payment(BaseModel):
    """How the sign-up was paid: a card payment (Vipps, Stripe, Nets …) makes the order prepaid."""

    model_config = _STRICT

    status: Literal["unpaid", "paid"] = Field(
        "unpaid", description="`paid`: the order is prepaid (source 004)"
    )
    method: Annotated[str, XmlSafe, Field(max_length=50)] | None = Field(
        None, description="The payment method: card, Vipps, Stripe …", examples=["vipps"]
    )
    reference: Text | None = Field(
        None, description="The payment provider's transaction reference", examples=["VIPPS-81234567"]
    )
    amount: Decimal | None = Field(
        None,
        ge=0,
        max_digits=18,
        decimal_places=2,
        description="Amount paid; default: the whole order",
        examples=["3112.50"],
    )


FeeKind = Literal["freight", "payment", "card", "other"]


class Fee(BaseModel):
    """A fee the shop added to the order (source 003: freight, payment fee, card fee): an invoice charge."""

    model_config = _STRICT

    kind: FeeKind = Field("other", description="What the fee is for: the account maps each kind to a product")
    description: Text | None = Field(
        None, description="Shown as the charge reason; default from the kind", examples=["Frakt"]
    )
    amount: Decimal = Field(
        gt=0,
        max_digits=18,
        decimal_places=2,
        description="Excluding VAT (including it with prices_include_vat)",
        examples=["49.00"],
    )
    vat_rate: Decimal = Field(
        ge=0, le=100, max_digits=6, decimal_places=3, description="VAT rate in percent", examples=["25"]
    )


class CreditedInvoice(BaseModel):
    """The invoice a credit note corrects (BG-3)."""

    model_config = _STRICT

    id: Annotated[str, XmlSafe, Field(min_length=1, max_length=100)] = Field(
        description="The credited invoice's number (BT-25)", examples=["F-1001"]
    )
    issue_date: date | None = Field(
        None, description="The credited invoice's issue date (BT-26)", examples=["2026-11-20"]
    )


class RegistrationForm(BaseModel):
    model_config = _STRICT

    order_id: Annotated[str, XmlSafe, Field(min_length=1, max_length=100)] = Field(
        description="The sign-up or order id in the source system", examples=["SU-2026-0042"]
    )
    order_date: date = Field(description="The day the order or sign-up was made", examples=["2026-11-20"])
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = Field(
        "NOK", description="ISO 4217 currency code of every amount"
    )
    customer: Customer
    activity: Activity | None = None
    products: list[Product] = Field(min_length=1, max_length=10000)
    payment: Payment | None = None
    note: LongText | None = Field(
        None, description="Free text for the document's note", examples=["Husk å ta med innesko"]
    )
    # -- invoices and credit notes (all optional; orders ignore them) --
    fees: list[Fee] = Field(default_factory=list, max_length=100)
    prices_include_vat: bool = Field(False, description="Prices and fees include VAT (webshops)")
    invoice_number: Annotated[str, XmlSafe, Field(min_length=1, max_length=100)] | None = Field(
        None,
        description="Invoice / credit note number; default: the order id (an account numbers its own)",
        examples=["F-1001"],
    )
    invoice_date: date | None = Field(
        None, description="Issue date; default: the order date", examples=["2026-11-20"]
    )
    due_date: date | None = Field(
        None, description="Payment due date; default: from the payment terms", examples=["2026-12-04"]
    )
    payment_id: Annotated[str, XmlSafe, Field(min_length=1, max_length=50)] | None = Field(
        None, description="KID (NO) or FIK/payment id: the remittance reference", examples=["1234567890128"]
    )
    credited_invoice: CreditedInvoice | None = Field(
        None, description="For a credit note: the invoice it corrects"
    )
    # -- the shop's order, for accounts that process orders (all optional; documents ignore them) --
    payment_terms_id: Annotated[str, XmlSafe, Field(min_length=1, max_length=100)] | None = Field(
        None,
        description="The shop's payment-term id; the account maps it to days (source 003: an id the "
        "mapping no longer knows is reported)",
        examples=["2"],
    )
    order_status: Annotated[str, XmlSafe, Field(min_length=1, max_length=50)] | None = Field(
        None,
        description="The shop's order status; the account decides at which statuses an invoice is made "
        "(source 003)",
        examples=["completed"],
    )
