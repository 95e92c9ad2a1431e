"""BusinessDocument → UBL XML through the templates in ``app/ubl/templates/``.

Templates receive only formatted primitives: :func:`view` turns every Decimal into its printed form here, so
templates never compute or format, and escapes every string for XML here, once (markupsafe, the escaping
Jinja's autoescape would apply; the result is :class:`~markupsafe.Markup`, so it is never escaped twice).
The environment therefore does not escape again: everything a template prints comes through :func:`view`
(the document, the profile, OIOUBL's extras) or is a literal of the template itself.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import escape

from app.document.model import BusinessDocument, Totals, number
from app.profiles import PRESETS, DocumentType

TEMPLATES = Path(__file__).resolve().parent / "templates"
_TWO = Decimal("0.01")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        # view() escaped every value already (see the module doc); escaping each printed value again
        # here was a fifth of the time spent writing a document.
        autoescape=False,  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        auto_reload=False,  # templates ship with the code: no stat() per render
    )
    # The templates call none of Jinja's global functions (range, namespace …); without them a render does
    # not copy them into every new context (a tenth of the time spent rendering a small document).
    env.globals.clear()
    return env


@cache
def template(name: str) -> Template:
    return environment().get_template(name)


def amount(value: Decimal) -> str:
    """An amount: exactly two decimals (values were rounded in the business document)."""
    return str(value.quantize(_TWO))


_AMOUNT_FIELDS = {"net_amount", "taxable", "tax", "amount", "base_amount", "line_tax"}


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass, looked up once per class (``fields()`` is slow on the hot path)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def text(value: str) -> str:
    """A string from the form or the seller's account, escaped for XML, once: as Jinja's autoescape would
    (markupsafe), marked safe (:class:`~markupsafe.Markup`) so it is never escaped twice."""
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        return escape(value)
    return value  # nothing to escape (most values): the string itself


def _fields(obj: Any, kind: type) -> SimpleNamespace:
    """A dataclass as templates see it: its fields, formatted and escaped, as attributes (Jinja reads ``x.name``
    as an attribute first: on a dict each read would fail once). :func:`view`, inline for the common values."""
    values = getattr(obj, "__dict__", None)  # a dataclass's fields, without one getattr() per field
    if values is None:  # slots
        values = {n: getattr(obj, n) for n in _names(kind)}
    fields_ = SimpleNamespace(**values)
    out = fields_.__dict__
    for n, v in values.items():
        if v is None:  # most optional terms: kept as they are
            continue
        k = type(v)
        if k is str:
            if "&" in v or "<" in v or ">" in v or '"' in v or "'" in v:  # text()
                out[n] = escape(v)
        elif k is Decimal:
            out[n] = amount(v) if n in _AMOUNT_FIELDS else number(v)
        elif k is tuple:
            out[n] = [view(o, n) for o in v] if v else []
        elif k is not bool:
            out[n] = view(v, n)
    return fields_


def view(obj: Any, name: str = "") -> Any:
    """Dataclasses → namespaces of strings (amounts with 2 decimals, other numbers minimal, text escaped)."""
    kind = type(obj)
    if kind is str:
        return text(obj)
    if obj is None or kind is bool or kind is int:
        return obj
    if kind is Decimal:  # digits, sign and point: nothing to escape
        return amount(obj) if name in _AMOUNT_FIELDS else number(obj)
    if hasattr(kind, "__dataclass_fields__"):
        if kind is Totals:
            out: dict[str, Any] = {n: amount(getattr(obj, n)) for n in _names(kind)}
            out["has_prepaid"] = obj.prepaid != 0
            out["has_rounding"] = obj.rounding != 0
            out["has_allowance_total"] = obj.allowance_total != 0
            out["before_prepaid"] = amount(obj.before_prepaid)
            return SimpleNamespace(**out)
        return _fields(obj, kind)
    if kind is tuple or kind is list:
        return [view(o, name) for o in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: view(v, k) for k, v in obj.items()}
    return escape(obj)  # anything else prints as its escaped text, as autoescape would print it


@cache
def _profile(profile: DocumentType) -> SimpleNamespace:
    view_: SimpleNamespace = view(profile)
    return view_


def render(doc: BusinessDocument, profile: DocumentType) -> bytes:
    """The document in ``profile``'s template, with the values only its preset's templates need."""
    extra: dict[str, Any] = {
        name: SimpleNamespace(**view(values))
        for name, values in (PRESETS[profile.name].extras(doc) or {}).items()
    }
    xml = template(profile.template).render(doc=view(doc), profile=_profile(profile), **extra)
    return xml.encode("utf-8")
