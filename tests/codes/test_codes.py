"""The one catalogue of codes (app/codes/): each code once, with severity, field, message and hint in every
language, and whether an account may make it a warning; errors built from it; no text written twice."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from app.codes import CODES, issue, text
from app.errors import NordublError
from app.i18n import LANGUAGES, SOURCE
from app.issues import Severity
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
    "key": "b2b",
    "strategy": "erp_series",
    "actual": "9f86d081",
    "automatic_from": "2026-12-16",
    "burst": "30",
    "card": "71",
    "codepoint": "D800",
    "content_type": "text/plain",
    "country": "DK",
    "customer_id": "17",
    "days": "7",
    "default": "14",
    "document_id": "42",
    "element": "PayableAmount",
    "entry_id": "5",
    "exit_code": "-9",
    "extra": "s3",
    "floor": "14",
    "height": "5000",
    "limit": "100",
    "line": "3",
    "line_amount": "1,000,000,000,000,000.00",
    "lines": "2000",
    "max": "255",
    "mb": "512",
    "module": "boto3",
    "next": "10001",
    "pos": "5",
    "suggestion": "5798000000001",
    "order_id": "W-1001",
    "other": "products[0]",
    "path": "/etc/nordubl/account.json",
    "per": "2.0",
    "profiles": "ehf, peppol",
    "rates": "0 %, 25 %",
    "received": "1024",
    "ref": "7",
    "request": "POST /v1/shop-orders",
    "retry": "3",
    "routes": "/v1/validate",
    "running": "4",
    "seconds": "30",
    "sha256": "e3b0c442",
    "signal": "SIGKILL",
    "size": "3000000",
    "state": "queued",
    "total": "1,000,000,000,000,000.00",
    "trial_days": "14",
    "what": "an S3 blob store",
    "width": "15",
    "document": "Invoice",
    "customization": "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
    "supported": "Peppol BIS Billing 3.0",
    "ruleset": "peppol-billing 2026.5",
    "asset": "'app.css'",
    "count": "300000",
    "setting": "max_form_bytes",
    "setting_env": "MAX_FORM_BYTES",
    "spent": "31.2",
    "stage": "schematron",
    "compressed": "1000",
    "ratio": "5000",
    "entry_name": "../evil.xml",
    "scope": "PROCESSID",
    "found": "Invoice",
    "namespace": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "profile": "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
    "reason": "signal SIGKILL",
}


@pytest.mark.parametrize(
    ("code", "variant"),
    [(code, None) for code in sorted(CODES)]
    + [(code, v) for code in sorted(CODES) for v in sorted(CODES[code].variants)],
)
def test_each_code_has_its_severity_field_and_texts_in_every_language(code: str, variant: str | None) -> None:
    entry = CODES[code]
    assert entry.severity in get_args(Severity)
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code)
    params = PARAMS | ({"variant": variant} if variant else {})
    texts = {lang: text(code, lang, params) for lang in LANGUAGES}
    if variant:  # a variant says the code more precisely: its own text, not the code's
        assert texts[SOURCE] != text(code, SOURCE, PARAMS), variant
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
        if path.parent.name != "codes"
    }
    twice = [
        (code, fragment, str(path.relative_to(APP)))
        for code, entry in CODES.items()
        for fragment in _fragments(entry.message) + _fragments(entry.hint)
        for path, literals in sources.items()
        if fragment in literals
    ]
    assert twice == []


# -- every code of ours is built from the catalogue ------------------------------------------------------

#: Functions that build an Issue of a code they are given, and the only codes they are given.
BUILDERS = {
    ("codes/texts.py", "issue"): "any catalogued code",
    ("validation/engine.py", "_check_schema"): "xsd.* schema errors, lxml's words as published",
    ("validation/engine.py", "_read_svrl"): "the official rule ids (BR-CO-15, F-INV046) as published",
}


def _published(code: str) -> bool:
    """A rule id as published (BR-CO-15, PEPPOL-EN16931-R010, F-INV046): ours always have a dot."""
    return re.fullmatch(r"[A-Z][A-Za-z0-9_-]*", code) is not None


def _calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str, ast.expr | None]]:
    """Each ``Issue(...)`` / ``input_issue(...)`` call under ``tree``: the call, its name, its code."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in ("Issue", "input_issue"):
                first = node.args[0] if node.args else None
                yield node, called, first or next((k.value for k in node.keywords if k.arg == "code"), None)


