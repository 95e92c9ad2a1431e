"""The error log's message catalogue (en, nb, da, sv): every finding the preflight makes is written in each
language with every placeholder filled, amounts in the language's notation."""

from __future__ import annotations

import string
from datetime import date

import pytest

from app.accounts.models import Account
from app.catalogue.models import CatalogueProduct, FeeMapping
from app.errorlog.messages import LANGUAGES, MESSAGES, language_of, localize, text
from app.errorlog.service import Finding
from app.forms.models import RegistrationForm
from app.processing.preflight import preflight, skipped_finding
from app.processing.settings import ProcessingSettings

FORM = RegistrationForm.model_validate(
    {
        "order_id": "M-1",
        "order_date": "2026-11-20",
        "payment_terms_id": "9",
        "customer": {"first_name": "Kari", "last_name": "Nordmann", "email": "kari@example.no"},
        "products": [
            {"product_number": "NONE", "name": "Ukjent", "price": "1", "vat_rate": "25", "quantity": "1"},
            {"product_number": "OFF", "name": "Av", "price": "1", "vat_rate": "25", "quantity": "1"},
            {"product_number": "VAT", "name": "Mva", "price": "1", "vat_rate": "25", "quantity": "1"},
        ],
        "fees": [{"kind": "card", "amount": "5.00", "vat_rate": "25"}],
    }
)


def _findings() -> list[Finding]:
    account = Account(payment_terms_map={"1": 14}, process_orders_from=None)
    products = {
        "OFF": CatalogueProduct(product_number="OFF", erp_item="1", name="Av", vat_rate="25", active=False),
        "VAT": CatalogueProduct(product_number="VAT", erp_item="2", name="Mva", vat_rate="15", active=True),
    }
    # an account that maps its freight but not its card fee (without any mapping every fee stays a charge)
    fees = {"freight": FeeMapping(kind="freight", item="FRAKT")}
    prepared = preflight(FORM, account, ProcessingSettings(), products, fees)
    return [*prepared.findings, skipped_finding(FORM, date(2027, 1, 1))]


def test_the_preflight_finds_each_known_error() -> None:
    assert sorted((f.issue.code, f.issue.field) for f in _findings()) == [
        ("account.bank_account_missing", "account.seller.iban"),
        ("fee.unmapped", "fees[0].kind"),
        ("order.before_process_from", "order_date"),
        ("payment_terms.unmapped", "payment_terms_id"),
        ("product.inactive", "products[1].product_number"),
        ("product.unknown", "products[0].product_number"),
        ("product.vat_mismatch", "products[2].vat_rate"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_finding_is_written_in_each_language(language: str) -> None:
    for f in _findings():
        message, hint = localize(
            f.issue.code, language, f.params, f.issue.message, f.issue.hint, f.issue.field
        )
        assert "{" not in message and hint and "{" not in hint, (f.issue.code, message, hint)
        if language == "en":
            # the catalogue's English is the message the preflight itself writes
            assert (message, hint) == (f.issue.message, f.issue.hint), f.issue.code
        else:
            assert message != f.issue.message, (language, f.issue.code)


def test_the_catalogue_is_complete_and_uses_known_placeholders() -> None:
    allowed = {
        "field",
        "value",
        "fee",
        "kind",
        "money",  # amount and currency, formatted for the language
        "product_number",
        "name",
        "form_rate",
        "catalogue_rate",
        "term_id",
        "known",
        "order_date",
        "process_from",
        "number",  # the mail codes: the document's number and the worker's detail
        "detail",
        "key",  # the customer codes: customers.<key> and customers.number_strategy
        "strategy",
        # the service's own refusals (the HTTP API, the stores, the PDF renderer, the reader)
        *("actual", "automatic_from", "burst", "card", "codepoint", "content_type", "country", "customer_id"),
        *("days", "default", "document_id", "element", "entry_id", "exit_code", "extra", "floor", "height"),
        *(
            "limit",
            "line",
            "line_amount",
            "lines",
            "max",
            "mb",
            "module",
            "next",
            "order_id",
            "other",
            "path",
        ),
        *("per", "profiles", "rates", "received", "ref", "request", "retry", "routes", "running", "seconds"),
        *("sha256", "signal", "size", "state", "total", "trial_days", "what", "width", "pos", "suggestion"),
        # the validator's ruleset codes: the document type, what it is, its CustomizationID, the installed
        # rule sets, the rule set that checked it
        "document",
        "customization",
        "supported",
        "ruleset",
        # the validator's own codes (xml.*, engine.*, sbdh.*, validation.*, input.zip_*, web.not_found)
        *("asset", "compressed", "count", "entry_name", "found", "namespace", "profile", "ratio", "reason"),
        *("scope", "setting", "setting_env", "spent", "stage"),
    }
    params = dict.fromkeys(allowed - {"money"}, "x") | {"kind": "card", "amount": "12.5", "currency": "DKK"}
    for code in MESSAGES:
        for lang in LANGUAGES:
            message, hint = text(code, lang, params)
            names = {n for t in MESSAGES[code] for _, n, _, _ in string.Formatter().parse(t) if n}
            assert names <= allowed, (code, lang, names - allowed)
            assert "{" not in message + hint, (code, lang)
            if lang != "en":
                assert (message, hint) != text(code, "en", params), (code, lang)


@pytest.mark.parametrize(
    ("language", "money"),
    [("nb", "12,50\u00a0DKK"), ("da", "12,50\u00a0DKK"), ("sv", "12,50\u00a0DKK"), ("en", "DKK\u00a012.50")],
)
def test_an_amount_is_written_the_languages_way(language: str, money: str) -> None:
    message, _ = text("fee.unmapped", language, {"kind": "card", "amount": "12.50", "currency": "DKK"})
    assert money in message, message


def test_codes_outside_the_catalogue_keep_their_text_with_a_generic_hint() -> None:
    message, hint = localize("BR-CO-15", "da", {}, "Invoice total amount with VAT …", None, "fees[0]")
    assert (message, hint) == ("Invoice total amount with VAT …", "Ret fees[0], og send ordren igen.")
    assert localize("BR-CO-15", "en", {}, "text", "the rule's hint", None) == ("text", "the rule's hint")
    assert language_of("sv") == "sv" and language_of("nb") == "nb" and language_of("fr") == "en"


def test_our_codes_outside_the_catalogue_get_a_message_in_the_language() -> None:
    # an official rule text is quoted as published; a code of ours is never English in a Swedish log
    message, hint = localize("xml.not_ubl", "sv", {}, "The document is not UBL.", None, "document")
    assert (message, hint) == (
        "document kan inte användas som det är (xml.not_ubl).",
        "Rätta document och skicka ordern igen.",
    )
    # a catalogued code whose stored parameters do not fill its text: the same general words
    message, hint = localize("input.profile", "sv", {}, "No invoice profile 'x'.", None, "profile")
    assert message == "profile kan inte användas som det är (input.profile)."
    assert localize("input.missing", "nb", {}, "Field required", None, "customer.email") == (
        "customer.email mangler.",
        "Fyll inn customer.email, og send ordren på nytt.",
    )
