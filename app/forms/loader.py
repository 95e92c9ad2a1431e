"""Bytes → :class:`RegistrationForm`, or a :class:`NordublError` whose issues name the form fields."""

from __future__ import annotations

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
_DEFAULT_HINT = "Correct {field} and send the form again."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".") + "."


def pydantic_issues(errors: list[Any]) -> list[Issue]:
    out = []
    for e in errors:
        field = loc_to_field(tuple(e.get("loc", ())))
        kind = str(e.get("type", "invalid"))
        code = {
            "missing": "input.missing",
            "json_invalid": "input.json",
            "extra_forbidden": "input.unknown_field",
        }
        ctx = e.get("ctx") if isinstance(e.get("ctx"), dict) else {}
        hint = _HINTS.get(kind, _DEFAULT_HINT).format(field=field)
        if kind in ("identifier", "country"):
            hint = "Correct the number, or leave the field empty."
        value = e.get("input")
        out.append(
            Issue(
                code=code.get(
                    kind, f"input.{kind}" if kind in ("identifier", "country") else "input.invalid"
                ),
                severity="fatal",
                message=str(e.get("msg", "invalid value")),
                field=field,
                hint=_sentence(str(ctx["hint"])) if (ctx or {}).get("hint") else hint,
                value=value if isinstance(value, str) and len(value) <= 200 else None,
            )
        )
    return out


def load_form_bytes(raw: bytes) -> RegistrationForm:
    try:
        return RegistrationForm.model_validate_json(raw)
    except ValidationError as exc:
        issues = pydantic_issues(list(exc.errors()))
        status = 400 if any(i.code == "input.json" for i in issues) else 422
        raise NordublError("The form does not match the input contract", issues, status) from None
