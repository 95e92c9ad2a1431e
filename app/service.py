"""The spine: form → business document → UBL → official validation. Never emits a half-valid document."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from app.accounts.profile import SellerProfile, load_seller
from app.document.buyer import BuyerIdentity, identify
from app.document.invoice import build_document
from app.document.model import BusinessDocument, DocumentKind
from app.errors import NordublError
from app.forms.loader import load_form_bytes
from app.forms.models import CreditedInvoice, RegistrationForm
from app.issues import Issue
from app.profiles import PRESETS, DocumentType, ProfileChoice, candidates
from app.ubl.writer import render
from app.validation.engine import Engine, default_engine
from app.validation.report import Report


@dataclass(frozen=True)
class ChargeCode:
    """A fee kept as a document-level charge, with the account's UNCL7161 reason code (source 003)."""

    fee_index: int  # index in the form's fees
    code: str
    reason: str | None


@dataclass(frozen=True)
class InvoiceDecisions:
    """What an account decides for one of its invoices or credit notes beyond what the order's form says:
    the number, the day of issue, the payment terms, the fees' charge codes, the invoice credited."""

    #: BT-1: the next number of the account's gap-free series.
    number: str
    #: BT-2: the day the invoice is booked.
    issue_date: date
    #: The shop's payment terms in days (None: the seller's). The due date always follows from the terms
    #: (BR-CO-25), never from the form.
    payment_days: int | None = None
    #: BG-3: the invoice a credit note corrects; None for an invoice.
    credited: CreditedInvoice | None = None
    #: The fees kept as document-level charges, with the account's UNCL7161 reason codes (BT-105).
    charge_codes: tuple[ChargeCode, ...] = ()

    @property
    def kind(self) -> DocumentKind:
        return "creditnote" if self.credited is not None else "invoice"


@dataclass
class Generated:
    document: BusinessDocument
    xml: bytes
    report: Report
    profile: str
    choice: ProfileChoice | None = None

    def answer(self) -> Answer:
        """What an HTTP answer needs, without the business document (cheap to send between processes:
        pickling the document took longer than the rest of the result together)."""
        return Answer(
            self.xml,
            self.report,
            self.profile,
            self.choice,
            self.document.id,
            str(self.document.totals.payable),
            self.document.rounding_allocation,
        )


@dataclass(frozen=True)
class Answer:
    """A generated and validated document as the stateless routes answer it."""

    xml: bytes
    report: Report
    profile: str
    choice: ProfileChoice | None
    id: str
    payable: str
    rounding_allocation: str | None


