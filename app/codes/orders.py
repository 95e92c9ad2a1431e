"""The codes of an order's findings and of its customer: products, fees and payment terms against the
catalogue and the account (the preflight, :mod:`app.processing.preflight`), the customer's identification
and number (:mod:`app.customers`), and the refusals of an order, an account and a mode of processing.
"""

from __future__ import annotations

from app.codes.code import Code
from app.i18n import NP_

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
    "catalogue.duplicate": Code(
        "fatal",
        None,
        NP_("catalogue.duplicate", "{field} '{value}' is given twice (also {other})."),
        NP_("catalogue.duplicate", "Give each one once."),
    ),
    "customer.not_found": Code(
        "fatal",
        "id",
        NP_("customer.not_found", "This account has no customer {customer_id}."),
        NP_(
            "customer.not_found", "Check the customer's id (GET /v1/customers lists the account's customers)."
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
}
