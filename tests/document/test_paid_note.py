"""Source 004: a prepaid order's note says how it was paid, in the account's language: a kind of payment
("card", "bank transfer") in words of that language, a brand (Vipps, Swish) as the shop sent it."""

from __future__ import annotations

import pytest

from app.document.build import METHOD_NAMES, paid_note


@pytest.mark.parametrize(
    ("lang", "method", "note"),
    [
        ("nb", "card", "Betalt med kort, referanse R-1."),
        ("da", "Bank transfer", "Betalt med bankoverførsel, reference R-1."),
        ("sv", "gift_card", "Betald med presentkort, referens R-1."),
        ("nb", "Vipps", "Betalt med Vipps, referanse R-1."),
        ("da", "MobilePay", "Betalt med MobilePay, reference R-1."),
        ("en", "CARD", "Paid by card, reference R-1."),
    ],
)
def test_the_method_reads_in_the_language(lang: str, method: str, note: str) -> None:
    assert paid_note(lang, method, "R-1") == note


@pytest.mark.parametrize("lang", ["nb", "da", "sv"])
def test_no_method_word_stays_english(lang: str) -> None:
    for key, english in METHOD_NAMES.items():
        assert english not in paid_note(lang, key, None), (lang, key)