# Where a node of a generated document came from in the form: (XPath pattern, form field).
_FIELDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), f)
    for p, f in [
        (r"/cac:OrderLine(?:\[(\d+)\])?/cac:LineItem/cbc:Quantity", "products[{n}].quantity"),
        (r"/cac:OrderLine(?:\[(\d+)\])?/cac:LineItem/cac:Price", "products[{n}].price"),
        (r"/cac:OrderLine(?:\[(\d+)\])?/.*ClassifiedTaxCategory", "products[{n}].vat_rate"),
        (r"/cac:OrderLine(?:\[(\d+)\])?/cac:LineItem/cac:Item/cbc:Name", "products[{n}].name"),
        (r"/cac:OrderLine(?:\[(\d+)\])?", "products[{n}]"),
        (
            r"/cac:(?:InvoiceLine|CreditNoteLine)(?:\[(\d+)\])?/cac:AllowanceCharge",
            "products[{n}].discount_percent",
        ),
        (
            r"/cac:(?:InvoiceLine|CreditNoteLine)(?:\[(\d+)\])?/cbc:(?:Invoiced|Credited)Quantity",
            "products[{n}].quantity",
        ),
        (r"/cac:(?:InvoiceLine|CreditNoteLine)(?:\[(\d+)\])?/cac:Price", "products[{n}].price"),
        (
            r"/cac:(?:InvoiceLine|CreditNoteLine)(?:\[(\d+)\])?/.*ClassifiedTaxCategory",
            "products[{n}].vat_rate",
        ),
        (r"/cac:(?:InvoiceLine|CreditNoteLine)(?:\[(\d+)\])?/cac:Item/cbc:Name", "products[{n}].name"),
        (r"/cac:(?:InvoiceLine|CreditNoteLine)(?:\[(\d+)\])?", "products[{n}]"),
        (r"^/(?:Invoice|CreditNote)/cac:AllowanceCharge(?:\[(\d+)\])?", "fees[{n}]"),
        (r"/cac:AccountingCustomerParty/.*EndpointID\b.*", "customer.org_number"),
        (r"/cac:AccountingCustomerParty/.*PartyLegalEntity/cbc:CompanyID", "customer.org_number"),
        (r"/cac:AccountingCustomerParty/.*PartyTaxScheme", "customer.vat_number"),
        (r"/cac:AccountingCustomerParty/.*Contact", "customer.ean_reference_person"),
        (r"/cac:AccountingCustomerParty/.*PostalAddress/cbc:PostalZone", "customer.postcode"),
        (r"/cac:AccountingCustomerParty/.*PostalAddress/cbc:CityName", "customer.city"),
        (r"/cac:AccountingCustomerParty/.*PostalAddress", "customer.address"),
        (r"/cac:AccountingCustomerParty", "customer"),
        (r"/cac:AccountingSupplierParty", "account"),
        (r"/cbc:BuyerReference", "customer.external_invoice_reference"),
        (r"/cac:OrderReference", "customer.ean_requisition"),
        (r"/cac:BillingReference", "credited_invoice.id"),
        (r"/cac:PaymentMeans/cbc:PaymentID", "payment_id"),
        (r"/cac:PaymentMeans|/cac:PaymentTerms", "account"),
        (r"/cac:BuyerCustomerParty/.*(EndpointID|PartyLegalEntity/cbc:CompanyID)", "customer.org_number"),
        (r"/cac:BuyerCustomerParty/.*PartyTaxScheme", "customer.vat_number"),
        (r"/cac:BuyerCustomerParty/.*Telephone", "customer.mobile"),
        (r"/cac:BuyerCustomerParty/.*ElectronicMail", "customer.email"),
        (r"/cac:BuyerCustomerParty/.*PostalAddress/cbc:PostalZone", "customer.postcode"),
        (r"/cac:BuyerCustomerParty/.*PostalAddress/cbc:CityName", "customer.city"),
        (r"/cac:BuyerCustomerParty/.*PostalAddress", "customer.address"),
        (r"/cac:BuyerCustomerParty", "customer"),
        (r"/cac:SellerSupplierParty", "account"),
        (r"/cbc:CustomerReference", "customer.external_invoice_reference"),
        (r"/cbc:Note", "activity"),
        (r"/cac:DeliveryTerms", "activity.invoice_comment"),
        (r"/cbc:DocumentCurrencyCode|currencyID", "currency"),
        (r"/cbc:ID$", "order_id"),
    ]
]


def field_for(xpath: str | None) -> str | None:
    """The form field that produced the node at ``xpath`` of a document we generated."""
    if not xpath:
        return None
    for pattern, name in _FIELDS:
        m = pattern.search(xpath)
        if m:
            n = int(m.group(1)) - 1 if m.groups() and m.group(1) else 0
            return name.format(n=n)
    return None


def _with_fields(report: Report) -> Report:
    report.issues = [i if i.field else replace(i, field=field_for(i.xpath)) for i in report.issues]
    return report


def write_and_validate(
    doc: BusinessDocument, prof: DocumentType, engine: Engine | None
) -> tuple[bytes, Report]:
    """Write the document in the profile and run the official rules on it; raise :class:`NordublError`
    (with the issues mapped to form fields) instead of returning a document that breaks a rule."""
    xml = render(doc, prof)
    report = _with_fields((engine or default_engine()).validate(xml, f"{prof.kind}-{doc.id}.xml"))
    if not report.valid:
        raise NordublError(
            "The generated document does not pass the official rules", report.issues, status=422
        )
    return xml, report


def choose_profile(
    form: RegistrationForm,
    seller: SellerProfile,
    forced: str | None = None,
    kind: DocumentKind = "invoice",
    buyer: BuyerIdentity | None = None,
) -> ProfileChoice:
    """The profile a document of ``kind`` is written in, before the document is built (see :func:`make`)."""
    return candidates(seller, buyer or identify(form), kind, forced)[0]


def _decided(
    form: RegistrationForm, seller: SellerProfile, decisions: InvoiceDecisions
) -> tuple[RegistrationForm, SellerProfile]:
    """The form and seller the document builder reads an account's decisions from: the number, the dates
    and the credited invoice from the form, the payment terms from the seller."""
    update: dict[str, object] = {
        "invoice_number": decisions.number,
        "invoice_date": decisions.issue_date,
        "due_date": None,  # from the payment terms (BR-CO-25)
    }
    if decisions.credited is not None:
        update["credited_invoice"] = decisions.credited
    if decisions.payment_days is not None:
        seller = seller.model_copy(update={"payment_terms_days": decisions.payment_days})
    return form.model_copy(update=update), seller


