"""The service's own words in Norwegian (bokmål), Danish, Swedish and English: gettext catalogues and Babel.

Every text the service writes itself (document notes, PDF labels, mails, the owner's error log, the page)
is an English ``msgid`` marked in the code with :func:`N_` / :func:`NP_` (or passed as a literal to
``gettext``, ``pgettext``, ``ngettext`` of a :func:`translator`: plural forms by the catalogue's
``Plural-Forms``) and translated in ``app/locale/<lang>/LC_MESSAGES/
nordubl.po``; ``scripts/i18n.py`` extracts the msgids with Babel, updates the catalogues and compiles the
``.mo`` files the package ships. A msgid without a translation falls back to English at run time; the
tests fail on it first (``tests/i18n/test_i18n.py``).

Numbers, amounts and dates are formatted with Babel for the language's locale (CLDR). Official rule texts
are never translated here: they are quoted as published.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Final, Literal, cast, get_args

from babel import Locale
from babel.core import negotiate_locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, get_currency_precision
from babel.numbers import format_decimal as _babel_decimal
from babel.support import Translations

#: The languages the service writes (the account's ``language`` setting takes these). Adding one: its name
#: here, its locale in :data:`LOCALES` and its ``.po`` file under ``app/locale/`` (docs/i18n.md).
Lang = Literal["nb", "da", "sv", "en"]
LANGUAGES: Final[tuple[Lang, ...]] = get_args(Lang)
#: The language the msgids are written in.
SOURCE: Final[Lang] = "en"
#: The Babel (CLDR) locale each language formats numbers, dates and currencies with.
LOCALES: Final[dict[Lang, str]] = {"nb": "nb_NO", "da": "da_DK", "sv": "sv_SE", "en": "en_GB"}
#: The language of an account whose seller names none: the seller's country's.
COUNTRY_LANGUAGES: Final[dict[str, Lang]] = {"NO": "nb", "DK": "da", "SE": "sv"}
#: Language tags read as one of ours: Norwegian without a written standard and nynorsk read as bokmål.
ALIASES: Final[dict[str, str]] = {"no": "nb", "nn": "nb", "nb": "nb", "da": "da", "sv": "sv", "en": "en"}

DOMAIN: Final[str] = "nordubl"
LOCALE_DIR: Final[Path] = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Marks ``message`` for extraction; it is translated where it is used (``translator(lang).gettext``)."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks ``message`` in ``context`` (``msgctxt``) for extraction; translated with ``pgettext``."""
    return message


def language_of(value: str | None, country: str | None = None) -> Lang:
    """One of :data:`LANGUAGES` for an account's or a caller's language: the value when it names one (or an
    alias), else the seller's country's language, else English."""
    if value:
        primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
        alias = ALIASES.get(primary)
        if alias is not None:
            return cast(Lang, alias)
    return COUNTRY_LANGUAGES.get((country or "").upper(), SOURCE)


@lru_cache(maxsize=len(LANGUAGES))
def translator(lang: str) -> NullTranslations:
    """The compiled catalogue of ``lang`` (English, the source language, translates to itself)."""
    chosen = language_of(lang)
    if chosen == SOURCE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [chosen], DOMAIN)


# -- Accept-Language ---------------------------------------------------------------------------------------

_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+)\s*)?$")


def _preferred(header: str) -> list[str]:
    """The language ranges of an ``Accept-Language`` header, best first (RFC 9110 §12.5.4: quality values;
    equal ones keep their order). Babel negotiates locales but reads no header, and no dependency of ours
    parses this one, hence these few lines."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        match = _RANGE.match(item)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            ranked.append((-quality, position, match.group(1)))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate(
    query: str | None, accept_language: str | None, available: tuple[str, ...] = LANGUAGES
) -> str | None:
    """``?lang=`` when it names one of ``available``, else the best ``Accept-Language`` range among them
    (Babel's :func:`~babel.core.negotiate_locale`: ``nb-NO`` → ``nb``, ``no`` → ``nb``); None when neither
    does."""
    tags = ([query] if query else []) + _preferred(accept_language or "")
    # each tag, then its primary subtag: "nn-NO" reaches the alias of "nn" before the next tag is tried
    preferred = [
        form for tag in tags for form in (tag.replace("_", "-"), re.split(r"[-_]", tag, maxsplit=1)[0])
    ]
    found = negotiate_locale(preferred, list(available), sep="-", aliases=ALIASES)
    return found.lower() if found else None


# -- formats -----------------------------------------------------------------------------------------------


def locale_of(lang: str) -> str:
    return LOCALES[language_of(lang)]


def name_of(lang: str) -> str:
    """The language's name in itself (CLDR): "Norsk bokmål", "Dansk", "Svenska", "English"."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=8)
def _currency_pattern(locale: str) -> str:
    """The locale's currency pattern with the ISO code (``¤¤``) in place of the symbol: documents name the
    currency unambiguously (``3 112,50 NOK``, ``NOK 3,112.50``), with a no-break space between code and digits
    (CLDR currencySpacing)."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    pattern = pattern.replace("¤", "¤¤")
    return re.sub(r"¤¤(?=[#0])", "¤¤\u00a0", pattern)


def format_decimal(value: Decimal | int, lang: str, places: int | None = None) -> str:
    """A number in the language's notation: ``places`` decimals when given, else as many as it has."""
    locale = locale_of(lang)
    if places is None:
        return _babel_decimal(value, locale=locale, decimal_quantization=False)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return _babel_decimal(value, format=pattern, locale=locale)


def format_amount(value: Decimal, currency: str, lang: str) -> str:
    """An amount without the currency, with the currency's decimals (ISO 4217)."""
    return format_decimal(value, lang, get_currency_precision(currency))


def format_money(value: Decimal, currency: str, lang: str) -> str:
    """An amount with its ISO currency code: ``12,50 DKK`` (da), ``DKK 12.50`` (en)."""
    locale = locale_of(lang)
    return format_currency(value, currency, format=_currency_pattern(locale), locale=locale)


def format_date(value: date, lang: str, form: Literal["short", "medium", "long"] = "long") -> str:
    """A date in the language's form: ``15. desember 2026`` (nb, long), ``15.12.2026`` (nb, short)."""
    return _babel_date(value, form, locale=locale_of(lang))
