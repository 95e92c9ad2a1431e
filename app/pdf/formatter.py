"""The one place a PDF value is formatted for a language: amounts, quantities, prices, rates, dates,
periods, countries and units, with Babel for the language's locale (the labels of :mod:`app.pdf.labels`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_currency_precision

from app.document.model import Period
from app.i18n import format_money
from app.pdf.labels import LABELS, LOCALES, UNITS, Lang


class Formatter:
    def __init__(self, lang: Lang, currency: str) -> None:
        self.lang = lang
        self.locale = LOCALES[lang]
        self.currency = currency
        self.t = LABELS[lang]

    def money(self, value: Decimal) -> str:
        """An amount without the currency (table cells), with the currency's decimals (ISO 4217)."""
        digits = get_currency_precision(self.currency)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def money_cur(self, value: Decimal) -> str:
        """An amount with its ISO currency code (totals, amount due)."""
        return format_money(value, self.currency, self.lang)

    def number(self, value: Decimal) -> str:
        """A quantity: as many decimals as the document gave, none added."""
        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)

    def price(self, value: Decimal) -> str:
        """A unit price: at least two decimals, more when the document has them (BT-146 has no limit)."""
        return format_decimal(value, format="#,##0.00", locale=self.locale, decimal_quantization=False)

    def percent(self, value: Decimal) -> str:
        return format_percent(value / 100, locale=self.locale, decimal_quantization=False)

    def date(self, value: date | None) -> str:
        return format_date(value, "short", locale=self.locale) if value else ""

    def period(self, p: Period | None) -> str:
        if p is None:
            return ""
        return f"{self.date(p.start)}\u2013{self.date(p.end)}"

    def country(self, code: str) -> str:
        return str(Locale.parse(self.locale).territories.get(code, code))

    def unit(self, code: str) -> str:
        return UNITS[self.lang].get(code, code)
