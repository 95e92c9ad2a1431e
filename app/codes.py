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
from decimal import Decimal, InvalidOperation

from app.errors import Issue, Severity
from app.i18n import NP_, format_money, language_of, translator


@dataclass(frozen=True, slots=True)
class Code:
    severity: Severity
    #: the form field the code names when the caller names none (None: the caller always names one)
    field: str | None
    message: str
    hint: str
    #: an account may make it a warning instead of an error (``ProcessingSettings.findings``)
    configurable: bool = False


#: fees[].kind in words (msgctxt "fee")
FEE_NAMES: dict[str, str] = {
    "freight": NP_("fee", "freight"),
    "payment": NP_("fee", "payment fee"),
    "card": NP_("fee", "card fee"),
    "other": NP_("fee", "fee"),
}

CODES: dict[str, Code] = {
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
            "Customers of this kind are identified by {field}, and the order has none.",
        ),
        NP_(
            "customer.identifier_missing",
            "Make {field} required in the shop, or change how customers are identified; then send the order "
            "again.",
        ),
    ),
    # source 000: "Kundnummer saknas"
    "customer.number_missing": Code(
        "fatal",
        "customer.customer_number",
        NP_(
            "customer.number_missing",
            "Customer number missing: no setting yields a customer number for this customer.",
        ),
        NP_(
            "customer.number_missing",
            "Configure a customer number series (customers.number_series) or choose another number "
            "strategy; then send the order again.",
        ),
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
    # the form's own checks (app/forms/loader.py, app/document/): the form field is named
    "input.missing": Code(
        "fatal",
        None,
        NP_("input.missing", "{field} is missing."),
        NP_("input.missing", "Fill in {field}, then send the order again."),
    ),
    "input.invalid": Code(
        "fatal",
        None,
        NP_("input.invalid", "{field} has a value that cannot be used."),
        NP_("input.invalid", "Correct {field}, then send the order again."),
    ),
    "input.unknown_field": Code(
        "fatal",
        None,
        NP_("input.unknown_field", "The order has a field {field} that the form does not know."),
        NP_("input.unknown_field", "Remove {field} (check the spelling), then send the order again."),
    ),
    "input.identifier": Code(
        "fatal",
        None,
        NP_("input.identifier", "{field} is not a valid number: its length or check digit is wrong."),
        NP_("input.identifier", "Correct the number, or leave the field empty; then send the order again."),
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
        NP_("input.control_character", "{field} contains a control character that no document can carry."),
        NP_("input.control_character", "Remove the character from {field}, then send the order again."),
    ),
    "input.unstorable_character": Code(
        "fatal",
        None,
        NP_(
            "input.unstorable_character",
            "{field} contains a character that cannot be stored (shown as ␀ or �).",
        ),
        NP_("input.unstorable_character", "Remove the character from {field}, then send the order again."),
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
    ),
    "input.vat_rate": Code(
        "fatal",
        None,
        NP_("input.vat_rate", "{field} is not a VAT rate of the seller's country."),
        NP_("input.vat_rate", "Correct the VAT rate in the shop, then send the order again."),
    ),
    "input.kid": Code(
        "fatal",
        None,
        NP_("input.kid", "{field} is not a valid KID: a KID has 2–25 digits and a check digit."),
        NP_("input.kid", "Correct the payment reference, or leave it empty; then send the order again."),
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


def text(
    code: str, language: str | None, params: dict[str, str], field: str | None = None
) -> tuple[str, str]:
    """Message and hint of ``code`` in ``language``; KeyError for a code outside the catalogue or a
    parameter its text needs."""
    lang = language_of(language)
    entry = CODES[code]
    filled = values(lang, params, field or entry.field)
    t = translator(lang)
    message = fill(t.pgettext(code, entry.message), filled)
    hint = fill(t.pgettext(code, entry.hint), filled)
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
) -> Issue:
    """The :class:`Issue` of ``code`` in English (the error log translates it), naming ``field`` (else the
    catalogue's)."""
    entry = CODES[code]
    where = field or entry.field
    filled = {"value": value} if value is not None else {}
    message, hint = text(code, "en", {**filled, **(params or {})}, where)
    return Issue(code, severity or entry.severity, message, field=where, hint=hint, value=value)
