"""The error log's messages, keyed by code (source 003: the shop owner gets a message they can usually act on
themselves), in English msgids translated by the gettext catalogues (:mod:`app.i18n`, ``msgctxt`` = code).

Each entry is ``(message, hint)`` with ``{placeholders}`` filled from the finding's parameters; the
preflight writes its findings' English from the same entries (:func:`text`), so each text is written once.
An amount is shown as ``{money}``, formatted for the language from the ``amount`` and ``currency``
parameters (``12,50 DKK``). An official rule id (``BR-CO-15``, ``F-INV046``) keeps the rule's published
text with a hint in the account's language; a code of ours outside the catalogue gets a general message in
the account's language.
"""

from __future__ import annotations

import string
from decimal import Decimal, InvalidOperation

from app.i18n import LANGUAGES, NP_, SOURCE, Lang, format_money, language_of, translator

__all__ = ["FEE_NAMES", "LANGUAGES", "MESSAGES", "language_of", "localize", "text"]

#: fees[].kind in words (msgctxt "fee")
FEE_NAMES: dict[str, str] = {
    "freight": NP_("fee", "freight"),
    "payment": NP_("fee", "payment fee"),
    "card": NP_("fee", "card fee"),
    "other": NP_("fee", "fee"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # source 003: "products that do not exist in the ERP"
    "product.unknown": (
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
    ),
    # source 003: "deactivated products bought via search engines"
    "product.inactive": (
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
    ),
    "product.vat_mismatch": (
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
    ),
    # source 003: fees "not defined as products … the fee goes missing"
    "fee.unmapped": (
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
    ),
    # source 003: "payment-term ids changed in the shop so the mapping no longer matches"
    "payment_terms.unmapped": (
        NP_(
            "payment_terms.unmapped",
            "The shop's payment terms id '{term_id}' is not mapped (known ids: {known}); the shop may have "
            "renumbered its payment terms.",
        ),
        NP_(
            "payment_terms.unmapped",
            "Map '{term_id}' to a number of days (PUT /v1/account/payment-terms), then send the order again.",
        ),
    ),
    # source 004: "process orders registered from"
    "order.before_process_from": (
        NP_(
            "order.before_process_from",
            "The order was registered on {order_date}, before {process_from} (process orders registered "
            "from): it is skipped.",
        ),
        NP_("order.before_process_from", "Nothing to do, unless the date in process_orders_from is wrong."),
    ),
    # an invoice must say where to pay (BG-16): an account without a bank account cannot
    "account.bank_account_missing": (
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
    "customer.must_exist": (
        NP_(
            "customer.must_exist",
            "No customer with {field} = {value} exists, and creating customers is switched off.",
        ),
        NP_(
            "customer.must_exist",
            "Create the customer in the ERP first, or switch customers.create on; then send the order again.",
        ),
    ),
    "customer.identifier_missing": (
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
    "customer.number_missing": (
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
    "customer.number_taken": (
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
    "input.missing": (
        NP_("input.missing", "{field} is missing."),
        NP_("input.missing", "Fill in {field}, then send the order again."),
    ),
    "input.invalid": (
        NP_("input.invalid", "{field} has a value that cannot be used."),
        NP_("input.invalid", "Correct {field}, then send the order again."),
    ),
    "input.unknown_field": (
        NP_("input.unknown_field", "The order has a field {field} that the form does not know."),
        NP_("input.unknown_field", "Remove {field} (check the spelling), then send the order again."),
    ),
    "input.identifier": (
        NP_("input.identifier", "{field} is not a valid number: its length or check digit is wrong."),
        NP_("input.identifier", "Correct the number, or leave the field empty; then send the order again."),
    ),
    "input.country": (
        NP_("input.country", "{field} is not a known country code."),
        NP_(
            "input.country", "Write the country as a two-letter code (NO, DK, SE), then send the order again."
        ),
    ),
    "input.control_character": (
        NP_("input.control_character", "{field} contains a control character that no document can carry."),
        NP_("input.control_character", "Remove the character from {field}, then send the order again."),
    ),
    "input.unstorable_character": (
        NP_(
            "input.unstorable_character",
            "{field} contains a character that cannot be stored (shown as ␀ or �).",
        ),
        NP_("input.unstorable_character", "Remove the character from {field}, then send the order again."),
    ),
    "input.customer_name": (
        NP_("input.customer_name", "The order names no customer."),
        NP_(
            "input.customer_name",
            "Fill in the company name or the contact's first and last name, then send the order again.",
        ),
    ),
    "input.amount_too_large": (
        NP_(
            "input.amount_too_large", "An amount of the order is above the largest amount a document carries."
        ),
        NP_(
            "input.amount_too_large",
            "Check the quantities and prices (a misplaced decimal point?), then send the order again.",
        ),
    ),
    "input.vat_rate": (
        NP_("input.vat_rate", "{field} is not a VAT rate of the seller's country."),
        NP_("input.vat_rate", "Correct the VAT rate in the shop, then send the order again."),
    ),
    "input.kid": (
        NP_("input.kid", "{field} is not a valid KID: a KID has 2–25 digits and a check digit."),
        NP_("input.kid", "Correct the payment reference, or leave it empty; then send the order again."),
    ),
    # source 003: the invoice mail (app/mail/owner.py records these; {number} is the document's number,
    # {detail} the worker's or the provider's own words). English repeats what the worker records.
    "mail.failed": (
        NP_("mail.failed", "Invoice mail {number}: {detail}"),
        NP_("mail.failed", "Check the customer's e-mail address, then resend the invoice mail."),
    ),
    "mail.unknown": (
        NP_("mail.unknown", "Invoice mail {number}: {detail}"),
        NP_("mail.unknown", "Ask the customer whether the invoice arrived; resend it only if it did not."),
    ),
    "mail.no_recipient": (
        NP_("mail.no_recipient", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.no_recipient",
            "Add the customer's e-mail address to the order, then resend the invoice mail.",
        ),
    ),
    "mail.no_sender": (
        NP_("mail.no_sender", "Invoice mail {number}: {detail}"),
        NP_("mail.no_sender", "Set the account's mail sender (mail.sender), then resend the invoice mail."),
    ),
    "mail.document_missing": (
        NP_("mail.document_missing", "Invoice mail {number}: {detail}"),
        NP_("mail.document_missing", "The stored document is gone: create the invoice again."),
    ),
    "mail.document_unreadable": (
        NP_("mail.document_unreadable", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.document_unreadable",
            "Check the e-mail addresses in the document and the account's mail settings, then resend the "
            "invoice mail.",
        ),
    ),
    "mail.prepare_failed": (
        NP_("mail.prepare_failed", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.prepare_failed",
            "Nothing was sent. Resend the invoice mail; if it fails again, contact support with this message.",
        ),
    ),
    "mail.store": (
        NP_("mail.store", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.store",
            "Nothing was sent: the document store could not be read. Resend the invoice mail when it is back.",
        ),
    ),
}

#: Hint for a code outside the catalogue that came without one: with the field, without.
GENERIC_HINT: tuple[str, str] = (
    NP_("hint", "Correct {field} and send the order again."),
    NP_("hint", "Correct the order and send it again."),
)
#: Message for a code of ours outside the catalogue (its English text is kept in the log's English view).
GENERIC_MESSAGE: tuple[str, str] = (
    NP_("message", "{field} cannot be used as it is ({code})."),
    NP_("message", "The order cannot be used as it is ({code})."),
)


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def _fill(template: str, params: dict[str, str]) -> str | None:
    try:
        return string.Formatter().vformat(template, (), _Safe(params))
    except (KeyError, IndexError, ValueError):
        return None


def _values(lang: Lang, params: dict[str, str], field: str | None) -> dict[str, str]:
    t = translator(lang)
    values = dict(params)
    if "kind" in values:
        values.setdefault("fee", t.pgettext("fee", FEE_NAMES.get(values["kind"], values["kind"])))
    if "amount" in values and "currency" in values:
        try:
            values.setdefault("money", format_money(Decimal(values["amount"]), values["currency"], lang))
        except (InvalidOperation, ValueError):
            values.setdefault("money", f"{values['amount']} {values['currency']}")
    if field:
        values.setdefault("field", field)
    return values


def text(
    code: str, language: str | None, params: dict[str, str], field: str | None = None
) -> tuple[str, str]:
    """Message and hint of a catalogue code in ``language`` (the preflight writes its English with it)."""
    lang = language_of(language)
    message, hint = MESSAGES[code]
    values = _values(lang, params, field)
    t = translator(lang)
    msg = _fill(t.pgettext(code, message), values)
    hnt = _fill(t.pgettext(code, hint), values)
    if msg is None or hnt is None:
        raise KeyError(f"{code}: a parameter is missing ({sorted(values)})")
    return msg, hnt


def _official(code: str) -> bool:
    """A published rule id (``BR-CO-15``, ``PEPPOL-EN16931-R010``, ``F-INV046``, ``xsd.*`` of the schema):
    its text is quoted as published."""
    return "." not in code or code.startswith("xsd.")


def localize(
    code: str,
    language: str | None,
    params: dict[str, str],
    message: str,
    hint: str | None,
    field: str | None,
) -> tuple[str, str | None]:
    """Message and hint of a finding in ``language``; the stored text when a parameter is missing."""
    lang = language_of(language)
    t = translator(lang)
    values = _values(lang, params, field)
    entry = MESSAGES.get(code)
    if entry is not None:
        msg = _fill(t.pgettext(code, entry[0]), values)
        hnt = _fill(t.pgettext(code, entry[1]), values)
        if msg is not None:
            return msg, hnt if hnt is not None else hint
    with_field, without = GENERIC_HINT
    generic = _fill(t.pgettext("hint", with_field), values) if field else t.pgettext("hint", without)
    if lang == SOURCE:
        return message, hint or generic
    if _official(code):
        return message, generic
    with_field, without = GENERIC_MESSAGE
    values.setdefault("code", code)
    general = _fill(t.pgettext("message", with_field if field else without), values)
    return general or message, generic
