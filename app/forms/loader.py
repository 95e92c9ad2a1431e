"""Bytes → :class:`RegistrationForm`, or a :class:`NordublError` whose issues name the form fields."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from pydantic import ValidationError

from app.codes import CODES, issue
from app.errors import NordublError
from app.forms.models import RegistrationForm
from app.issues import Issue


def loc_to_field(loc: tuple[Any, ...]) -> str:
    out = ""
    if loc and loc[0] == "body":  # FastAPI prefixes request-body locations with "body"
        loc = loc[1:]
    for p in loc:
        if p == "[key]":  # pydantic marks an error in a dict key so; the key itself names the field
            continue
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


#: pydantic error types with a code of their own (the rest are ``input.invalid``); each code's texts, and
#: the hint of each error type (a variant of the code), are in the catalogue of codes (app/codes/)
_CODES = {
    "missing": "input.missing",
    "json_invalid": "input.json",
    "extra_forbidden": "input.unknown_field",
    "identifier": "input.identifier",
    "country": "input.country",
    "control_character": "input.control_character",
    "customer_name": "input.customer_name",
}
#: pydantic error types that share a variant
_VARIANTS = {"date_from_datetime_parsing": "date", "date_parsing": "date", "json_invalid": "body"}


def pydantic_issues(errors: list[Any]) -> list[Issue]:
    """pydantic's errors as catalogued issues: pydantic's own words (``msg``) are the ``{detail}``, the
    field and the hint are ours."""
    out = []
    for e in errors:
        field = loc_to_field(tuple(e.get("loc", ())))
        kind = str(e.get("type", "invalid"))
        code = _CODES.get(kind, "input.invalid")
        ctx = e.get("ctx") if isinstance(e.get("ctx"), dict) else {}
        # our validators' errors name their variant and its parameters (app/forms/identifiers.py)
        params = {"detail": str(e.get("msg", "invalid value"))} | {k: str(v) for k, v in (ctx or {}).items()}
        variant = params.get("variant") or _VARIANTS.get(kind, kind)
        if variant in CODES[code].variants:
            params["variant"] = variant
        else:
            params.pop("variant", None)
        value = e.get("input")
        out.append(
            issue(
                code,
                field,
                value=value if isinstance(value, str) and len(value) <= 200 else None,
                params=params,
            )
        )
    return out


#: The largest amount a document may carry: 15 integer digits. Amounts, VAT and totals are computed with
#: Decimal's 28 significant digits; below this limit every sum of up to 10,000 lines and 100 fees and its
#: VAT stays exact, above it ``quantize`` would fail (decimal.InvalidOperation) in the middle of a document.
MAX_AMOUNT = Decimal(10) ** 15
_WIDE = Context(prec=60)  # exact products of the form's numbers (18 + 15 digits) for the check below


def amount_issues(form: RegistrationForm) -> list[Issue]:
    """Lines and fees whose amount (quantity × price) passes :data:`MAX_AMOUNT`, and a total that does:
    each a fixable issue naming the field (the form's digit limits alone allow 10^25 per line)."""
    issues = []
    total = Decimal(0)
    limit = f"{MAX_AMOUNT:,.0f}"
    for i, p in enumerate(form.products):
        line = _WIDE.multiply(p.quantity, p.price)
        total = _WIDE.add(total, line)
        if line >= MAX_AMOUNT:
            issues.append(
                issue(
                    "input.amount_too_large",
                    f"products[{i}].quantity",
                    params={"variant": "line", "line_amount": f"{line:,.2f}", "limit": limit},
                )
            )
    for f in form.fees:
        total = _WIDE.add(total, f.amount)
    if not issues and total >= MAX_AMOUNT:
        issues.append(
            issue(
                "input.amount_too_large",
                "products",
                params={"variant": "total", "total": f"{total:,.2f}", "limit": limit},
            )
        )
    return issues


def load_form_bytes(raw: bytes) -> RegistrationForm:
    try:
        form = RegistrationForm.model_validate_json(raw)
    except ValidationError as exc:
        issues = pydantic_issues(list(exc.errors()))
        status = 400 if any(i.code == "input.json" for i in issues) else 422
        raise NordublError("The form does not match the input contract", issues, status) from None
    too_large = amount_issues(form)
    if too_large:
        raise NordublError("The form does not match the input contract", too_large, 422)
    return form
