"""The seller profile a document is built with ("My account" of source 002; settings of source 004)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.errors import NordublError
from app.forms import identifiers
from app.forms.loader import pydantic_issues
from app.i18n import Lang, format_decimal, language_of, translator

Text = Annotated[str, Field(min_length=1, max_length=500)]

#: The validation context of settings read back from the database. They were checked when written; a check
#: made stricter since (e-mail addresses, issue 18) must not make the account unreadable, so an address is
#: checked when it is written, not when it is read. Pass as ``model_validate(..., context=STORED)``.
STORED: dict[str, bool] = {"stored": True}


def checked_email(value: str | None, info: ValidationInfo) -> str | None:
    """An e-mail address setting: checked and normalised on the way in (``identifiers.email``), kept as it
    is when read back from the database (:data:`STORED`)."""
    if not value or (info.context or {}).get("stored"):
        return value
    return identifiers.email(value)


class SellerProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    country: str = "NO"
    org_number: str = Field(description="Organisation number (NO), CVR (DK) or org. number (SE)")
    name: Text = Field(description="Registered company name")
    trading_name: Text | None = None
    address: Text
    address2: Text | None = None
    postcode: Annotated[str, Field(min_length=1, max_length=20)]
    city: Text
    vat_registered: bool = True
    #: NO-R-002: a Norwegian seller registered in the Register of Business Enterprises states it.
    foretaksregisteret: bool = True
    contact_name: Text | None = None
    email: Text | None = None
    phone: Text | None = None
    bank_account: Annotated[str, Field(max_length=34)] | None = Field(
        None, description="BBAN (NO) or account no."
    )
    iban: Annotated[str, Field(max_length=34)] | None = None
    bic: Annotated[str, Field(max_length=11)] | None = None
    fik_creditor: Annotated[str, Field(pattern=r"^[0-9]{8}$")] | None = Field(
        None,
        description="Danish FIK creditor number (8 digits): invoices carry an FIK payment slip "
        "(indbetalingskort) of fik_card_type",
    )
    fik_card_type: Literal["71", "73", "75"] = Field(
        "71",
        description="FIK card type: +71 (15-digit payment id), +73 (no payment id), +75 (16-digit payment id)",
    )
    delivery_terms: Text | None = Field(
        None, description="Default delivery terms (the invoice comment overrides)"
    )
    payment_terms_days: int = Field(14, ge=0, le=365)
    language: Lang = Field(
        "nb",
        description="The language of the texts the service writes (documents, PDF, mail, error log); "
        "default: the seller's country's (NO nb, DK da, SE sv, else en)",
    )
    prepaid_account: Annotated[str, Field(max_length=50)] | None = Field(
        None, description="Booking account for prepaid orders (source 004)"
    )
    department: Annotated[str, Field(max_length=50)] | None = None
    location: Annotated[str, Field(max_length=50)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _language(cls, data: Any) -> Any:
        # an account that names no language writes its country's (app.i18n.COUNTRY_LANGUAGES)
        if isinstance(data, dict) and not data.get("language"):
            return {**data, "language": language_of(None, str(data.get("country") or "NO"))}
        return data

    @field_validator("org_number")
    @classmethod
    def _org(cls, v: str, info: ValidationInfo) -> str:
        country = info.data.get("country", "NO")
        return identifiers.company_number(v, country) if country in identifiers.SCHEME_BY_COUNTRY else v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None, info: ValidationInfo) -> str | None:
        return checked_email(v, info)  # the From address of invoice mail when mail.sender is unset

    @property
    def scheme(self) -> str:
        return identifiers.SCHEME_BY_COUNTRY.get(self.country, "0192")

    @property
    def vat_id(self) -> str | None:
        """The VAT identifier: NO + org. no. + MVA in Norway (NO-R-001), DK + CVR, SE + number + 01."""
        if not self.vat_registered:
            return None
        if self.country == "NO":
            return f"NO{self.org_number}MVA"  # NO-R-001
        if self.country == "SE":
            return f"SE{self.org_number}01"
        return f"{self.country}{self.org_number}"

    @property
    def payment_terms_text(self) -> str:
        """BT-20 in the account's language: "Netto 14 dager", "Netto 14 dage", "Netto 14 dagar"."""
        days = self.payment_terms_days
        text = translator(self.language).ngettext("Net {days} day", "Net {days} days", days)
        return text.format(days=format_decimal(days, self.language))


def load_seller(path: Path) -> SellerProfile:
    try:
        return SellerProfile.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise NordublError.of(
            "account.unreadable",
            title="The seller profile could not be read",
            status=500,
            path=str(path),
            detail=str(exc.strerror or exc),
        ) from None
    except ValidationError as exc:
        issues = [replace(i, field=f"account.{i.field}") for i in pydantic_issues(list(exc.errors()))]
        raise NordublError("The seller profile is invalid", issues, status=500) from None
