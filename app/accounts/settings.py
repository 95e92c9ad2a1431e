"""An account's settings as one pydantic document: what the admin API and ``nordubl accounts`` read and write.

Customer settings follow the two vendor articles: source 001 (how a customer is identified, created and
updated, per customer type) and source 000 (who gives the customer number).
"""

from __future__ import annotations

import string
from datetime import date
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from app.accounts.profile import SellerProfile, checked_email
from app.forms.models import CustomerKind
from app.i18n import N_

Text = Annotated[str, Field(min_length=1, max_length=500)]
CustomerNumber = Annotated[str, Field(min_length=1, max_length=50)]
FieldKey = Annotated[str, Field(min_length=1, max_length=100)]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)

#: The fields an existing customer may be updated from (source 001: "name, phone, customer group …").
UpdateField = Literal["name", "phone", "email", "address", "customer_group"]
UPDATE_FIELDS: tuple[UpdateField, ...] = ("name", "phone", "email", "address", "customer_group")

#: Source 000, one value per setting of the article:
#: ``erp_series`` "let the ERP control the customer number" (this account's number series);
#: ``external`` "let the external system control it" (the shop's number, then the series);
#: ``one_time_fixed`` "put all one-time customers on the following customer number";
#: ``one_time_new`` "create a new customer for every one-time customer" (needs the series).
NumberStrategy = Literal["erp_series", "external", "one_time_fixed", "one_time_new"]

#: Placeholders the fixed invoice mail text may use (source 003).
MAIL_PLACEHOLDERS = frozenset(
    {"invoice_number", "order_id", "customer_name", "seller_name", "amount", "currency", "due_date"}
)


class _KindRule(BaseModel):
    model_config = _STRICT

    shared_customer_name: Text | None = Field(
        None, description='Name of the shared customer when identify_by is "shared" (e.g. "B2C webshop")'
    )
    shared_customer_number: CustomerNumber | None = Field(
        None,
        description="Fixed number of the shared customer; without it the shared customer is numbered "
        "by number_strategy like any new customer",
    )
    customer_group: Text | None = Field(None, description="Customer group given to customers of this type")


AccountKind = Literal["shop", "signup"]
#: How private persons are identified when the account does not say: a sign-up form (source 002) by the
#: mobile number, a webshop (source 001: "checkout requires the e-mail") by the e-mail address.
PRIVATE_ID_BY_KIND: dict[str, Literal["email", "mobile"]] = {"shop": "email", "signup": "mobile"}


class B2CRule(_KindRule):
    """Private persons: identified by e-mail (recommended: checkout requires it) or mobile, or all on one."""

    identify_by: Literal["email", "mobile", "customer_number", "shared"] | None = Field(
        None,
        description="Default (null): by the account's kind, a shop by e-mail and a sign-up platform by "
        "mobile number, each falling back to the other when the form lacks it",
    )


class B2BRule(_KindRule):
    """Companies: a filled company number marks a B2B customer and identifies it."""

    identify_by: Literal["org_number", "customer_number", "shared"] = "org_number"


class EANRule(_KindRule):
    """Public sector (EAN customers): identified by EAN/GLN number, or by company number with many EANs."""

    identify_by: Literal["ean", "org_number", "shared"] = "ean"


class NumberSeriesSettings(BaseModel):
    model_config = _STRICT

    prefix: Annotated[str, Field(max_length=20, pattern=r"^[A-Za-z0-9_./-]*$")] = ""
    next: int = Field(ge=1, le=10**15, description="The next number the series gives")


