"""Bytes → :class:`RegistrationForm`, or a :class:`NordublError` whose issues name the form fields."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from pydantic import ValidationError

from app.errors import Issue, NordublError
from app.forms.models import RegistrationForm


def loc_to_field(loc: tuple[Any, ...]) -> str:
    out = ""
    if loc and loc[0] == "body":  # FastAPI prefixes request-body locations with "body"
        loc = loc[1:]
    for p in loc:
        if p == "[key]":  # pydantic marks an error in a dict key so; the key itself names the field
            continue
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


_HINTS = {
    "missing": "Fill in {field}.",
    "extra_forbidden": "Remove {field}: the form has no such field (check the spelling).",
    "greater_than": "{field} must be above zero.",
    "greater_than_equal": "{field} cannot be negative.",
    "string_too_long": "Shorten {field}.",
    "decimal_max_places": "Round {field} to fewer decimals.",
    "date_from_datetime_parsing": "Write dates as YYYY-MM-DD.",
    "date_parsing": "Write dates as YYYY-MM-DD.",
    "json_invalid": "Send a valid JSON document (check quotes, commas and brackets).",
    "too_short": "{field} needs at least one entry.",
    "string_too_short": "Fill in {field}.",
    "less_than_equal": "{field} is too large.",
    "decimal_parsing": "Write {field} as a number, e.g. 12.50.",
    "decimal_max_digits": "{field} has too many digits.",
    "string_pattern_mismatch": "{field} has the wrong format; see the example in the API documentation.",
}
#: pydantic error types with a code of their own (the rest are ``input.invalid``)
_CODES = {
    "missing": "input.missing",
    "json_invalid": "input.json",
    "extra_forbidden": "input.unknown_field",
    "identifier": "input.identifier",
    "country": "input.country",
    "control_character": "input.control_character",
    "customer_name": "input.customer_name",
}
_DEFAULT_HINT = "Correct {field} and send the form again."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".") + "."


def pydantic_issues(errors: list[Any]) -> list[Issue]:
    out = []
    for e in errors:
        field = loc_to_field(tuple(e.get("loc", ())))
        kind = str(e.get("type", "invalid"))
        ctx = e.get("ctx") if isinstance(e.get("ctx"), dict) else {}
        hint = _HINTS.get(kind, _DEFAULT_HINT).format(field=field)
        if kind in ("identifier", "country"):
            hint = "Correct the number, or leave the field empty."
        value = e.get("input")
        out.append(
            Issue(
                code=_CODES.get(kind, "input.invalid"),
                severity="fatal",
                message=str(e.get("msg", "invalid value")),
                field=field,
                hint=_sentence(str(ctx["hint"])) if (ctx or {}).get("hint") else hint,
                value=value if isinstance(value, str) and len(value) <= 200 else None,
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
                Issue(
                    "input.amount_too_large",
                    "fatal",
                    f"The line amount quantity × price = {line:,.2f} is above the largest amount a document "
                    f"carries ({limit}).",
                    field=f"products[{i}].quantity",
                    hint="Check the quantity and the price of this product (a misplaced decimal point?).",
                )
            )
    for f in form.fees:
        total = _WIDE.add(total, f.amount)
    if not issues and total >= MAX_AMOUNT:
        issues.append(
            Issue(
                "input.amount_too_large",
                "fatal",
                f"The order's total {total:,.2f} is above the largest amount a document carries ({limit}).",
                field="products",
                hint="Check the quantities and prices, or split the order.",
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
