"""The gettext catalogues (app/locale): complete in nb, da and sv, placeholders kept, extracted from the code
and compiled as the package ships them; Babel's negotiation and formats."""

from __future__ import annotations

import importlib.util
import string
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from app.i18n import (
    LANGUAGES,
    LOCALE_DIR,
    LOCALES,
    SOURCE,
    format_date,
    format_money,
    language_of,
    negotiate,
    translator,
)

ROOT = Path(__file__).resolve().parents[2]
TARGETS = [lang for lang in LANGUAGES if lang != SOURCE]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "nordubl.po").open("rb") as fp:
        return read_po(fp, locale=lang)


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _untranslated(catalog: Catalog) -> list[str]:
    """msgids with an empty msgstr (any plural form) or a placeholder the msgid does not fill (a translation
    may leave one out: the mail codes' English ``{detail}``, where the translation says it in words)."""
    bad = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(s and s.strip() for s in strings):
            bad.append(f"{m.context or ''}|{ids[0]}: empty")
        elif any(not _names(s) <= _names(ids[-1]) for s in strings):
            bad.append(f"{m.context or ''}|{ids[0]}: placeholders")
    return bad


@pytest.mark.parametrize("lang", TARGETS)
def test_every_msgid_is_translated_with_its_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    assert len(catalog) > 250
    assert _untranslated(catalog) == []


def test_the_completeness_check_can_fail() -> None:
    catalog = _catalog("sv")
    plural = catalog.get("Net {days} day")
    paid = catalog.get("Paid by {method}.")
    assert plural is not None and paid is not None
    plural.string = ("Netto {days} dag", "")
    paid.string = "Betald med {metod}."
    assert _untranslated(catalog) == ["|Net {days} day: empty", "|Paid by {method}.: placeholders"]


def test_the_catalogues_hold_what_the_code_marks_and_the_mo_files_what_the_po_files_say() -> None:
    # scripts/i18n.py --check: extraction from app/ gives the .po files' msgids, compiling them the .mo files
    assert _script().main(["--check"]) == 0


def test_the_package_ships_the_catalogues() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["app"]
    for lang in LANGUAGES:
        for suffix in ("po", "mo"):
            path = f"locale/{lang}/LC_MESSAGES/nordubl.{suffix}"
            assert (ROOT / "app" / path).is_file(), path
            assert any(Path(path).match(pattern) for pattern in data), path


@pytest.mark.parametrize(
    ("lang", "days", "text"),
    [
        ("nb", 14, "Netto 14 dager"),
        ("da", 14, "Netto 14 dage"),
        ("sv", 14, "Netto 14 dagar"),
        ("en", 14, "Net 14 days"),
        ("nb", 1, "Netto 1 dag"),
        ("sv", 1, "Netto 1 dag"),
        ("en", 1, "Net 1 day"),
    ],
)
def test_plural_forms_come_from_the_catalogue(lang: str, days: int, text: str) -> None:
    assert translator(lang).ngettext("Net {days} day", "Net {days} days", days).format(days=days) == text


@pytest.mark.parametrize(
    ("query", "header", "found"),
    [
        (None, "nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        (None, "no", "nb"),
        (None, "nn-NO, da;q=0.9", "nb"),
        (None, "fi, sv-SE;q=0.7, da;q=0.5", "sv"),
        (None, "da;q=0.4, sv;q=0.9", "sv"),
        ("da", "sv", "da"),
        ("xx", "sv", "sv"),
        (None, "da;q=0, fr", None),
        (None, "da;q=abc", None),
        (None, None, None),
    ],
)
def test_accept_language_is_negotiated(query: str | None, header: str | None, found: str | None) -> None:
    assert negotiate(query, header) == found


def test_an_accounts_language_else_its_countrys() -> None:
    assert [language_of(v) for v in ("nb", "no", "NN", "da-DK", "sv_SE", "en")] == [
        "nb",
        "nb",
        "nb",
        "da",
        "sv",
        "en",
    ]
    assert [language_of(None, c) for c in ("NO", "DK", "SE", "DE", None)] == ["nb", "da", "sv", "en", "en"]
    assert language_of("fr", "DK") == "da"


def test_formats_follow_the_locale() -> None:
    assert set(LOCALES) == set(LANGUAGES)
    amount = Decimal("6060.85")
    assert [format_money(amount, "NOK", lang) for lang in ("nb", "da", "sv", "en")] == [
        "6\u00a0060,85\u00a0NOK",
        "6.060,85\u00a0NOK",
        "6\u00a0060,85\u00a0NOK",
        "NOK\u00a06,060.85",
    ]
    assert format_date(date(2026, 12, 15), "nb") == "15. desember 2026"
    assert format_date(date(2026, 12, 15), "sv", "short") == "2026-12-15"


def test_a_missing_catalogue_entry_falls_back_to_english_never_an_error() -> None:
    assert translator("nb").gettext("A text no catalogue knows") == "A text no catalogue knows"
