"""``docs/forms.md``, written from the form's pydantic models: every field with its type, whether it is
required, what it means, an example and the source document it comes from.

``python -m app.forms.reference > docs/forms.md`` rewrites it; ``tests/forms/test_forms_reference.py``
fails when the page and the models differ, so the page cannot fall behind a new field.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from app.forms.models import RegistrationForm

#: The source documents (../shared/seeds/README.md) by number.
SOURCES = {
    "000": "customer numbers (Sharespine, SE)",
    "001": "customer identification (IEX, DK)",
    "002": "EHF order fields (Pindena, NO)",
    "003": "booking and invoice mail (IEX, DK)",
    "004": "connecting a webshop (Unimicro Bridge, NO)",
}
#: Where neither the field's description nor its block's docstring names its source.
FIELD_SOURCES = {
    "order_id": "002",
    "order_date": "002",
    "currency": "BT-5",  # no source names it: EN 16931's document currency code
    "customer.customer_number": "000",
    "customer.vat_number": "001",
    "customer.ean": "001",
    "customer.ean_requisition": "001",
    "customer.ean_reference_person": "001",
    "customer.custom_fields": "001",
    "products": "002",
    "payment": "004",
    "note": "002",
    "fees": "003",
    "prices_include_vat": "003",
    "invoice_number": "003",
    "invoice_date": "003",
    "due_date": "003",
    "payment_id": "003",
    "credited_invoice": "003",
}
_SOURCE = re.compile(r"\bsources? (\d{3})")

HEADER = """\
# The form

Every endpoint and command that makes a document takes the same JSON form: `POST /v1/shop-orders`,
`POST /v1/orders`, `POST /v1/invoices`, `POST /v1/credit-notes`, `nordubl order` and `nordubl invoice`.
Its fields are below; unknown fields are refused (`input.unknown_field`), so a misspelt name is never
silently lost. Examples: `fixtures/forms/` (sign-ups) and `fixtures/forms/invoices/` (webshop invoices).

## Which endpoint for what

| you have | send it to | you get |
|---|---|---|
| a sign-up or a webshop order, and the account should decide when to invoice (by the shop's order status) | `POST /v1/shop-orders`, then `PUT /v1/orders/{id}/status` as the status changes | the order; the invoice at an `invoice_statuses` status; a credit note when an invoiced order is cancelled |
| a sign-up to pass on as an order (EHF / Peppol order) | `POST /v1/orders` | the order XML (stored when an account calls; the demo seller without credentials) |
| a one-off invoice for an order, now | `POST /v1/invoices` | the order and its invoice at once; the invoice XML |
| a correction of an invoice already made | `POST /v1/credit-notes` (`credited_invoice`, or `?invoice_ref=`) | the credit note XML |

With an account (HTTP Basic: client id and client key, `docs/accounts.md`) the customer is found or
created, numbered and remembered, the catalogue and fee mappings apply, and documents are stored, mailed
and announced by webhook (`docs/processing.md`). Without credentials `/v1/orders` and `/v1/invoices`
answer with the demo seller and store nothing.

## Fields

Required: must be present (`yes`), or present when its block is (`yes, in the block`).
Sources: the help articles the product is built from (`000`–`004`, listed at the end), or the EN 16931
business term (`BT-…`) where the field only serves the standard.

"""


@dataclass(frozen=True)
class Row:
    field: str
    type: str
    required: str
    meaning: str
    example: str
    source: str


def _type(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        return "object"
    if "anyOf" in schema:
        kinds = [_type(s, defs) for s in schema["anyOf"] if s.get("type") != "null"]
        if sorted(kinds) == ["number", "string"]:  # pydantic's schema of a Decimal
            return "decimal (number or string)"
        return " or ".join(dict.fromkeys(kinds)) or "null"
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), defs)}"
    if kind == "string" and schema.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if kind in ("number", "string") and schema.get("pattern"):
        return f"{kind} `{schema['pattern']}`"
    if kind == "object" and "additionalProperties" in schema:
        return "object of strings"
    return str(kind)


def _target(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema a field holds (directly, optionally or as list items), None for a plain value."""
    for candidate in [schema, *schema.get("anyOf", [])]:
        if candidate.get("type") == "array":
            candidate = candidate.get("items", {})
        if "$ref" in candidate:
            resolved: dict[str, Any] = defs[candidate["$ref"].rsplit("/", 1)[-1]]
            return resolved
    return None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _example(schema: dict[str, Any]) -> str:
    examples = schema.get("examples")
    if examples:
        value = examples[0]
        return f"`{value}`" if not isinstance(value, dict) else f"`{_inline(value)}`"
    if "default" in schema and schema["default"] is not None and schema["default"] != []:
        return f"default `{schema['default']}`"
    return ""


def _inline(value: dict[str, Any]) -> str:
    return "{" + ", ".join(f'"{k}": "{v}"' for k, v in value.items()) + "}"


def _source(path: str, description: str, block_doc: str) -> str:
    if path in FIELD_SOURCES:
        return FIELD_SOURCES[path]
    for text in (description, block_doc):
        if found := _SOURCE.search(text):
            return found.group(1)
    return ""


def rows(model: type[BaseModel] = RegistrationForm) -> Iterator[Row]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    yield from _rows(schema, defs, "", top=True, inherited="")


def _rows(
    schema: dict[str, Any], defs: dict[str, Any], prefix: str, top: bool, inherited: str
) -> Iterator[Row]:
    required = set(schema.get("required", []))
    block_doc = schema.get("description", "")
    for name, field in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        target = _target(field, defs)
        description = field.get("description") or (target or {}).get("description", "")
        is_required = name in required
        source = _source(path, description, block_doc) or inherited
        yield Row(
            field=f"`{path}`",
            type=_type(field, defs),
            required=("yes" if top else "yes, in the block") if is_required else "",
            meaning=_cell(description),
            example=_cell(_example(field)),
            source=source,
        )
        if target is not None:
            nested = f"{path}[]." if _is_list(field) else f"{path}."
            yield from _rows(target, defs, nested, top=False, inherited=source)


def _is_list(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(s.get("type") == "array" for s in schema.get("anyOf", []))


def render() -> str:
    lines = [
        HEADER.rstrip("\n"),
        "",
        "| field | type | required | meaning | example | source |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows():
        lines.append(
            f"| {row.field} | {row.type} | {row.required} | {row.meaning} | {row.example} | {row.source} |"
        )
    lines += ["", "Sources: " + "; ".join(f"{k} {v}" for k, v in SOURCES.items()) + ".", ""]
    lines.insert(
        0,
        "<!-- Written by `python -m app.forms.reference > docs/forms.md`: edit the models, not this page. -->",
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
