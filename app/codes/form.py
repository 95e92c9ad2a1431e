"""The codes of the form's own checks (``input.*``, :mod:`app.forms.loader`, :mod:`app.document`): each
names the form field; pydantic's checks give their own words as ``{detail}`` and our hint by the pydantic
error type (the variant).
"""

from __future__ import annotations

from app.codes.code import Code
from app.i18n import NP_

#: input.invalid's message, which its variants (pydantic's error types) repeat: translated once
_INVALID = NP_("input.invalid", "{field} has a value that cannot be used: {detail}")

CODES: dict[str, Code] = {
    # the form's own checks (app/forms/loader.py, app/document/): the form field is named. The checks of
    # pydantic (app/forms/loader.py, pydantic_issues) give their own words as {detail}, our hint by the
    # pydantic error type (the variant); a variant that repeats the code's message is translated once.
    "input.missing": Code(
        "fatal",
        None,
        NP_("input.missing", "{field} is missing."),
        NP_("input.missing", "Fill in {field}, then send the order again."),
    ),
    "input.invalid": Code(
        "fatal",
        None,
        _INVALID,
        NP_("input.invalid", "Correct {field}, then send the order again."),
        variants={
            "greater_than": (_INVALID, NP_("input.invalid:greater_than", "{field} must be above zero.")),
            "greater_than_equal": (
                _INVALID,
                NP_("input.invalid:greater_than_equal", "{field} cannot be negative."),
            ),
            "less_than_equal": (_INVALID, NP_("input.invalid:less_than_equal", "{field} is too large.")),
            "string_too_long": (_INVALID, NP_("input.invalid:string_too_long", "Shorten {field}.")),
            "string_too_short": (_INVALID, NP_("input.invalid:string_too_short", "Fill in {field}.")),
            "too_short": (_INVALID, NP_("input.invalid:too_short", "{field} needs at least one entry.")),
            "decimal_max_places": (
                _INVALID,
                NP_("input.invalid:decimal_max_places", "Round {field} to fewer decimals."),
            ),
            "decimal_max_digits": (
                _INVALID,
                NP_("input.invalid:decimal_max_digits", "{field} has too many digits."),
            ),
            "decimal_parsing": (
                _INVALID,
                NP_("input.invalid:decimal_parsing", "Write {field} as a number, e.g. 12.50."),
            ),
            "date": (_INVALID, NP_("input.invalid:date", "Write dates as YYYY-MM-DD.")),
            "string_pattern_mismatch": (
                _INVALID,
                NP_(
                    "input.invalid:string_pattern_mismatch",
                    "{field} has the wrong format; see the example in the API documentation.",
                ),
            ),
            # PATCH /v1/account (RFC 7396): a merge patch is a JSON object
            "patch": (
                NP_("input.invalid:patch", "A patch is a JSON object of the settings to change."),
                NP_("input.invalid:patch", "Send the settings to change as one JSON object (a merge patch)."),
            ),
        },
    ),
    "input.unknown_field": Code(
        "fatal",
        None,
        NP_("input.unknown_field", "The order has a field {field} that the form does not know."),
        NP_("input.unknown_field", "Remove {field} (check the spelling), then send the order again."),
    ),
    "input.json": Code(
        "fatal",
        None,
        NP_("input.json", "Not valid JSON: {detail} (line {line})."),
        NP_("input.json", "Check quotes, commas and brackets."),
        variants={
            # a request body pydantic could not parse (RFC 8259)
            "body": (
                NP_("input.json:body", "The body is not valid JSON: {detail}"),
                NP_("input.json:body", "Send a valid JSON document (check quotes, commas and brackets)."),
            ),
        },
    ),
    "input.identifier": Code(
        "fatal",
        None,
        NP_("input.identifier", "{field} is not a valid number: its length or check digit is wrong."),
        NP_("input.identifier", "Correct the number, or leave the field empty; then send the order again."),
        # app/forms/identifiers.py: which identifier, and what is wrong with it ({detail}: python-stdnum's
        # or email-validator's own words)
        variants={
            "org_number_no": (  # 9 digits, MOD11
                NP_(
                    "input.identifier:org_number_no",
                    "Norwegian organisation number '{value}' is not valid: {detail}",
                ),
                NP_(
                    "input.identifier:org_number_no",
                    "A Norwegian organisation number has 9 digits with a valid check digit.",
                ),
            ),
            "cvr": (  # 8 digits, MOD11
                NP_("input.identifier:cvr", "Danish CVR number '{value}' is not valid: {detail}"),
                NP_("input.identifier:cvr", "A Danish CVR number has 8 digits with a valid check digit."),
            ),
            "org_number_se": (  # 10 digits, Luhn
                NP_("input.identifier:org_number_se", "Swedish org. number '{value}' is not valid: {detail}"),
                NP_(
                    "input.identifier:org_number_se",
                    "A Swedish org. number has 10 digits with a valid check digit.",
                ),
            ),
            "company_number": (
                NP_(
                    "input.identifier:company_number",
                    "Company number '{value}' is not valid: it holds characters other than letters and digits.",
                ),
                NP_("input.identifier:company_number", "Use letters and digits only."),
            ),
            "gln_length": (  # GS1: 13 digits
                NP_(
                    "input.identifier:gln_length",
                    "EAN/GLN number '{value}' is not valid: an EAN location number has 13 digits.",
                ),
                NP_("input.identifier:gln_length", "Write the 13 digits of the EAN location number."),
            ),
            "gln_check": (  # GS1 check digit
                NP_(
                    "input.identifier:gln_check",
                    "EAN/GLN number '{value}' is not valid: the GS1 check digit does not match.",
                ),
                NP_(
                    "input.identifier:gln_check",
                    "Check the number: with a correct check digit it would be {suggestion}.",
                ),
            ),
            "phone_format": (
                NP_("input.identifier:phone_format", "Phone number '{value}' is not a phone number."),
                NP_("input.identifier:phone_format", "Write it as +47 912 34 567 or 91234567."),
            ),
            "phone_country": (
                NP_(
                    "input.identifier:phone_country",
                    "Phone number '{value}' is not a valid number in {country}.",
                ),
                NP_(
                    "input.identifier:phone_country",
                    "Check the number, or write it with its country code, e.g. +47 912 34 567.",
                ),
            ),
            "phone_any": (
                NP_(
                    "input.identifier:phone_any",
                    "Phone number '{value}' is not a valid number in any country.",
                ),
                NP_(
                    "input.identifier:phone_any",
                    "Check the number, or write it with its country code, e.g. +47 912 34 567.",
                ),
            ),
            "email": (  # RFC 5322 §3.4.1 addr-spec
                NP_("input.identifier:email", "E-mail address '{value}' is not valid: {detail}"),
                NP_(
                    "input.identifier:email",
                    "Write one address as name@example.no, without a display name or angle brackets.",
                ),
            ),
        },
    ),
    "input.country": Code(
        "fatal",
        None,
        NP_("input.country", "{field} is not a known country code."),
        NP_(
            "input.country", "Write the country as a two-letter code (NO, DK, SE), then send the order again."
        ),
    ),
    "input.control_character": Code(
        "fatal",
        None,
        # XML 1.0 §2.2: the characters a document can carry
        NP_("input.control_character", "{field} contains a control character that no document can carry."),
        NP_("input.control_character", "Remove the character from {field}, then send the order again."),
        variants={
            "position": (
                NP_(
                    "input.control_character:position",
                    "{field} contains the control character U+{codepoint} at position {pos}, which no XML "
                    "document can carry.",
                ),
                None,
            ),
        },
    ),
    "input.unstorable_character": Code(
        "fatal",
        None,
        NP_(
            "input.unstorable_character",
            "{field} contains a character that cannot be stored (shown as ␀ or �).",
        ),
        NP_("input.unstorable_character", "Remove the character from {field}, then send the order again."),
        variants={
            # app/api/unstorable.py: PostgreSQL text holds no U+0000 and UTF-8 no lone surrogate
            "nul": (
                NP_(
                    "input.unstorable_character:nul",
                    "{field} contains a NUL character (U+0000), which cannot be stored.",
                ),
                NP_(
                    "input.unstorable_character:nul",
                    "Remove the character: it is never part of a name, a number or an identifier (check how "
                    "the value is encoded before it is sent).",
                ),
            ),
            "surrogate": (
                NP_(
                    "input.unstorable_character:surrogate",
                    "{field} contains an unpaired surrogate (U+{codepoint}), which cannot be stored.",
                ),
                NP_(
                    "input.unstorable_character:surrogate",
                    "Remove the character: it is never part of a name, a number or an identifier (check how "
                    "the value is encoded before it is sent).",
                ),
            ),
        },
    ),
    "input.customer_name": Code(
        "fatal",
        None,
        NP_("input.customer_name", "The order names no customer."),
        NP_(
            "input.customer_name",
            "Fill in the company name or the contact's first and last name, then send the order again.",
        ),
    ),
    "input.amount_too_large": Code(
        "fatal",
        None,
        NP_(
            "input.amount_too_large", "An amount of the order is above the largest amount a document carries."
        ),
        NP_(
            "input.amount_too_large",
            "Check the quantities and prices (a misplaced decimal point?), then send the order again.",
        ),
        variants={
            "line": (
                NP_(
                    "input.amount_too_large:line",
                    "The line amount quantity × price = {line_amount} is above the largest amount a "
                    "document carries ({limit}).",
                ),
                NP_(
                    "input.amount_too_large:line",
                    "Check the quantity and the price of this product (a misplaced decimal point?).",
                ),
            ),
            "total": (
                NP_(
                    "input.amount_too_large:total",
                    "The order's total {total} is above the largest amount a document carries ({limit}).",
                ),
                NP_("input.amount_too_large:total", "Check the quantities and prices, or split the order."),
            ),
        },
    ),
    "input.vat_rate": Code(
        "fatal",
        None,
        NP_("input.vat_rate", "{field} is not a VAT rate of the seller's country."),
        NP_("input.vat_rate", "Correct the VAT rate in the shop, then send the order again."),
        variants={
            # app/document/build.py: the rates of VAT_RATES for the seller's country
            "country": (
                NP_("input.vat_rate:country", "VAT rate {value} % is not a {country} VAT rate."),
                NP_("input.vat_rate:country", "Use one of {rates}."),
            ),
        },
    ),
    "input.kid": Code(
        "fatal",
        None,
        NP_("input.kid", "{field} is not a valid KID: a KID has 2–25 digits and a check digit."),
        NP_("input.kid", "Correct the payment reference, or leave it empty; then send the order again."),
        variants={
            # a KID's last digit is its MOD10 or MOD11 check digit
            "check_digit": (
                NP_("input.kid:check_digit", "KID '{value}' has no valid MOD10 or MOD11 check digit."),
                NP_(
                    "input.kid:check_digit",
                    "Copy the KID from the payment system; its last digit is a check digit.",
                ),
            ),
            "format": (
                NP_(
                    "input.kid:format",
                    "KID '{value}' is not valid: a KID has 2–25 digits, the last a check digit.",
                ),
                NP_("input.kid:format", "A KID has 2–25 digits; copy it from the payment system."),
            ),
        },
    ),
}
