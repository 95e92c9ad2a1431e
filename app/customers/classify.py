"""The customer's kind and identifiers, read from the form's customer block (source 001): no database,
so the buyer identity (:mod:`app.document.buyer`) uses it in a validation worker too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

from app.accounts.settings import CustomerSettings
from app.codes import issue
from app.errors import NordublError
from app.forms import identifiers
from app.forms.models import Customer, CustomerKind


@dataclass(frozen=True, slots=True)
class Classified:
    kind: CustomerKind
    #: identify-by name → (value as compared, the form field it came from)
    ids: dict[str, tuple[str, str]]
    org_number: str | None
    ean: str | None


def _custom(customer: Customer, key: str | None, check: Callable[[str], str]) -> tuple[str, str] | None:
    """A value from the shop's custom field ``key``, checked like the standard field it stands in for."""
    if not key or not customer.custom_fields:
        return None
    raw = customer.custom_fields.get(key, "").strip()
    if not raw:
        return None
    path = f"customer.custom_fields.{key}"
    try:
        return check(raw), path
    except PydanticCustomError as exc:
        # the validator's variant of input.identifier and its parameters (app/forms/identifiers.py)
        params = {k: str(v) for k, v in (exc.context or {}).items()}
        found = issue("input.identifier", path, value=raw if len(raw) <= 200 else None, params=params)
        raise NordublError("The customer's identifiers are invalid", [found]) from None


def classify(customer: Customer, rules: CustomerSettings) -> Classified:
    """Source 001: a filled EAN marks an EAN customer, a filled company number a B2B customer, else B2C.

    The company number and the EAN may come from a custom field of the shop named by the account
    (``company_number_field``, ``ean_field``) when the standard field is empty.
    """
    ids: dict[str, tuple[str, str]] = {}
    org = (customer.org_number, "customer.org_number") if customer.org_number else None
    if org is None:
        country = customer.country

        def company(v: str) -> str:
            return identifiers.company_number(v, country) if country in identifiers.SCHEME_BY_COUNTRY else v

        org = _custom(customer, rules.company_number_field, company)
    ean = (
        (customer.ean, "customer.ean")
        if customer.ean
        else _custom(customer, rules.ean_field, identifiers.gln)
    )
    if customer.email:
        ids["email"] = (customer.email.casefold(), "customer.email")
    if customer.mobile:
        ids["mobile"] = (customer.mobile, "customer.mobile")
    if customer.customer_number:
        ids["customer_number"] = (customer.customer_number, "customer.customer_number")
    if org:
        ids["org_number"] = org
    if ean:
        ids["ean"] = ean
    kind: CustomerKind = "EAN" if ean else "B2B" if org else "B2C"
    return Classified(kind, ids, org[0] if org else None, ean[0] if ean else None)
