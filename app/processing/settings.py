"""An account's processing settings: when to invoice, which findings block, the trial period."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.accounts.settings import NumberSeriesSettings
from app.document.buyer import ReferencePolicy
from app.profiles import ProfileName

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)

#: The preflight findings an account can make warnings instead of errors.
FindingCode = Literal[
    "product.unknown", "product.inactive", "product.vat_mismatch", "fee.unmapped", "payment_terms.unmapped"
]
FINDING_CODES: tuple[str, ...] = FindingCode.__args__  # type: ignore[attr-defined]
Policy = Literal["block", "warn"]
StatusName = Annotated[str, Field(min_length=1, max_length=50)]


class InvoiceNumbers(NumberSeriesSettings):
    next: int = Field(ge=1, le=10**15, description="The next invoice number; never below one already given")


class ProcessingSettings(BaseModel):
    model_config = _STRICT

    invoice_statuses: list[StatusName] = Field(
        default_factory=lambda: ["completed"],
        description="Shop order statuses at which the invoice is made (source 003: booking is driven by "
        "the shop's order status)",
        examples=[["completed", "paid"]],
    )
    cancel_statuses: list[StatusName] = Field(
        default_factory=lambda: ["cancelled", "refunded"],
        description="Statuses that cancel the order: an invoiced order gets a credit note",
    )
    findings: dict[FindingCode, Policy] = Field(
        default_factory=dict,
        description="Per finding code: block (the default: no document until it is fixed) or warn",
        examples=[{"product.vat_mismatch": "warn"}],
    )
    create_products: bool = Field(
        False, description="Add unknown products to the catalogue on the fly instead of reporting them"
    )
    order_profile: ProfileName | None = Field(
        None,
        description="Force the order profile; default: chosen per seller and buyer (EHF for a Norwegian "
        "seller, Peppol T01 for others, OIOUBL for Danish EAN customers)",
    )
    invoice_profile: ProfileName | None = Field(
        None, description="Force the invoice profile; default: chosen per customer (EAN/CVR → OIOUBL …)"
    )
    buyer_reference: ReferencePolicy = Field(
        "contact",
        description="The buyer reference (BT-10) when the order has none (PEPPOL-EN16931-R003): contact "
        "(the contact person's name, Norwegian 'Deres ref.'), else customer_number, else order_id; "
        "each falls through to the next when empty",
    )
    trial_days: int = Field(
        14,
        ge=0,
        le=365,
        description="Days in draft mode before automatic mode can be switched on (source 003)",
    )
    clean_days: int = Field(
        7, ge=0, le=365, description="Automatic mode needs no unresolved error seen in this many last days"
    )

    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: Any) -> Any:
        # buyer_reference_from_order (retired): BT-10 is always filled now, as buyer_reference says
        if isinstance(data, dict) and "buyer_reference_from_order" in data:
            data = {k: v for k, v in data.items() if k != "buyer_reference_from_order"}
        return data

    @field_validator("invoice_statuses", "cancel_statuses")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return sorted({s.casefold() for s in v})

    @model_validator(mode="after")
    def _disjoint(self) -> ProcessingSettings:
        both = set(self.invoice_statuses) & set(self.cancel_statuses)
        if both:
            raise ValueError(f"status {sorted(both)[0]!r} cannot both invoice and cancel an order")
        return self

    def blocks(self, code: str) -> bool:
        policy: str = dict(self.findings).get(code, "block")  # type: ignore[call-overload]
        return policy == "block"


class ProcessingSettingsIn(ProcessingSettings):
    """The settings document of ``PUT /v1/account/processing``, with the invoice-number series."""

    invoice_numbers: InvoiceNumbers | None = Field(
        None, description="The invoice / credit note number series (prefix, next)"
    )


class ProcessingSettingsOut(ProcessingSettingsIn):
    webhook_url: str | None = None
