"""The one catalogue of codes (app/codes.py): each code once, with severity, field, message and hint in every
language, and whether an account may make it a warning; errors built from it; no text written twice."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import get_args

import pytest

from app.codes import CODES, issue, text
from app.errors import NordublError, Severity
from app.i18n import LANGUAGES, SOURCE
from app.processing.settings import FINDING_CODES

APP = Path(__file__).resolve().parents[2] / "app"
PARAMS = {
    "field": "customer.email",
    "value": "X-1",
    "kind": "card",
    "amount": "12.5",
    "currency": "DKK",
    "product_number": "P-1",
    "name": "Kurs",
    "form_rate": "25",
    "catalogue_rate": "15",
    "term_id": "9",
    "known": "1, 2",
    "order_date": "2026-11-20",
    "process_from": "2027-01-01",
    "number": "F-1001",
    "detail": "refused",
    "document": "Invoice",
    "what": "XRechnung 3.0 (Germany)",
    "customization": "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
    "supported": "Peppol BIS Billing 3.0",
    "ruleset": "peppol-billing 2026.5",
}


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_has_its_severity_field_and_texts_in_every_language(code: str) -> None:
    entry = CODES[code]
    assert entry.severity in get_args(Severity)
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code)
    texts = {lang: text(code, lang, PARAMS) for lang in LANGUAGES}
    for lang, (message, hint) in texts.items():
        assert message.strip() and hint.strip() and "{" not in message + hint, (code, lang)
        if lang != SOURCE:
            assert texts[lang] != texts[SOURCE], (code, lang)  # translated, not the English


def test_the_codes_an_account_may_set_to_warn_are_the_settings_choices() -> None:
    assert {code for code, entry in CODES.items() if entry.configurable} == set(FINDING_CODES)


def test_an_error_is_built_from_the_catalogue() -> None:
    err = NordublError.of("customer.number_taken", "customer.customer_number", title="Taken", value="10001")
    assert (err.title, err.status) == ("Taken", 422)
    [i] = err.issues
    assert (i.code, i.severity, i.field, i.value) == (
        "customer.number_taken",
        "fatal",
        "customer.customer_number",
        "10001",
    )
    assert i.message == "Customer number 10001 already belongs to another customer of this account."
    assert i.hint == CODES["customer.number_taken"].hint
    # the catalogue's field when the caller names none; a parameter the text needs is never left out
    skipped = issue(
        "order.before_process_from", params={"order_date": "2026-11-20", "process_from": "2027-01-01"}
    )
    assert (skipped.field, skipped.severity) == ("order_date", "warning")


def test_a_code_outside_the_catalogue_or_a_missing_parameter_fails_loudly() -> None:
    with pytest.raises(KeyError):
        NordublError.of("product.unheard_of", title="x")
    with pytest.raises(KeyError, match=r"product\.unknown"):
        text("product.unknown", "nb", {"product_number": "P-1"})  # no {name}


def _fragments(msgid: str) -> list[str]:
    """The literal parts of a msgid long enough to be recognised elsewhere (between placeholders)."""
    parts = [literal for literal, _, _, _ in string.Formatter().parse(msgid)]
    return [p.strip() for p in parts if len(p.strip()) >= 30]


def test_no_text_of_the_catalogue_is_written_twice() -> None:
    sources = {
        # adjacent literals joined as Python joins them (a long text is split over lines)
        path: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', path.read_text()))
        for path in APP.rglob("*.py")
        if path.name != "codes.py"
    }
    twice = [
        (code, fragment, str(path.relative_to(APP)))
        for code, entry in CODES.items()
        for fragment in _fragments(entry.message) + _fragments(entry.hint)
        for path, literals in sources.items()
        if fragment in literals
    ]
    assert twice == []
