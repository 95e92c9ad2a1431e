"""The account's own checks on an order, before any document is produced.

Each finding is a coded :class:`~app.errorlog.service.Finding` naming the form field and a hint; the
account decides per code whether it blocks the order or is only reported (``ProcessingSettings.findings``).
The well-known errors of source 003 are checked here:

* ``product.unknown`` — a product the ERP does not know ("products that do not exist in the ERP");
* ``product.inactive`` — a deactivated product, bought anyway ("deactivated products bought via search
  engines");
* ``fee.unmapped`` — a fee defined neither as an item nor as a charge ("the fee goes missing");
* ``payment_terms.unmapped`` — a payment-term id the mapping no longer knows ("payment-term ids changed
  in the shop so the mapping no longer matches");
* ``product.vat_mismatch`` — the shop's VAT rate differs from the catalogue's;

and source 004's "process orders registered from": an older order is skipped (not an error).

Besides the findings, the preflight answers the *mapped* form the documents are built from: the ERP's
item numbers on the lines, fees booked on an item as invoice lines, the charge codes of the others, and
the payment terms in days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app import codes
from app.accounts.models import Account
from app.catalogue.models import CatalogueProduct, FeeMapping
from app.catalogue.service import rate_text
from app.document.invoice import fee_reason
from app.errorlog.service import Finding
from app.forms.models import Product, RegistrationForm
from app.issues import Issue, Severity
from app.processing.settings import ProcessingSettings
from app.service import ChargeCode


@dataclass
class Prepared:
    findings: list[Finding]
    #: The form with the ERP's item numbers, fees booked on items as lines (None when skipped).
    form: RegistrationForm
    charge_codes: tuple[ChargeCode, ...] = ()
    #: Days of the shop's payment terms (None: the seller's default).
    payment_days: int | None = None
    #: Products to add to the catalogue (``create_products``).
    new_products: list[Product] = field(default_factory=list)
    #: Set when the order is not processed (source 004).
    skipped: Finding | None = None

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]


def _issue(
    code: str, severity: Severity, field_name: str, params: dict[str, str], value: str | None
) -> Issue:
    """The finding's issue, its English message and hint from the catalogue of codes (one text per code;
    the log shows it in the account's language)."""
    return codes.issue(code, field_name, value=value, severity=severity, params=params)


def _finding(
    settings: ProcessingSettings,
    code: str,
    field_name: str,
    params: dict[str, str],
    value: str | None = None,
) -> Finding:
    blocking = settings.blocks(code)
    return Finding(
        _issue(code, "error" if blocking else "warning", field_name, params, value), blocking, params
    )


def skipped_finding(form: RegistrationForm, process_from: date) -> Finding:
    # source 004: "process orders registered from" a date
    params = {"order_date": str(form.order_date), "process_from": str(process_from)}
    issue = _issue("order.before_process_from", "warning", "order_date", params, str(form.order_date))
    return Finding(issue, blocking=False, params=params)


def preflight(
    form: RegistrationForm,
    account: Account,
    settings: ProcessingSettings,
    products: dict[str, CatalogueProduct],
    fees: dict[str, FeeMapping],
) -> Prepared:
    """Check the order against the account's catalogue, fee mappings and payment terms."""
    if account.process_orders_from and form.order_date < account.process_orders_from:
        return Prepared([], form, skipped=skipped_finding(form, account.process_orders_from))

    findings: list[Finding] = []
    lines: list[Product] = []
    new_products: list[Product] = []
    if not (account.bank_account or account.iban or account.fik_creditor):
        # BG-16: the invoice cannot say where to pay; a warning before any invoice is made, never a block
        # (a prepaid order needs no account)
        findings.append(
            Finding(_issue("account.bank_account_missing", "warning", "account.seller.iban", {}, None), False)
        )
    for i, p in enumerate(form.products):
        src = f"products[{i}]"
        if not products and not settings.create_products:
            # an account without a catalogue has nothing to check its products against: a new account
            # takes the shop's product numbers as they are (source 003's checks start with a catalogue)
            lines.append(p)
            continue
        known = products.get(p.product_number)
        if known is None:
            if settings.create_products:
                new_products.append(p)  # added to the catalogue on the fly (the account allows it)
            else:
                # source 003: "products that do not exist in the ERP"
                findings.append(
                    _finding(
                        settings,
                        "product.unknown",
                        f"{src}.product_number",
                        {"product_number": p.product_number, "name": p.name},
                        p.product_number,
                    )
                )
            lines.append(p)
            continue
        if not known.active:
            # source 003: "deactivated products bought via search engines"
            findings.append(
                _finding(
                    settings,
                    "product.inactive",
                    f"{src}.product_number",
                    {"product_number": p.product_number, "name": known.name},
                    p.product_number,
                )
            )
        if Decimal(known.vat_rate) != p.vat_rate:
            findings.append(
                _finding(
                    settings,
                    "product.vat_mismatch",
                    f"{src}.vat_rate",
                    {
                        "product_number": p.product_number,
                        "form_rate": rate_text(p.vat_rate),
                        "catalogue_rate": known.vat_rate,
                    },
                    rate_text(p.vat_rate),
                )
            )
        # source 002: the seller's product number links to the ERP's product: the line carries the ERP item
        lines.append(p.model_copy(update={"product_number": known.erp_item}))

    kept_fees = []
    codes: list[ChargeCode] = []
    for i, f in enumerate(form.fees):
        mapping = fees.get(f.kind)
        if mapping is None and not fees:
            # no fee mappings at all (a new account): every fee stays a document charge with the default
            # UNCL7161 code of its kind (FC freight, ABK the others), so no fee goes missing
            kept_fees.append(f)
            continue
        if mapping is None:
            # source 003: fees "not defined as products … the fee goes missing"
            findings.append(
                _finding(
                    settings,
                    "fee.unmapped",
                    f"fees[{i}].kind",
                    {"kind": f.kind, "amount": str(f.amount), "currency": form.currency},
                    f.kind,
                )
            )
            kept_fees.append(f)
        elif mapping.item is not None:
            # booked on an ERP item: the fee becomes an invoice line of that item
            lines.append(
                Product(
                    product_number=mapping.item,
                    # source 003: the fee kind's default name, in the account's language
                    name=mapping.reason or f.description or fee_reason(f.kind, account.language)[1],
                    price=f.amount,
                    vat_rate=f.vat_rate,
                    quantity=Decimal(1),
                )
            )
        else:
            assert mapping.charge_code is not None
            codes.append(ChargeCode(len(kept_fees), mapping.charge_code, mapping.reason))
            kept_fees.append(f)

    days: int | None = None
    if form.payment_terms_id is not None:
        days = account.payment_days(form.payment_terms_id)
        if days is None:
            known_ids = ", ".join(sorted(account.payment_terms_map)) or "none"
            # source 003: "payment-term ids changed in the shop so the mapping no longer matches"
            findings.append(
                _finding(
                    settings,
                    "payment_terms.unmapped",
                    "payment_terms_id",
                    {"term_id": form.payment_terms_id, "known": known_ids},
                    form.payment_terms_id,
                )
            )

    mapped = form.model_copy(update={"products": lines, "fees": kept_fees})
    return Prepared(findings, mapped, tuple(codes), days, new_products)
