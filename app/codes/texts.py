"""The one catalogue of the service's coded findings and errors: each code once, with its severity, the form
field it names by default, its message and hint (English msgids, msgctxt = the code, translated by the
gettext catalogues into nb, da, sv) and whether an account may set it to block or to warn.

The preflight's findings, the customer errors, the mail worker's entries and the owner's error log read the
same entries: :func:`issue` (and :meth:`app.errors.NordublError.of`) writes a code's English, the error log
shows it in the account's language (:mod:`app.errorlog.messages`). ``{placeholders}`` are filled from the
parameters; an amount is ``{money}``, formatted for the language from ``amount`` and ``currency``.
Official rule ids (``BR-CO-15``, ``F-INV046``) are not here: their texts are quoted as published. The
service's own refusals are in English as the API answers them; problem bodies and the error log give the
account's language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from app.codes import documents, form, orders, requests, service, validator
from app.codes.code import Code
from app.i18n import NP_, format_money, language_of, translator
from app.issues import Issue, Severity


def _gathered(*families: dict[str, Code]) -> dict[str, Code]:
    """The families' codes in one dict; a code in two families is an error of the catalogue."""
    out: dict[str, Code] = {}
    for family in families:
        twice = out.keys() & family.keys()
        if twice:
            raise ValueError(f"codes defined twice: {sorted(twice)}")
        out.update(family)
    return out


CODES: dict[str, Code] = _gathered(
    orders.CODES, form.CODES, requests.CODES, validator.CODES, documents.CODES, service.CODES
)

#: fees[].kind in words (msgctxt "fee")
FEE_NAMES: dict[str, str] = {
    "freight": NP_("fee", "freight"),
    "payment": NP_("fee", "payment fee"),
    "card": NP_("fee", "card fee"),
    "other": NP_("fee", "fee"),
}


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def fill(template: str, params: dict[str, str]) -> str | None:
    """``template`` with its placeholders filled; None when a parameter is missing."""
    try:
        return string.Formatter().vformat(template, (), _Safe(params))
    except (KeyError, IndexError, ValueError):
        return None


def values(lang: str, params: dict[str, str], field: str | None) -> dict[str, str]:
    """The parameters with the derived ones: the fee kind in words, the amount with its currency."""
    t = translator(lang)
    out = dict(params)
    if "kind" in out:
        out.setdefault("fee", t.pgettext("fee", FEE_NAMES.get(out["kind"], out["kind"])))
    if "amount" in out and "currency" in out:
        try:
            out.setdefault("money", format_money(Decimal(out["amount"]), out["currency"], lang))
        except (InvalidOperation, ValueError):
            out.setdefault("money", f"{out['amount']} {out['currency']}")
    if field:
        out.setdefault("field", field)
    return out


def templates(code: str, lang: str, variant: str | None = None) -> tuple[str, str]:
    """The message and hint of ``code`` (its ``variant``) in ``lang``, placeholders unfilled."""
    entry = CODES[code]
    t = translator(lang)
    context = f"{code}:{variant}" if variant in entry.variants else code
    english_message, english_hint = entry.texts(variant)
    # a variant's text that repeats the code's own is the code's msgid (translated once)
    message = t.pgettext(code if english_message == entry.message else context, english_message)
    hint = t.pgettext(code if english_hint == entry.hint else context, english_hint)
    return message, hint


def text(
    code: str, language: str | None, params: dict[str, str], field: str | None = None
) -> tuple[str, str]:
    """Message and hint of ``code`` in ``language``; KeyError for a code outside the catalogue or a
    parameter its text needs."""
    lang = language_of(language)
    entry = CODES[code]
    filled = values(lang, params, field or entry.field)
    message_template, hint_template = templates(code, lang, params.get("variant"))
    message = fill(message_template, filled)
    hint = fill(hint_template, filled)
    if message is None or hint is None:
        raise KeyError(f"{code}: a parameter is missing ({sorted(filled)})")
    return message, hint


def issue(
    code: str,
    field: str | None = None,
    *,
    value: str | None = None,
    severity: Severity | None = None,
    params: Mapping[str, str] | None = None,
    xpath: str | None = None,
    line: int | None = None,
) -> Issue:
    """The :class:`Issue` of ``code`` in English (the error log translates it), naming ``field`` (else the
    catalogue's), and the node of a document it is about (``xpath``, ``line``) when there is one."""
    entry = CODES[code]
    where = field or entry.field
    filled = {**({"value": value} if value is not None else {}), **(params or {})}
    message, hint = text(code, "en", filled, where)
    return Issue(
        code,
        severity or entry.severity,
        message,
        xpath=xpath,
        line=line,
        field=where,
        hint=hint,
        value=value,
        params=filled,
    )
