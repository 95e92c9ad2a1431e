"""BusinessDocument → UBL XML through the templates in ``ubl_templates/``.

The environment autoescapes (XML), uses StrictUndefined and receives only formatted primitives:
:func:`view` turns every Decimal into its printed form here, so templates never compute or format.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.document.model import BusinessDocument, Totals
from app.ubl.profiles import Profile

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "ubl_templates"
_TWO = Decimal("0.01")


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("xml",), default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def amount(value: Decimal) -> str:
    """An amount: exactly two decimals (values were rounded in the business document)."""
    return str(value.quantize(_TWO))


def number(value: Decimal) -> str:
    """A quantity, price or rate: as few decimals as needed, never exponent notation."""
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


_AMOUNT_FIELDS = {"net_amount", "taxable", "tax", "amount", "base_amount", "line_tax"}


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass, looked up once per class (``fields()`` is slow on the hot path)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


_PLAIN = frozenset({str, type(None), bool, int})


def view(obj: Any, name: str = "") -> Any:
    """Dataclasses → dicts of strings (amounts with 2 decimals, other numbers minimal)."""
    kind = type(obj)
    if kind in _PLAIN:  # most values: strings, None, flags — returned as they are
        return obj
    if kind is Decimal:
        return amount(obj) if name in _AMOUNT_FIELDS else number(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [view(o, name) for o in obj]
    if hasattr(kind, "__dataclass_fields__"):
        if isinstance(obj, Totals):
            out: dict[str, Any] = {n: amount(getattr(obj, n)) for n in _names(type(obj))}
            out["has_prepaid"] = obj.prepaid != 0
            out["has_rounding"] = obj.rounding != 0
            out["has_allowance_total"] = obj.allowance_total != 0
            out["before_prepaid"] = amount(obj.before_prepaid)
            return out
        return {n: view(getattr(obj, n), n) for n in _names(kind)}
    return obj


def render(doc: BusinessDocument, profile: Profile) -> bytes:
    template = environment().get_template(profile.template)
    extra: dict[str, Any] = {}
    if profile.name == "oioubl":
        from app.ubl import oioubl

        extra["oio"] = oioubl.extras(doc)
    text = template.render(doc=view(doc), profile=profile, **extra)
    return text.encode("utf-8")
