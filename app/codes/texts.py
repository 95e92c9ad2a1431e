"""The one catalogue of the service's coded findings and errors: each code once, with its severity, the form
field it names by default, its message and hint (English msgids, msgctxt = the code, translated by the
gettext catalogues into nb, da, sv) and whether an account may set it to block or to warn.

The preflight's findings, the customer errors, the mail worker's entries and the owner's error log read the
same entries: :func:`issue` (and :meth:`app.errors.NordublError.of`) writes a code's English, the error log
shows it in the account's language (:mod:`app.errorlog.messages`). ``{placeholders}`` are filled from the
parameters; an amount is ``{money}``, formatted for the language from ``amount`` and ``currency``.
Official rule ids (``BR-CO-15``, ``F-INV046``) are not here: their texts are quoted as published.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field  # Code has an attribute named field
from decimal import Decimal, InvalidOperation

from app.i18n import NP_, format_money, language_of, translator
from app.issues import Issue, Severity


@dataclass(frozen=True, slots=True)
class Code:
    severity: Severity
    #: the form field the code names when the caller names none (None: the caller always names one)
    field: str | None
    message: str
    hint: str
    #: an account may make it a warning instead of an error (``ProcessingSettings.findings``)
    configurable: bool = False
    #: the same code said more precisely for one cause: variant name -> (message, hint), msgctxt
    #: ``code:variant`` (``customer.number_missing``: which number strategy found no number); a hint of
    #: None is the code's own, and a text the same as the code's own is translated under the code's msgctxt
    variants: Mapping[str, tuple[str, str | None]] = dataclass_field(default_factory=dict)

    def texts(self, variant: str | None) -> tuple[str, str]:
        """The English (message, hint) of ``variant``, else of the code itself."""
        message, hint = self.variants.get(variant or "", (self.message, self.hint))
        return message, hint or self.hint


#: fees[].kind in words (msgctxt "fee")
FEE_NAMES: dict[str, str] = {
    "freight": NP_("fee", "freight"),
    "payment": NP_("fee", "payment fee"),
    "card": NP_("fee", "card fee"),
    "other": NP_("fee", "fee"),
}

#: input.invalid's message, which its variants (pydantic's error types) repeat: translated once
_INVALID = NP_("input.invalid", "{field} has a value that cannot be used: {detail}")

CODES: dict[str, Code] = {
    # GET /problems/{code} (app/api/routes/problems.py): the type URI of a code that is not ours
    "problem.unknown": Code(
        "fatal",
        "code",
        NP_("problem.unknown", "There is no problem type {value}."),
        NP_("problem.unknown", "See /problems for every problem type the service uses."),
    ),
    # source 003: "products that do not exist in the ERP"
    "product.unknown": Code(
        "error",
        None,
        NP_(
            "product.unknown",
            "Product {product_number} ({name}) is not in the catalogue: the ERP does not know it, so it "
            "cannot be put on the order.",
        ),
        NP_(
            "product.unknown",
            "Create the product in the ERP and add it to the catalogue (PUT /v1/catalogue/products or "
            "nordubl catalogue import), then send the order again.",
        ),
        configurable=True,
    ),
    # source 003: "deactivated products bought via search engines"
    "product.inactive": Code(
        "error",
        None,
        NP_(
            "product.inactive",
            "Product {product_number} ({name}) is deactivated, yet it was bought (often through an old "
            "search-engine link).",
        ),
        NP_(
            "product.inactive",
            "Reactivate the product in the catalogue if it is still sold, or cancel and refund the order; "
            "then send it again.",
        ),
        configurable=True,
    ),
    "product.vat_mismatch": Code(
        "error",
        None,
        NP_(
            "product.vat_mismatch",
            "Product {product_number} is sold at {form_rate} % VAT in the shop, but the catalogue says "
            "{catalogue_rate} %.",
        ),
        NP_(
            "product.vat_mismatch",
            "Correct the VAT rate in the shop or in the catalogue so that they agree, then send the order "
            "again.",
        ),
        configurable=True,
    ),
    # source 003: fees "not defined as products … the fee goes missing"
    "fee.unmapped": Code(
        "error",
        None,
        NP_(
            "fee.unmapped",
            "The {fee} of {money} is not mapped to an ERP item or a charge code, so it would go missing "
            "from the invoice.",
        ),
        NP_(
            "fee.unmapped",
            "Map the fee kind '{kind}' to an ERP item or a charge code (PUT /v1/catalogue/fees), then send "
            "the order again.",
        ),
        configurable=True,
    ),
    # source 003: "payment-term ids changed in the shop so the mapping no longer matches"
    "payment_terms.unmapped": Code(
        "error",
        "payment_terms_id",
        NP_(
            "payment_terms.unmapped",
            "The shop's payment terms id '{term_id}' is not mapped (known ids: {known}); the shop may have "
            "renumbered its payment terms.",
        ),
        NP_(
            "payment_terms.unmapped",
            "Map '{term_id}' to a number of days (PUT /v1/account/payment-terms), then send the order again.",
        ),
        configurable=True,
    ),
    # source 004: "process orders registered from"
    "order.before_process_from": Code(
        "warning",
        "order_date",
        NP_(
            "order.before_process_from",
            "The order was registered on {order_date}, before {process_from} (process orders registered "
            "from): it is skipped.",
        ),
        NP_("order.before_process_from", "Nothing to do, unless the date in process_orders_from is wrong."),
    ),
    # an invoice must say where to pay (BG-16): an account without a bank account cannot
    "account.bank_account_missing": Code(
        "warning",
        "account.seller.iban",
        NP_(
            "account.bank_account_missing",
            "The account has no bank account (bank_account, iban or fik_creditor): the invoice cannot say "
            "where to pay.",
        ),
        NP_(
            "account.bank_account_missing",
            "Fill in the seller's bank account in the account settings (PATCH /v1/account: seller.iban or "
            "seller.bank_account), then send the order again.",
        ),
    ),
    # sources 000 and 001: the customer errors of resolve_customer
    "customer.must_exist": Code(
        "fatal",
        None,
        NP_(
            "customer.must_exist",
            "No customer with {field} = {value} exists, and creating customers is switched off.",
        ),
        NP_(
            "customer.must_exist",
            "Create the customer in the ERP first, or switch customers.create on; then send the order again.",
        ),
    ),
    "customer.identifier_missing": Code(
        "fatal",
        None,
        NP_(
            "customer.identifier_missing",
            "This account identifies {kind} customers by {field}, and the form has none.",
        ),
        NP_(
            "customer.identifier_missing",
            "Fill in {field} (make it required in the shop), or change customers.{key}.identify_by; then "
            "send the order again.",
        ),
    ),
    # source 000: "Kundnummer saknas": which setting produced no number, and what to configure
    "customer.number_missing": Code(
        "fatal",
        "account.customers.number_series",
        NP_(
            "customer.number_missing",
            'Customer number missing: the setting customers.number_strategy = "{strategy}" found no number '
            "series for this account.",
        ),
        NP_(
            "customer.number_missing",
            "Configure customers.number_series (prefix, next), or choose another customers.number_strategy; "
            "then send the order again.",
        ),
        variants={
            "one_time_fixed": (
                NP_(
                    "customer.number_missing:one_time_fixed",
                    'Customer number missing: the setting customers.number_strategy = "one_time_fixed" puts '
                    "all one-time customers on one number, and none is set.",
                ),
                NP_(
                    "customer.number_missing:one_time_fixed",
                    "Set customers.one_time_customer_number, or choose another customers.number_strategy.",
                ),
            ),
            "shared": (
                NP_(
                    "customer.number_missing:shared",
                    "Customer number missing: the shared {kind} customer has no fixed number "
                    "(customers.{key}.shared_customer_number) and the setting customers.number_strategy = "
                    '"{strategy}" found no number series.',
                ),
                NP_(
                    "customer.number_missing:shared",
                    "Set customers.{key}.shared_customer_number, or configure customers.number_series.",
                ),
            ),
            "external": (
                NP_(
                    "customer.number_missing:external",
                    "Customer number missing: the shop sent no customer number (customer.customer_number) "
                    'and the setting customers.number_strategy = "external" found no number series to fall '
                    "back on.",
                ),
                NP_(
                    "customer.number_missing:external",
                    "Send customer.customer_number from the shop, or configure customers.number_series "
                    "(prefix, next).",
                ),
            ),
            "one_time_new": (
                NP_(
                    "customer.number_missing:one_time_new",
                    'Customer number missing: the setting customers.number_strategy = "one_time_new" needs '
                    "a number series, and none is configured.",
                ),
                NP_(
                    "customer.number_missing:one_time_new",
                    "Configure customers.number_series (prefix, next), or choose another "
                    "customers.number_strategy.",
                ),
            ),
        },
    ),
    "customer.number_taken": Code(
        "fatal",
        "customer.customer_number",
        NP_(
            "customer.number_taken",
            "Customer number {value} already belongs to another customer of this account.",
        ),
        NP_(
            "customer.number_taken",
            "Send the shop's own, unique customer number, or move the number series past the numbers in use.",
        ),
    ),
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
    # source 003: the invoice mail (app/mail/owner.py records these; {number} is the document's number,
    # {detail} the worker's or the provider's own words). English repeats what the worker records.
    "mail.failed": Code(
        "fatal",
        "mail",
        NP_("mail.failed", "Invoice mail {number}: {detail}"),
        NP_("mail.failed", "Check the customer's e-mail address, then resend the invoice mail."),
    ),
    "mail.unknown": Code(
        "fatal",
        "mail",
        NP_("mail.unknown", "Invoice mail {number}: {detail}"),
        NP_("mail.unknown", "Ask the customer whether the invoice arrived; resend it only if it did not."),
    ),
    "mail.no_recipient": Code(
        "fatal",
        "customer.email",
        NP_("mail.no_recipient", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.no_recipient",
            "Add the customer's e-mail address to the order, then resend the invoice mail.",
        ),
    ),
    # the validator: a document no installed rule set checks (app/validation/rulesets.py)
    "ruleset.unsupported": Code(
        "fatal",
        "cbc:CustomizationID",
        NP_(
            "ruleset.unsupported",
            "No installed rule set checks this {document}: {what} (CustomizationID \u201c{customization}\u201d). "
            "Only the UBL schema (XSD) was checked, so the document is not reported as valid.",
        ),
        NP_(
            "ruleset.unsupported",
            "Validate it with a validator for {what}. The rule sets installed here: {supported}.",
        ),
    ),
    # the validator: a national specialisation checked by the rules it specialises only
    "ruleset.partial": Code(
        "warning",
        "cbc:CustomizationID",
        NP_(
            "ruleset.partial",
            "Checked with {ruleset} only: the document follows {what}, a specialisation of it whose own "
            "national rules are not installed and were not run.",
        ),
        NP_(
            "ruleset.partial",
            "Have the national rules of {what} checked by their own validator as well before sending the "
            "document.",
        ),
    ),
    "mail.no_sender": Code(
        "fatal",
        "mail.sender",
        NP_("mail.no_sender", "Invoice mail {number}: {detail}"),
        NP_("mail.no_sender", "Set the account's mail sender (mail.sender), then resend the invoice mail."),
    ),
    "mail.document_missing": Code(
        "fatal",
        "mail",
        NP_("mail.document_missing", "Invoice mail {number}: {detail}"),
        NP_("mail.document_missing", "The stored document is gone: create the invoice again."),
    ),
    "mail.document_unreadable": Code(
        "fatal",
        "mail",
        NP_("mail.document_unreadable", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.document_unreadable",
            "Check the e-mail addresses in the document and the account's mail settings, then resend the "
            "invoice mail.",
        ),
    ),
    "mail.prepare_failed": Code(
        "fatal",
        "mail",
        NP_("mail.prepare_failed", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.prepare_failed",
            "Nothing was sent. Resend the invoice mail; if it fails again, contact support with this message.",
        ),
    ),
    "mail.store": Code(
        "fatal",
        "mail",
        NP_("mail.store", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.store",
            "Nothing was sent: the document store could not be read. Resend the invoice mail when it is back.",
        ),
    ),
    # -- the service's own refusals: the HTTP API, the stores, the PDF renderer, the reader -------------
    # (English as the API answers it; problem bodies and the error log give the account's language)
    "account.not_found": Code(
        "fatal",
        "id",
        NP_("account.not_found", "There is no account {ref}."),
        NP_("account.not_found", "Check the account's id or client id (GET /v1/admin/accounts lists them)."),
    ),
    "account.unreadable": Code(
        "fatal",
        "account",
        NP_("account.unreadable", "The seller profile {path} cannot be read: {detail}"),
        NP_("account.unreadable", "Check NORDUBL_ACCOUNT_FILE."),
    ),
    "admin.disabled": Code(
        "fatal",
        None,
        NP_("admin.disabled", "The admin API is disabled: NORDUBL_ADMIN_KEY is not set."),
        NP_(
            "admin.disabled",
            "Set NORDUBL_ADMIN_KEY to a random secret of at least 16 characters and restart.",
        ),
        variants={
            "weak": (
                NP_(
                    "admin.disabled:weak",
                    "The admin API is disabled: NORDUBL_ADMIN_KEY is a placeholder or too short.",
                ),
                None,
            ),
        },
    ),
    # RFC 9110 §11.6.1: 401 with the credentials the route needs
    "auth.unauthorized": Code(
        "fatal",
        None,
        NP_("auth.unauthorized", "This endpoint needs the account's client id and client key."),
        NP_(
            "auth.unauthorized",
            "Send HTTP Basic credentials: the client id as user name, the client key as password.",
        ),
        variants={
            "wrong": (
                NP_(
                    "auth.unauthorized:wrong",
                    "The client id or the client key is wrong (a rotated key no longer works).",
                ),
                None,
            ),
            "admin": (
                NP_("auth.unauthorized:admin", "The admin API needs the admin key."),
                NP_("auth.unauthorized:admin", "Send Authorization: Bearer <NORDUBL_ADMIN_KEY>."),
            ),
        },
    ),
    "batch.busy": Code(
        "fatal",
        "request",
        NP_("batch.busy", "{running} batch jobs are running; the limit (batch_jobs_max) is {limit}."),
        NP_("batch.busy", "Retry in a minute, or raise NORDUBL_BATCH_JOBS_MAX on the server."),
    ),
    "batch.unknown_job": Code(
        "fatal",
        "job_id",
        NP_(
            "batch.unknown_job",
            "The job does not exist or has expired (finished jobs are kept batch_job_ttl_seconds).",
        ),
        NP_("batch.unknown_job", "Send the files again."),
    ),
    "catalogue.duplicate": Code(
        "fatal",
        None,
        NP_("catalogue.duplicate", "{field} '{value}' is given twice (also {other})."),
        NP_("catalogue.duplicate", "Give each one once."),
    ),
    "config.extra_missing": Code(
        "fatal",
        None,
        NP_("config.extra_missing", "{field} asks for {what}, and {module} is not installed."),
        NP_(
            "config.extra_missing",
            "Install it: pip install 'nordubl[{extra}]' (or 'nordubl[all]'), or unset {field}.",
        ),
    ),
    "customer.not_found": Code(
        "fatal",
        "id",
        NP_("customer.not_found", "This account has no customer {customer_id}."),
        NP_(
            "customer.not_found", "Check the customer's id (GET /v1/customers lists the account's customers)."
        ),
    ),
    "document.no_pdf": Code(
        "fatal",
        "id",
        NP_(
            "document.no_pdf",
            "Document {document_id} is an {value}: only invoices and credit notes have a PDF.",
        ),
        NP_("document.no_pdf", "Read the order's XML instead: /v1/documents/{document_id}.xml"),
    ),
    "document.not_approvable": Code(
        "fatal",
        "id",
        NP_(
            "document.not_approvable",
            "Document {document_id} is an {value}: orders are not sent, so there is nothing to approve.",
        ),
        NP_("document.not_approvable", "Approve the order's invoice or credit note instead."),
    ),
    "document.not_found": Code(
        "fatal",
        "id",
        NP_("document.not_found", "This account has no document {document_id}."),
        NP_(
            "document.not_found", "Check the document's id (GET /v1/documents lists the account's documents)."
        ),
    ),
    "errorlog.not_found": Code(
        "fatal",
        "id",
        NP_("errorlog.not_found", "This account has no error log entry {entry_id}."),
        NP_("errorlog.not_found", "Check the entry's id (GET /v1/errors lists the account's entries)."),
    ),
    # RFC 9112: uvicorn's own 400, answered as problem+json (app/ops/http.py)
    "http.malformed": Code(
        "fatal",
        "request",
        NP_(
            "http.malformed",
            "The request line or a header is malformed, or the request line and headers together are "
            "longer than 16 KiB.",
        ),
        NP_(
            "http.malformed",
            "Send a valid HTTP/1.1 request; keep the URL and headers short and put data in the body.",
        ),
    ),
    "idempotency.key_invalid": Code(
        "fatal",
        "Idempotency-Key",
        NP_("idempotency.key_invalid", "The Idempotency-Key must be 1–{max} visible ASCII characters."),
        NP_(
            "idempotency.key_invalid",
            "Send a unique key per operation, e.g. a UUID, of at most 255 visible ASCII characters.",
        ),
    ),
    "idempotency.mismatch": Code(
        "fatal",
        None,
        NP_(
            "idempotency.mismatch",
            "The Idempotency-Key '{key}' was first used for a different body; this request differs at "
            "{field}.",
        ),
        NP_(
            "idempotency.mismatch",
            "Use a new key for a new request; a retry must repeat the first request exactly.",
        ),
        variants={
            "path": (
                NP_(
                    "idempotency.mismatch:path",
                    "The Idempotency-Key '{key}' was first used for {request}; this request differs at "
                    "{field}.",
                ),
                None,
            ),
        },
    ),
    "idempotency.in_flight": Code(
        "fatal",
        "Idempotency-Key",
        NP_(
            "idempotency.in_flight",
            "The first request with Idempotency-Key '{key}' is still being processed.",
        ),
        NP_("idempotency.in_flight", "Retry a little later with the same key to get its answer."),
    ),
    "input.body_timeout": Code(
        "fatal",
        "body",
        NP_(
            "input.body_timeout",
            "The request body did not arrive within {seconds} s (upload_timeout_seconds); {received} bytes "
            "were received.",
        ),
        NP_(
            "input.body_timeout",
            "Send the body at a steady pace, or raise NORDUBL_UPLOAD_TIMEOUT_SECONDS on the server.",
        ),
        variants={
            "idle": (
                NP_(
                    "input.body_timeout:idle",
                    "Nothing of the request body arrived for {seconds} s (upload_idle_timeout_seconds) after "
                    "{received} bytes.",
                ),
                NP_(
                    "input.body_timeout:idle",
                    "Send the whole body without pausing (and the Content-Length it has), or raise "
                    "NORDUBL_UPLOAD_IDLE_TIMEOUT_SECONDS on the server.",
                ),
            ),
        },
    ),
    "input.content_type": Code(
        "fatal",
        "body",
        NP_("input.content_type", "The request's Content-Type is {content_type}."),
        NP_(
            "input.content_type",
            "Send multipart/form-data with the files (field name: files), or one archive as "
            "application/zip, or one document as application/xml.",
        ),
        variants={
            "missing": (
                NP_("input.content_type:missing", "The request's Content-Type is missing."),
                None,
            ),
        },
    ),
    # BG-3: a credit note names the invoice it corrects
    "input.credited_invoice_missing": Code(
        "fatal",
        "credited_invoice.id",
        NP_("input.credited_invoice_missing", "A credit note must name the invoice it corrects (BG-3)."),
        NP_(
            "input.credited_invoice_missing",
            "Give the number of the invoice being credited (--invoice-ref on the command line).",
        ),
    ),
    "input.csv": Code(
        "fatal",
        None,
        NP_("input.csv", "Line {line} has more cells than the header."),
        NP_("input.csv", "Quote cells that contain the separator."),
    ),
    "input.encoding": Code(
        "fatal",
        None,
        NP_("input.encoding", "The file is not UTF-8."),
        NP_("input.encoding", "Save it as UTF-8."),
    ),
    # DK-R-010 / DK-R-011: FIK +71 has 15 digits, +75 16
    "input.fik_payment_id": Code(
        "fatal",
        "payment_id",
        NP_("input.fik_payment_id", "FIK payment id '{value}' is not a +{card} payment id ({width} digits)."),
        NP_(
            "input.fik_payment_id",
            "Give the {width}-digit payment id of the payment slip, or leave payment_id out to have it made "
            "from the invoice number.",
        ),
    ),
    "input.lang": Code(
        "fatal",
        "lang",
        NP_("input.lang", "No PDF language '{value}'."),
        NP_("input.lang", "Use one of: nb, da, sv, en."),
    ),
    "input.logo": Code(
        "fatal",
        "logo",
        NP_("input.logo", "The logo is neither a PNG nor a JPEG."),
        NP_("input.logo", "Use a PNG or JPEG file."),
        variants={
            "size": (
                NP_("input.logo:size", "The logo is {size} bytes; the limit is {limit}."),
                NP_("input.logo:size", "Use a smaller PNG or JPEG (a few hundred kB is plenty)."),
            ),
            "unreadable": (
                NP_("input.logo:unreadable", "The logo cannot be read: {detail}"),
                NP_("input.logo:unreadable", "Use a PNG or JPEG file that an image program opens."),
            ),
            "pixels": (
                NP_("input.logo:pixels", "The logo is {width}×{height} pixels."),
                NP_("input.logo:pixels", "Use a logo of at most 4096×4096 pixels."),
            ),
        },
    ),
    # RFC 7578
    "input.multipart": Code(
        "fatal",
        "body",
        NP_("input.multipart", "The multipart body cannot be read: {detail}"),
        NP_("input.multipart", "Send the files as a form upload."),
    ),
    "input.no_documents": Code(
        "fatal",
        "files",
        NP_(
            "input.no_documents",
            "The upload holds no file to validate (archives are searched for *.xml entries).",
        ),
        NP_("input.no_documents", "Choose one or more UBL XML files, or a zip archive of them."),
    ),
    # OIOUBL F-LIB315: one subtotal per tax category
    "input.oioubl_vat_rates": Code(
        "fatal",
        None,
        NP_(
            "input.oioubl_vat_rates",
            "OIOUBL carries one standard VAT rate per invoice (F-LIB315); the form has {value}.",
        ),
        NP_(
            "input.oioubl_vat_rates", "Split the order into one invoice per VAT rate, or use profile peppol."
        ),
    ),
    "input.out_of_range": Code(
        "fatal",
        None,
        NP_(
            "input.out_of_range",
            "A number in the path or the query is larger than any identifier, count or offset can be.",
        ),
        NP_(
            "input.out_of_range",
            "Send a number below 2^63 (identifiers, limits and offsets are 64-bit integers).",
        ),
    ),
    "input.profile": Code(
        "fatal",
        "profile",
        NP_("input.profile", "No invoice profile '{value}'."),
        NP_("input.profile", "Use one of: {profiles}."),
        variants={
            "order": (
                NP_("input.profile:order", "No order profile '{value}'."),
                None,
            ),
            "creditnote": (
                NP_("input.profile:creditnote", "No credit note profile '{value}'."),
                None,
            ),
            # EHF-T01-B06901 / B03301: an EHF order's parties are identified by Norwegian org. numbers
            "ehf_order": (
                NP_(
                    "input.profile:ehf_order",
                    "An EHF order identifies the seller by a Norwegian organisation number (scheme 0192); "
                    "this account's seller is in {country}.",
                ),
                NP_(
                    "input.profile:ehf_order",
                    "Use profile peppol (Peppol BIS Order only) for a seller outside Norway, or leave the "
                    "profile out to have it chosen.",
                ),
            ),
        },
    ),
    # OIOUBL: the buyer is addressed by EAN (GLN, scheme 0088) or CVR
    "input.ean_missing": Code(
        "fatal",
        "customer.ean",
        NP_(
            "input.ean_missing",
            "An OIOUBL document is addressed to the customer's EAN (GLN) location number or CVR number; the "
            "form has neither.",
        ),
        NP_(
            "input.ean_missing",
            "Fill in the customer's 13-digit EAN number (or the Danish CVR number), or choose another profile.",
        ),
    ),
    # a failure inside the service (500, app/ops/middleware.py): nothing the caller can fix but retry
    "internal.error": Code(
        "fatal",
        None,
        NP_("internal.error", "The service failed to answer this request."),
        NP_("internal.error", "Retry later; if it persists, report the request id."),
    ),
    # GET /readyz (app/ops/routes.py): each failed check, its own words as {detail}
    "ready.database": Code(
        "fatal",
        None,
        NP_("ready.database", "The database does not answer: {detail}"),
        NP_(
            "ready.database",
            "Check NORDUBL_DATABASE_URL and that the database server is up; /readyz retries.",
        ),
    ),
    "ready.blob_store": Code(
        "fatal",
        None,
        NP_("ready.blob_store", "The document store takes no write: {detail}"),
        NP_(
            "ready.blob_store",
            "Check the NORDUBL_BLOB_* settings, the bucket or folder and its permissions; /readyz retries.",
        ),
    ),
    "ready.rulesets": Code(
        "fatal",
        None,
        NP_("ready.rulesets", "The official rule sets are not ready: {detail}"),
        NP_(
            "ready.rulesets",
            "Wait for the rule sets to compile; if it persists, run nordubl standards install and check the "
            "log.",
        ),
    ),
    "invoice_numbers.reuse": Code(
        "fatal",
        "invoice_numbers.next",
        NP_(
            "invoice_numbers.reuse",
            "The series has already given numbers below {next}; next = {value} would give one of them again.",
        ),
        NP_("invoice_numbers.reuse", "Choose {next} or higher."),
    ),
    "mail.in_progress": Code(
        "fatal",
        "id",
        NP_(
            "mail.in_progress",
            "The invoice mail of document {document_id} is {state}: it cannot be resent now.",
        ),
        NP_(
            "mail.in_progress",
            "Wait until it is sent, failed or unknown (GET /v1/documents/{document_id}/mail).",
        ),
        variants={
            "raced": (
                NP_("mail.in_progress:raced", "Another resend of this mail came first."),
                NP_(
                    "mail.in_progress:raced",
                    "Read the mail's state (GET /v1/documents/{document_id}/mail) before resending it.",
                ),
            ),
        },
    ),
    "mail.not_found": Code(
        "fatal",
        "id",
        NP_("mail.not_found", "This account has no document {document_id} with an invoice mail."),
        NP_("mail.not_found", "Only final invoices and credit notes are mailed; approve a draft first."),
    ),
    "mode.trial_running": Code(
        "fatal",
        "mode",
        NP_(
            "mode.trial_running",
            "The account has been in draft mode for {value} of {trial_days} days; automatic mode can be "
            "switched on from {automatic_from}.",
        ),
        NP_("mode.trial_running", "Keep checking and approving the drafts until the trial period is over."),
    ),
    "mode.unresolved_errors": Code(
        "fatal",
        "mode",
        NP_("mode.unresolved_errors", "{value} unresolved error(s) were seen in the last {days} days."),
        NP_(
            "mode.unresolved_errors",
            "Fix them (GET /v1/errors) and send the orders again, or mark them resolved.",
        ),
    ),
    "order.conflict": Code(
        "fatal",
        None,
        NP_("order.conflict", "Order {order_id} was processed before; this one differs at {field}."),
        NP_(
            "order.conflict",
            "A processed order is never changed: cancel it (a credit note) and send the corrected order "
            "under a new order id.",
        ),
    ),
    "order.not_found": Code(
        "fatal",
        "order_id",
        NP_("order.not_found", "This account has no order {order_id}."),
        NP_("order.not_found", "Send the order first (POST /v1/shop-orders)."),
    ),
    "order.not_invoiced": Code(
        "fatal",
        "order_id",
        NP_("order.not_invoiced", "Order {order_id} has not been invoiced, so there is nothing to credit."),
        NP_("order.not_invoiced", "Credit notes correct an invoice of the order; cancel the order instead."),
    ),
    "order.refused": Code(
        "fatal",
        None,
        NP_("order.refused", "The order was refused: {detail}"),
        NP_("order.refused", "Correct the order, then send it again."),
    ),
    "pdf.failed": Code(
        "fatal",
        None,
        NP_("pdf.failed", "The renderer failed: {detail}"),
        NP_("pdf.failed", "Try again later; if the PDF still fails, tell the operator of the service."),
        variants={
            "start_timeout": (
                NP_("pdf.failed:start_timeout", "The PDF worker did not start within {seconds} s."),
                None,
            ),
            "start": (
                NP_("pdf.failed:start", "The PDF worker could not start: {detail}"),
                None,
            ),
            "shut_down": (
                NP_("pdf.failed:shut_down", "The PDF renderer has been shut down."),
                NP_("pdf.failed:shut_down", "Try again in a moment: the server is restarting."),
            ),
            "died": (
                NP_("pdf.failed:died", "The PDF worker died (exit code {exit_code})."),
                None,
            ),
        },
    ),
    "pdf.timeout": Code(
        "fatal",
        None,
        NP_("pdf.timeout", "Rendering took longer than {seconds} s and was stopped."),
        NP_("pdf.timeout", "Send fewer lines or shorter texts, or raise NORDUBL_PDF_TIMEOUT_SECONDS."),
    ),
    "pdf.too_large": Code(
        "fatal",
        None,
        NP_("pdf.too_large", "Rendering needed more than the renderer's memory cap of {mb} MB."),
        NP_("pdf.too_large", "Send fewer lines or shorter texts, or raise NORDUBL_PDF_MEMORY_MB."),
        variants={
            "signal": (
                NP_(
                    "pdf.too_large:signal",
                    "Rendering needed more than the renderer's memory cap of {mb} MB (the worker died of "
                    "{signal}).",
                ),
                None,
            ),
            # refused before rendering: the render time grows with the lines (docs/performance.md, "PDF")
            "lines": (
                NP_(
                    "pdf.too_large:lines",
                    "The document has {lines} lines; a PDF is rendered for at most {limit} (pdf_max_lines).",
                ),
                NP_(
                    "pdf.too_large:lines",
                    "Use the XML itself for documents this long, split the invoice, or raise "
                    "NORDUBL_PDF_MAX_LINES together with NORDUBL_PDF_TIMEOUT_SECONDS on the server.",
                ),
            ),
        },
    ),
    "processing.trial_floor": Code(
        "fatal",
        "trial_days",
        NP_(
            "processing.trial_floor",
            "trial_days {value} is below the trial period of {floor} days in draft mode that automatic mode "
            "waits for (source 003: {default} days, unless the operator set fewer).",
        ),
        NP_(
            "processing.trial_floor",
            "Send trial_days {floor} or more; the operator of the service can shorten the trial.",
        ),
    ),
    # RFC 6585 §4: 429 with Retry-After
    "rate.limited": Code(
        "fatal",
        "request",
        NP_(
            "rate.limited",
            "This address has used its {burst} requests to {routes} (together); one more is allowed every "
            "{per} s (the limits are rate_limit_burst and rate_limit_per_minute).",
        ),
        NP_(
            "rate.limited",
            "Retry after {retry} s; validate large numbers of files locally with `nordubl validate`, or raise "
            "NORDUBL_RATE_LIMIT_BURST / NORDUBL_RATE_LIMIT_PER_MINUTE on the server.",
        ),
    ),
    "reader.missing": Code(
        "fatal",
        None,
        NP_("reader.missing", "The document has no amount due (BT-115)."),
        NP_("reader.missing", "Send a complete UBL invoice or credit note, as the validation accepts it."),
        variants={
            "id": (
                NP_("reader.missing:id", "The document has no invoice number (BT-1) (cbc:ID)."),
                None,
            ),
            "currency": (
                NP_(
                    "reader.missing:currency",
                    "The document has no currency (BT-5) (cbc:DocumentCurrencyCode).",
                ),
                None,
            ),
            "issue_date": (
                NP_("reader.missing:issue_date", "The document has no issue date (BT-2, cbc:IssueDate)."),
                None,
            ),
            "parties": (
                NP_("reader.missing:parties", "The document names no seller (BG-4) or no buyer (BG-7)."),
                None,
            ),
        },
    ),
    "reader.number": Code(
        "fatal",
        None,
        NP_("reader.number", "{element} is not a number."),
        NP_("reader.number", "Write amounts and quantities as numbers with a decimal point, e.g. 1234.50."),
    ),
    "reader.date": Code(
        "fatal",
        None,
        NP_("reader.date", "{element} is not a date."),
        NP_("reader.date", "Write dates as YYYY-MM-DD."),
    ),
    "reader.unsupported": Code(
        "fatal",
        None,
        NP_(
            "reader.unsupported",
            "A {element} cannot be read as an invoice: only UBL Invoice and CreditNote documents.",
        ),
        NP_("reader.unsupported", "Send a UBL Invoice or CreditNote document."),
    ),
    "store.blob_corrupt": Code(
        "fatal",
        "id",
        NP_(
            "store.blob_corrupt",
            "Document {document_id}: the stored XML no longer hashes to {sha256} (it hashes to {actual}); it "
            "was changed after it was written.",
        ),
        NP_(
            "store.blob_corrupt",
            "Restore the blob from a backup; the document's hash in the database is the reference.",
        ),
    ),
    "store.blob_missing": Code(
        "fatal",
        "id",
        NP_("store.blob_missing", "Document {document_id}: blob {sha256} is not in the blob store."),
        NP_(
            "store.blob_missing",
            "Check the blob store setting (folder or bucket) or restore the blob from a backup.",
        ),
    ),
    "store.unavailable": Code(
        "fatal",
        None,
        NP_("store.unavailable", "The document store cannot be written: {detail}"),
        NP_("store.unavailable", "Nothing was stored: send the request again when the blob store is back."),
        variants={
            "read": (
                NP_("store.unavailable:read", "The document store cannot be read: {detail}"),
                NP_("store.unavailable:read", "Try again when the blob store is back."),
            ),
        },
    ),
    "upload.busy": Code(
        "fatal",
        "body",
        NP_(
            "upload.busy",
            "{limit} uploads are being received by this server process; the limit (upload_max_concurrent) "
            "is {limit}.",
        ),
        NP_(
            "upload.busy",
            "Send the upload again after {retry} s, or raise NORDUBL_UPLOAD_MAX_CONCURRENT on the server.",
        ),
    ),
    # -- the validator's own codes: documents refused before any rule ran (app/validation/xmlsafe.py) --
    "xml.too_large": Code(
        "fatal",
        None,
        NP_("xml.too_large", "The document is {size} bytes; the limit (max_xml_bytes) is {limit}."),
        NP_("xml.too_large", "Split the document or raise NORDUBL_MAX_XML_BYTES."),
    ),
    "xml.empty": Code(
        "fatal",
        None,
        NP_("xml.empty", "The file is empty."),
        NP_("xml.empty", "Send a UBL XML document."),
    ),
    # XXE and entity expansion: a DOCTYPE is refused before parsing
    "xml.doctype_forbidden": Code(
        "fatal",
        None,
        NP_("xml.doctype_forbidden", "The document has a DOCTYPE declaration; UBL documents never need one."),
        NP_("xml.doctype_forbidden", "Remove the <!DOCTYPE …> declaration (and any entity declarations)."),
    ),
    # {detail}: libxml2's words
    "xml.malformed": Code(
        "fatal",
        None,
        NP_("xml.malformed", "The file is not well-formed XML: {detail}"),
        NP_("xml.malformed", "Fix the XML syntax."),
        variants={
            "unparsable": (
                NP_("xml.malformed:unparsable", "The file could not be parsed: {detail}"),
                NP_("xml.malformed:unparsable", "Send the raw bytes."),
            ),
        },
    ),
    "xml.encoding": Code(
        "fatal",
        None,
        NP_("xml.encoding", "The file is not well-formed XML: {detail}"),
        NP_("xml.encoding", "Fix the XML syntax."),
    ),
    "xml.not_ubl": Code(
        "fatal",
        None,
        NP_("xml.not_ubl", "The root element {element} is not a UBL document."),
        NP_(
            "xml.not_ubl",
            "Send a UBL 2.1 Invoice, CreditNote, Order or OrderResponse (root in the UBL namespace).",
        ),
        variants={
            # an SBDH envelope (app/validation/sbdh.py) holds exactly one UBL document
            "envelope_empty": (
                NP_(
                    "xml.not_ubl:envelope_empty",
                    "The StandardBusinessDocument (SBDH envelope) holds no UBL document; it must hold exactly "
                    "one.",
                ),
                NP_(
                    "xml.not_ubl:envelope_empty",
                    "Put one UBL document (Invoice, CreditNote, Order …) after the header.",
                ),
            ),
            "envelope_many": (
                NP_(
                    "xml.not_ubl:envelope_many",
                    "The StandardBusinessDocument (SBDH envelope) holds {count} UBL documents; it must hold "
                    "exactly one.",
                ),
                NP_(
                    "xml.not_ubl:envelope_many",
                    "Put one UBL document (Invoice, CreditNote, Order …) after the header.",
                ),
            ),
        },
    ),
    # libxml2's limits without XML_PARSE_HUGE (parserInternals.h)
    "xml.too_deep": Code(
        "fatal",
        None,
        NP_(
            "xml.too_deep",
            "The elements are nested more than {limit} levels deep (the parser's limit); a UBL document nests "
            "about 10 levels.",
        ),
        NP_(
            "xml.too_deep",
            "Check that every element is closed where it should be: an unclosed start tag repeated in a loop "
            "nests each element inside the previous one.",
        ),
    ),
    "xml.text_too_long": Code(
        "fatal",
        None,
        NP_(
            "xml.text_too_long",
            "A text or attribute value is longer than {limit} characters (the parser's limit for one value).",
        ),
        NP_(
            "xml.text_too_long",
            "Shorten the value: an attachment belongs in cbc:EmbeddedDocumentBinaryObject, base64-encoded, and "
            "should stay well below this size; or link it with cbc:URI.",
        ),
    ),
    "xml.name_too_long": Code(
        "fatal",
        None,
        NP_(
            "xml.name_too_long",
            "An element or attribute name is longer than {limit} characters (the parser's limit).",
        ),
        NP_(
            "xml.name_too_long",
            "Use the UBL element names (cbc:…, cac:…): none is longer than a few dozen characters.",
        ),
    ),
    # jdk.xml.elementAttributeLimit
    "xml.too_many_attributes": Code(
        "fatal",
        None,
        NP_(
            "xml.too_many_attributes",
            "The element {element} has {count} attributes; an XML parser accepts at most {limit} on one "
            "element (jdk.xml.elementAttributeLimit).",
        ),
        NP_("xml.too_many_attributes", "Remove the extra attributes: a UBL element has at most a few."),
    ),
    # -- the API's validation budget (app/validation/budget.py) --
    "validation.too_large": Code(
        "fatal",
        "body",
        NP_(
            "validation.too_large",
            "The document is {size} bytes; this service validates at most {limit} bytes per document "
            "(validation_budget_bytes).",
        ),
        NP_(
            "validation.too_large",
            "Split the document into smaller ones, or validate it without a budget on your own machine: "
            "`nordubl validate FILE`.",
        ),
    ),
    "validation.too_many_elements": Code(
        "fatal",
        "body",
        NP_(
            "validation.too_many_elements",
            "The document has {count} elements; this service validates at most {limit} per document "
            "(validation_budget_elements), which keeps the official rules within a few seconds.",
        ),
        NP_(
            "validation.too_many_elements",
            "Split the document into smaller ones (an invoice of 10,000 lines has about 230,000 elements), or "
            "validate it without a budget on your own machine: `nordubl validate FILE`.",
        ),
    ),
    "validation.over_budget": Code(
        "fatal",
        "body",
        NP_(
            "validation.over_budget",
            "Validating the document took {spent} s before the stage {stage}; this service spends at most "
            "{seconds} s on one document (validation_budget_seconds).",
        ),
        NP_(
            "validation.over_budget",
            "Split the document into smaller ones, or validate it without a budget on your own machine: "
            "`nordubl validate FILE`.",
        ),
    ),
    # -- the validation engine itself (app/validation/engine.py, pool.py, jvm.py; app/batch/) --
    # {detail}: the exception's words (Saxon's, lxml's, the missing file)
    "engine.not_run": Code(
        "fatal",
        None,
        NP_("engine.not_run", "The rule stage {stage} did not run: {detail}"),
        NP_(
            "engine.not_run",
            "Run nordubl standards install (an official artifact may be missing or damaged); if the stage "
            "still does not run, report the document to the maintainers.",
        ),
        variants={
            "xsd": (NP_("engine.not_run:xsd", "The XSD stage did not run: {detail}"), None),
        },
    ),
    # one file of a batch (app/batch/result.py): the batch goes on without it
    "engine.crashed": Code(
        "fatal",
        None,
        NP_("engine.crashed", "The validation engine failed: {detail}"),
        NP_(
            "engine.crashed",
            "Validate this file on its own; if it crashes again, report the file to the maintainers.",
        ),
        variants={
            "worker_died": (
                NP_(
                    "engine.crashed:worker_died",
                    "The worker process died while validating this file ({reason}).",
                ),
                None,
            ),
            # the engine's own refusal of this file, its messages as {detail}
            "refused": (NP_("engine.crashed:refused", "{detail}"), None),
            # the validation pool (app/validation/pool.py, 503): a retry goes to a fresh worker
            "pool": (
                NP_(
                    "engine.crashed:pool",
                    "The validation worker stopped while handling this request ({detail}); it has been "
                    "replaced and nothing was produced.",
                ),
                NP_(
                    "engine.crashed:pool",
                    "Retry the request (with the same Idempotency-Key where the endpoint takes one).",
                ),
            ),
        },
    ),
    "engine.jvm_unavailable": Code(
        "fatal",
        "validation_engine",
        NP_(
            "engine.jvm_unavailable",
            "The jvm validation engine (setting validation_engine) cannot start: {detail}",
        ),
        NP_(
            "engine.jvm_unavailable",
            "Install a Java 17 runtime (Debian: apt-get install openjdk-17-jre-headless; "
            "scripts/install-system.sh ci does it) and the jvm extra (pip install 'nordubl[jvm]': JPype1, "
            "saxonhe4py), or validate with the saxonche engine (NORDUBL_VALIDATION_ENGINE=saxonche, --engine "
            "saxonche).",
        ),
    ),
    "engine.failed": Code(
        "fatal",
        None,
        NP_(
            "engine.failed",
            "The validation engine failed on this document ({detail}); nothing was produced and the service "
            "goes on.",
        ),
        NP_(
            "engine.failed",
            "Retry the request; if it fails again, the document needs more than the engine's heap "
            "(NORDUBL_JVM_HEAP_MB) or stack (NORDUBL_JVM_THREAD_STACK_KB).",
        ),
    ),
    # -- the SBDH envelope (app/validation/sbdh.py; Peppol Business Message Envelope 2.0) --
    "sbdh.missing": Code(
        "error",
        None,
        NP_("sbdh.missing", "The SBDH header has no {path}."),
        NP_(
            "sbdh.missing",
            "Correct the StandardBusinessDocumentHeader, or send the UBL document without the envelope.",
        ),
        variants={
            "header": (NP_("sbdh.missing:header", "The StandardBusinessDocumentHeader is missing."), None),
            "scope": (
                NP_("sbdh.missing:scope", "The SBDH header has no BusinessScope/Scope of Type {scope}."),
                None,
            ),
        },
    ),
    "sbdh.mismatch": Code(
        "error",
        None,
        NP_(
            "sbdh.mismatch",
            "DocumentIdentification/Standard is '{found}', but the payload is in {namespace}.",
        ),
        NP_(
            "sbdh.mismatch",
            "Correct the StandardBusinessDocumentHeader, or send the UBL document without the envelope.",
        ),
        variants={
            "type": (
                NP_(
                    "sbdh.mismatch:type",
                    "DocumentIdentification/Type is '{found}', but the payload is a {element}.",
                ),
                None,
            ),
            # Peppol Policy for use of identifiers §5: <root namespace>::<root name>##<CustomizationID>::<version>
            "documentid": (
                NP_(
                    "sbdh.mismatch:documentid",
                    "The DOCUMENTID scope names '{found}', but the payload is {namespace}::{element}.",
                ),
                None,
            ),
            "customization": (
                NP_(
                    "sbdh.mismatch:customization",
                    "The DOCUMENTID scope names the CustomizationID '{found}', but the payload's is "
                    "'{customization}'.",
                ),
                None,
            ),
            "processid": (
                NP_(
                    "sbdh.mismatch:processid",
                    "The PROCESSID scope is '{found}', but the payload's ProfileID is '{profile}'.",
                ),
                None,
            ),
        },
    ),
    "sbdh.unwrapped": Code(
        "warning",
        None,
        NP_(
            "sbdh.unwrapped",
            "The file is an SBDH envelope: its {element} payload (line {line}) was validated, and the header "
            "checked.",
        ),
        NP_("sbdh.unwrapped", "Nothing to fix: a note that the envelope was taken off."),
        variants={
            "no_line": (
                NP_(
                    "sbdh.unwrapped:no_line",
                    "The file is an SBDH envelope: its {element} payload (after the header) was validated, "
                    "and the header checked.",
                ),
                None,
            ),
        },
    ),
    "web.not_found": Code(
        "fatal",
        "name",
        NP_("web.not_found", "There is no asset named {asset}."),
        NP_("web.not_found", "Load the page itself (GET /); its assets are named there."),
    ),
    # the request body (app/api/deps.py, field body) and one file of a batch (app/batch/loader.py)
    "input.too_large": Code(
        "fatal",
        None,
        NP_(
            "input.too_large", "The {what} is at least {size} bytes; the limit ({setting}) is {limit} bytes."
        ),
        NP_("input.too_large", "Send a smaller {what}, or raise NORDUBL_{setting_env} on the server."),
        variants={
            "file": (
                NP_(
                    "input.too_large:file", "The file is {size} bytes; the limit (max_xml_bytes) is {limit}."
                ),
                NP_("input.too_large:file", "Split the document, or raise NORDUBL_MAX_XML_BYTES."),
            ),
            "file_more": (
                NP_(
                    "input.too_large:file_more",
                    "The file is more than {size} bytes; the limit (max_xml_bytes) is {limit}.",
                ),
                NP_("input.too_large:file_more", "Split the document, or raise NORDUBL_MAX_XML_BYTES."),
            ),
            "entry": (
                NP_(
                    "input.too_large:entry",
                    "The entry declares {size} bytes; the limit (max_xml_bytes) is {limit}.",
                ),
                NP_("input.too_large:entry", "Split the document, or raise NORDUBL_MAX_XML_BYTES."),
            ),
        },
    ),
    # -- the batch loader's refusals (app/batch/loader.py): one path, file or archive entry each --
    "input.unreadable": Code(
        "fatal",
        None,
        NP_("input.unreadable", "The input cannot be read: {detail}."),
        NP_("input.unreadable", "Check the path and its permissions."),
        variants={
            "zip": (
                NP_(
                    "input.unreadable:zip", "The input cannot be read: not a readable zip archive ({detail})."
                ),
                None,
            ),
        },
    ),
    "input.too_many_files": Code(
        "fatal",
        None,
        NP_(
            "input.too_many_files",
            "More than {limit} files were given; the limit (batch_max_files) is {limit}. This file and every "
            "one after it were not validated.",
        ),
        NP_("input.too_many_files", "Validate in smaller batches, or raise NORDUBL_BATCH_MAX_FILES."),
        variants={
            # POST /v1/validate/batch (app/api/routes/batch.py)
            "http": (
                NP_(
                    "input.too_many_files:http",
                    "The batch holds at least {count} documents; the limit (batch_http_max_files) is {limit}.",
                ),
                NP_(
                    "input.too_many_files:http",
                    "Validate in smaller batches, or raise NORDUBL_BATCH_HTTP_MAX_FILES on the server.",
                ),
            ),
        },
    ),
    # APPNOTE.TXT 4.4.17: an entry name is a relative path
    "input.zip_absolute": Code(
        "fatal",
        None,
        NP_("input.zip_absolute", "The entry name '{entry_name}' is an absolute path."),
        NP_("input.zip_absolute", "Archive entries must be relative paths inside it."),
    ),
    "input.zip_traversal": Code(
        "fatal",
        None,
        NP_("input.zip_traversal", "The entry name '{entry_name}' climbs out of the archive ('..')."),
        NP_("input.zip_traversal", "Archive entries must be relative paths inside it."),
    ),
    "input.zip_symlink": Code(
        "fatal",
        None,
        NP_("input.zip_symlink", "The entry is a symbolic link."),
        NP_("input.zip_symlink", "Put the file itself in the archive."),
    ),
    "input.zip_overlap": Code(
        "fatal",
        None,
        NP_(
            "input.zip_overlap",
            "The entry's data overlaps another entry or the central directory (a zip bomb technique).",
        ),
        NP_("input.zip_overlap", "Re-create the archive with a standard zip tool."),
    ),
    # APPNOTE.TXT 4.4.4 bit 0
    "input.zip_encrypted": Code(
        "fatal",
        None,
        NP_("input.zip_encrypted", "The entry is encrypted."),
        NP_("input.zip_encrypted", "Send the archive unencrypted."),
    ),
    "input.zip_nested": Code(
        "fatal",
        None,
        NP_("input.zip_nested", "The entry is itself a zip archive; nested archives are not opened."),
        NP_("input.zip_nested", "Put the XML files directly in one archive."),
    ),
    # {detail}: zlib's or zipfile's words
    "input.zip_corrupt": Code(
        "fatal",
        None,
        NP_("input.zip_corrupt", "The entry cannot be decompressed: {detail}."),
        NP_(
            "input.zip_corrupt",
            "Re-create the archive with a standard zip tool (deflate or stored, no encryption).",
        ),
        variants={
            "header": (
                NP_(
                    "input.zip_corrupt:header",
                    "The entry has no valid local header at the offset the central directory gives.",
                ),
                NP_("input.zip_corrupt:header", "Re-create the archive."),
            ),
        },
    ),
    "input.zip_too_many_entries": Code(
        "fatal",
        None,
        NP_(
            "input.zip_too_many_entries",
            "The archive has {count} entries (or a central directory too large for the limit); the limit "
            "(zip_max_entries) is {limit}.",
        ),
        NP_("input.zip_too_many_entries", "Split the archive, or raise NORDUBL_ZIP_MAX_ENTRIES."),
    ),
    "input.zip_bomb": Code(
        "fatal",
        None,
        NP_(
            "input.zip_bomb",
            "The entry declares {size} bytes from {compressed} compressed (ratio {ratio}:1); the limit "
            "(zip_max_ratio) is {limit}:1.",
        ),
        NP_("input.zip_bomb", "Raise NORDUBL_ZIP_MAX_RATIO only for archives you trust."),
        variants={
            "inflates": (
                NP_(
                    "input.zip_bomb:inflates",
                    "The entry inflates to more than {size} bytes from {compressed} compressed (ratio "
                    "{ratio}:1); the limit (zip_max_ratio) is {limit}:1.",
                ),
                None,
            ),
            "past_declared": (
                NP_(
                    "input.zip_bomb:past_declared",
                    "The entry inflates past its declared size of {size} bytes.",
                ),
                NP_("input.zip_bomb:past_declared", "Re-create the archive with a standard zip tool."),
            ),
            "total": (
                NP_(
                    "input.zip_bomb:total",
                    "The archive decompresses to more than {limit} bytes in total; the limit is "
                    "zip_max_uncompressed_bytes.",
                ),
                NP_(
                    "input.zip_bomb:total",
                    "Split the archive, or raise NORDUBL_ZIP_MAX_UNCOMPRESSED_BYTES for archives you trust.",
                ),
            ),
            "archive_ratio": (
                NP_(
                    "input.zip_bomb:archive_ratio",
                    "The archive as a whole decompresses to more than {limit} times its {size} bytes; the "
                    "limit (zip_max_ratio) is {limit}:1.",
                ),
                NP_(
                    "input.zip_bomb:archive_ratio",
                    "Split the archive, or raise NORDUBL_ZIP_MAX_RATIO for archives you trust.",
                ),
            ),
        },
    ),
    "webhook.url": Code(
        "fatal",
        "url",
        NP_("webhook.url", "'{value}' is not an absolute http(s) URL."),
        NP_("webhook.url", "Give an absolute http:// or https:// URL of the receiving endpoint."),
        variants={
            "credentials": (
                NP_(
                    "webhook.url:credentials",
                    "The URL must not carry credentials; the signature authenticates the calls.",
                ),
                NP_(
                    "webhook.url:credentials",
                    "Give an absolute http:// or https:// URL of the receiving endpoint, without a user or "
                    "password.",
                ),
            ),
        },
    ),
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