def _hand_built(source: str, where: str) -> list[str]:
    """Each ``Issue(...)`` / ``input_issue(...)`` call of ``source`` that builds a code of ours by hand: a
    code literal (catalogued or not), or a code from a variable outside the builders."""
    tree = ast.parse(source)
    found = [
        f"{where}:{node.lineno} {called}({code.value!r}, …)"
        for node, called, code in _calls(tree)
        if isinstance(code, ast.Constant) and not _published(str(code.value))
    ]
    for function in ast.walk(tree):
        if (
            isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            and (where, function.name) not in BUILDERS
        ):
            found += [
                f"{where}:{node.lineno} {called}(<{ast.unparse(code) if code else '?'}>, …) in {function.name}"
                for node, called, code in _calls(function)
                if not isinstance(code, ast.Constant)
            ]
    return sorted(set(found))


def test_every_code_of_ours_is_built_from_the_catalogue() -> None:
    built = [
        hit
        for path in sorted(APP.rglob("*.py"))
        for hit in _hand_built(path.read_text(), str(path.relative_to(APP)))
    ]
    assert built == [], "build these with app.codes.issue / NordublError.of (a Code in app/codes/)"


def test_the_hand_built_check_can_fail() -> None:
    source = """
def refuse(kind):
    return [Issue("input.new_thing", "fatal", "English"), Issue("BR-CO-15", "error", "as published"),
            Issue(code=kind, severity="fatal", message="x"), input_issue("input.other", "y")]
"""
    assert _hand_built(source, "somewhere.py") == [
        "somewhere.py:3 Issue('input.new_thing', …)",
        "somewhere.py:4 Issue(<kind>, …) in refuse",
        "somewhere.py:4 input_issue('input.other', …)",
    ]
    assert _hand_built('x = Issue("input.too_large", "fatal", "m")', "api/deps.py") == [
        "api/deps.py:1 Issue('input.too_large', …)"
    ]


def test_pydantic_errors_get_our_hint_by_error_type_and_keep_pydantics_words_as_detail() -> None:
    from app.forms.loader import pydantic_issues

    negative, literal = pydantic_issues(
        [
            {
                "type": "greater_than_equal",
                "loc": ("body", "products", 0, "vat_rate"),
                "msg": "Input should be greater than or equal to 0",
                "input": "-1",
                "ctx": {"ge": 0},
            },
            {"type": "literal_error", "loc": ("customer", "kind"), "msg": "Input should be 'B2C' or 'B2B'"},
        ]
    )
    assert (negative.code, negative.field, negative.value) == ("input.invalid", "products[0].vat_rate", "-1")
    assert negative.message == (
        "products[0].vat_rate has a value that cannot be used: Input should be greater than or equal to 0"
    )
    assert negative.hint == "products[0].vat_rate cannot be negative."
    assert text("input.invalid", "nb", dict(negative.params or {}), negative.field)[1] == (
        "products[0].vat_rate kan ikke være negativ."
    )
    # an error type without a variant of its own: the code's own hint
    assert (literal.code, literal.hint) == (
        "input.invalid",
        "Correct customer.kind, then send the order again.",
    )


def test_our_validators_name_their_variant_and_its_parameters() -> None:
    from pydantic import ValidationError

    from app.forms.loader import pydantic_issues
    from app.forms.models import Customer

    with pytest.raises(ValidationError) as caught:
        Customer.model_validate({"first_name": "Kari", "country": "DK", "ean": "5798000000002"})
    [bad] = pydantic_issues(list(caught.value.errors()))
    assert (bad.code, bad.field) == ("input.identifier", "ean")
    assert bad.message == "EAN/GLN number '5798000000002' is not valid: the GS1 check digit does not match."
    assert bad.hint == "Check the number: with a correct check digit it would be 5798000000001."
    assert text(bad.code, "da", dict(bad.params or {}), bad.field)[1] == (
        "Tjek nummeret: med et korrekt kontrolciffer ville det være 5798000000001."
    )