def make(
    form: RegistrationForm,
    seller: SellerProfile,
    kind: DocumentKind,
    *,
    profile: str | None = None,
    buyer: BuyerIdentity | None = None,
    invoice_ref: str | None = None,
    decisions: InvoiceDecisions | None = None,
    engine: Engine | None = None,
) -> Generated:
    """Build, write and validate an order, invoice or credit note in the profile the presets choose for
    this seller and buyer (or the forced one); raise :class:`NordublError` rather than emit a document that
    breaks a rule. A chosen profile that cannot carry the document (its preflight) gives way to the next
    one that chooses it (OIOUBL's one standard rate → Peppol BIS, which carries any); a forced one refuses.
    ``decisions``: an account's invoice or credit note, as the account decided it."""
    if decisions is not None:
        form, seller = _decided(form, seller, decisions)
        invoice_ref = invoice_ref or (decisions.credited.id if decisions.credited else None)
    buyer = buyer or identify(form)
    choices = candidates(seller, buyer, kind, profile)
    doc = build_document(form, seller, kind, buyer, invoice_ref)
    if decisions is not None and decisions.charge_codes:
        charges = list(doc.allowance_charges)
        for cc in decisions.charge_codes:
            # source 003: the fee is booked as the account mapped it (BT-105 charge reason code)
            ac = charges[cc.fee_index]
            charges[cc.fee_index] = replace(ac, reason_code=cc.code, reason=cc.reason or ac.reason)
        doc = replace(doc, allowance_charges=tuple(charges))
    refused: list[tuple[ProfileChoice, list[Issue]]] = []
    for choice in choices:
        issues = PRESETS[choice.profile].preflight(doc)
        if issues:
            refused.append((choice, issues))
            continue
        if refused:
            first, why = refused[0]
            codes = ", ".join(sorted({i.code for i in why}))
            choice = ProfileChoice(
                choice.profile, f"{first.profile} cannot carry this document ({codes}): {choice.reason}"
            )
        prof = PRESETS[choice.profile].documents[kind]
        xml, report = write_and_validate(doc, prof, engine)
        return Generated(doc, xml, report, prof.name, choice)
    raise NordublError("The form cannot become a valid document", refused[0][1])


def make_order(
    form: RegistrationForm,
    seller: SellerProfile,
    profile: str | None = None,
    buyer: BuyerIdentity | None = None,
    engine: Engine | None = None,
) -> Generated:
    """An order: EHF for a Norwegian seller, Peppol T01 for others, OIOUBL for Danish EAN buyers."""
    return make(form, seller, "order", profile=profile, buyer=buyer, engine=engine)


def make_invoice(
    form: RegistrationForm,
    seller: SellerProfile,
    profile: str | None = None,
    credit_note: bool = False,
    invoice_ref: str | None = None,
    buyer: BuyerIdentity | None = None,
    engine: Engine | None = None,
) -> Generated:
    """An invoice or credit note in the customer's profile (or the forced one)."""
    kind: DocumentKind = "creditnote" if credit_note else "invoice"
    return make(form, seller, kind, profile=profile, buyer=buyer, invoice_ref=invoice_ref, engine=engine)


# -- the stateless routes' jobs, as a validation worker runs them ----------------------------------------
# Defined here, not in the route modules, so a worker process that unpickles them by reference imports
# the spine only (about 30 MB less per worker than FastAPI and the routes).


def order_answer(engine: Engine, raw: bytes, seller_file: Path, profile: str | None) -> Answer:
    """``POST /v1/orders`` without credentials: the form is parsed in the worker too, so only bytes travel
    to it, and only the :class:`Answer` travels back."""
    form = load_form_bytes(raw)
    return make_order(form, load_seller(seller_file), profile=profile, engine=engine).answer()


def invoice_answer(
    engine: Engine,
    raw: bytes,
    seller_file: Path,
    profile: str | None,
    credit: bool,
    invoice_ref: str | None,
) -> Answer:
    """``POST /v1/invoices`` and ``/v1/credit-notes`` without credentials, as :func:`order_answer`."""
    form = load_form_bytes(raw)
    generated = make_invoice(
        form,
        load_seller(seller_file),
        profile=profile,
        credit_note=credit,
        invoice_ref=invoice_ref,
        engine=engine,
    )
    return generated.answer()