class CustomerSettings(BaseModel):
    model_config = _STRICT

    b2c: B2CRule = Field(default_factory=B2CRule)
    b2b: B2BRule = Field(default_factory=B2BRule)
    ean: EANRule = Field(default_factory=EANRule)
    create: bool = Field(True, description="Create customers that do not exist yet")
    update: bool = Field(False, description="Update existing customers from the order")
    update_fields: list[UpdateField] = Field(
        default_factory=lambda: list(UPDATE_FIELDS), description="Which fields an update may change"
    )
    number_strategy: NumberStrategy = "erp_series"
    number_series: NumberSeriesSettings | None = Field(
        None, description="The account's customer-number series (prefix and next number)"
    )
    one_time_customer_number: CustomerNumber | None = Field(
        None, description='The fixed number of number_strategy "one_time_fixed"'
    )
    company_number_field: FieldKey | None = Field(
        None,
        description="Key in customer.custom_fields holding the company number (CVR) when the shop has "
        "no standard field for it",
    )
    ean_field: FieldKey | None = Field(
        None, description="Key in customer.custom_fields holding the EAN number"
    )

    @field_validator("update_fields")
    @classmethod
    def _unique(cls, v: list[UpdateField]) -> list[UpdateField]:
        return [f for f in UPDATE_FIELDS if f in v]

    @model_validator(mode="after")
    def _consistent(self) -> CustomerSettings:
        if self.number_strategy == "one_time_new" and not self.create:
            raise ValueError(
                'number_strategy "one_time_new" creates a customer for every one-time customer: '
                "it needs create = true"
            )
        return self

    def rule(self, kind: CustomerKind) -> B2CRule | B2BRule | EANRule:
        if kind == "EAN":
            return self.ean
        return self.b2b if kind == "B2B" else self.b2c


#: The default invoice mail (msgids: an account that keeps them gets them in its language, app/mail/compose.py)
DEFAULT_MAIL_SUBJECT: Final[str] = N_("Invoice {invoice_number} from {seller_name}")
DEFAULT_MAIL_TEXT: Final[str] = N_(
    "Dear {customer_name},\n\nattached is invoice {invoice_number} of {amount} {currency}, due {due_date}.\n\n"
    "Kind regards\n{seller_name}"
)


class InvoiceMail(BaseModel):
    """The fixed invoice mail text (source 003) with ``{placeholders}``."""

    model_config = _STRICT

    sender: Text | None = Field(
        None, description="From address of invoice mail", examples=["faktura@example.no"]
    )
    #: The mail's subject; the default is written in the account's language when the mail is sent.
    subject: Text = DEFAULT_MAIL_SUBJECT
    #: The mail's body text; the default is written in the account's language when the mail is sent.
    text: Annotated[str, Field(min_length=1, max_length=10000)] = DEFAULT_MAIL_TEXT

    @field_validator("sender")
    @classmethod
    def _sender(cls, v: str | None, info: ValidationInfo) -> str | None:
        return checked_email(v, info)

    @field_validator("subject", "text")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(v) if name is not None}
        except ValueError as exc:
            raise ValueError(
                f"the text is not a valid template ({exc}); write a literal brace as {{{{ or }}}}"
            ) from None
        unknown = sorted(n for n in names if n not in MAIL_PLACEHOLDERS)
        if unknown:
            allowed = ", ".join("{" + p + "}" for p in sorted(MAIL_PLACEHOLDERS))
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; the text may use {allowed}")
        return v

    def render(self, values: dict[str, str]) -> tuple[str, str]:
        """Subject and body with the placeholders filled in (a missing value stays empty)."""
        filled = {p: values.get(p, "") for p in MAIL_PLACEHOLDERS}
        return self.subject.format(**filled), self.text.format(**filled)


PaymentTermId = Annotated[str, Field(min_length=1, max_length=100)]


class AccountSettings(BaseModel):
    """Everything an account is configured with (the credentials aside)."""

    model_config = _STRICT

    seller: SellerProfile
    payment_terms: dict[PaymentTermId, Annotated[int, Field(ge=0, le=365)]] = Field(
        default_factory=dict,
        description="The shop's payment-term id → payment terms in days",
        examples=[{"1": 14}],
    )
    mail: InvoiceMail = Field(default_factory=InvoiceMail)
    process_orders_from: date | None = Field(
        None, description="Orders registered before this date are not processed (source 004)"
    )
    mode: Literal["draft", "automatic"] = Field(
        "draft", description="draft: documents wait to be checked by hand; automatic: booked and sent"
    )
    kind: AccountKind = Field(
        "shop",
        description="shop (a webshop: private customers identified by e-mail) or signup (a sign-up "
        "platform: by mobile number); customers.b2c.identify_by overrides",
    )
    customers: CustomerSettings = Field(default_factory=CustomerSettings)
