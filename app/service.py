"""The spine: form → business document → UBL → official validation. Never emits a half-valid document."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from app.accounts.profile import SellerProfile, load_seller
from app.document.build import build_document
from app.document.invoice import build_invoice
from app.document.model import BusinessDocument
from app.errors import Issue, NordublError
from app.forms.loader import load_form_bytes
from app.forms.models import RegistrationForm
from app.ubl.profiles import CREDIT_NOTE_PROFILES, INVOICE_PROFILES, ORDER_PROFILES, Profile, ProfileName
from app.ubl.writer import render
from app.validation.engine import Engine, default_engine
from app.validation.report import Report

OrderProfile = Literal["ehf", "peppol", "oioubl"]


@dataclass(frozen=True)
class ProfileChoice:
    """Which profile a document was written in, and why."""

    profile: ProfileName
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"profile": self.profile, "reason": self.reason}


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


def make_order(
    form: RegistrationForm,
    seller: SellerProfile,
    profile: str = "ehf",
    customer_number: str | None = None,
    engine: Engine | None = None,
) -> Generated:
    """Build, write and validate an order; raise :class:`NordublError` rather than emit an invalid one."""
    prof = ORDER_PROFILES.get(profile)
    if prof is None:
        raise NordublError(
            "Unknown profile",
            [
                Issue(
                    "input.profile",
                    "fatal",
                    f"No order profile '{profile}'.",
                    field="profile",
                    hint=f"Use one of: {', '.join(ORDER_PROFILES)}.",
                )
            ],
            status=400,
        )
    doc = build_document(form, seller, "order", customer_number)
    xml, report = write_and_validate(doc, prof, engine)
    return Generated(doc, xml, report, prof.name)


def write_and_validate(doc: BusinessDocument, prof: Profile, engine: Engine | None) -> tuple[bytes, Report]:
    """Write the document in the profile and run the official rules on it; raise :class:`NordublError`
    (with the issues mapped to form fields) instead of returning a document that breaks a rule."""
    if prof.name == "oioubl":
        from app.ubl.oioubl import preflight

        issues = preflight(doc)
        if issues:
            raise NordublError("The form cannot become a valid document", issues)
    xml = render(doc, prof)
    report = _with_fields((engine or default_engine()).validate(xml, f"{prof.kind}-{doc.id}.xml"))
    if not report.valid:
        raise NordublError(
            "The generated document does not pass the official rules", report.issues, status=422
        )
    return xml, report


def choose_profile(form: RegistrationForm, forced: str | None = None) -> ProfileChoice:
    """Source 001: an EAN number means an OIOUBL EAN invoice; a Danish CVR, OIOUBL; a Norwegian
    organisation number, EHF; anyone else, Peppol BIS. The caller may force a profile."""
    c = form.customer
    if forced:
        if forced not in INVOICE_PROFILES:
            raise NordublError(
                "Unknown profile",
                [
                    Issue(
                        "input.profile",
                        "fatal",
                        f"No invoice profile '{forced}'.",
                        field="profile",
                        hint=f"Use one of: {', '.join(INVOICE_PROFILES)}.",
                    )
                ],
                status=400,
            )
        if forced == "oioubl" and not c.ean and not (c.country == "DK" and c.org_number):
            raise NordublError(
                "The form cannot become a valid document",
                [
                    Issue(
                        "input.ean_missing",
                        "fatal",
                        "An OIOUBL invoice is addressed to the customer's EAN (GLN) location number or CVR number; "
                        "the form has neither.",
                        field="customer.ean",
                        hint="Fill in the customer's 13-digit EAN number (or the Danish CVR number), "
                        "or choose another profile.",
                    )
                ],
            )
        return ProfileChoice(forced, f"profile {forced} requested by the caller")  # type: ignore[arg-type]
    if c.ean:
        return ProfileChoice("oioubl", "customer.ean is filled: an EAN invoice goes in OIOUBL (source 001)")
    if c.country == "DK" and c.org_number:
        return ProfileChoice("oioubl", "customer.org_number is a Danish CVR number: OIOUBL")
    if c.country == "NO" and c.org_number:
        return ProfileChoice("ehf", "customer.org_number is a Norwegian organisation number: EHF")
    return ProfileChoice("peppol", "no EAN, CVR or Norwegian organisation number: Peppol BIS Billing 3.0")


def make_invoice(
    form: RegistrationForm,
    seller: SellerProfile,
    profile: str | None = None,
    credit_note: bool = False,
    invoice_ref: str | None = None,
    customer_number: str | None = None,
    engine: Engine | None = None,
) -> Generated:
    """Build, write and validate an invoice or credit note in the customer's profile (or the forced one);
    raise :class:`NordublError` rather than emit a document that breaks a rule."""
    choice = choose_profile(form, profile)
    kind = "creditnote" if credit_note else "invoice"
    prof = (CREDIT_NOTE_PROFILES if credit_note else INVOICE_PROFILES)[choice.profile]
    doc = build_invoice(form, seller, kind, customer_number, invoice_ref)
    xml, report = write_and_validate(doc, prof, engine)
    return Generated(doc, xml, report, prof.name, choice)


# -- the stateless routes' jobs, as a validation worker runs them ----------------------------------------
# Defined here, not in the route modules, so a worker process that unpickles them by reference imports
# the spine only (about 30 MB less per worker than FastAPI and the routes).


def order_answer(engine: Engine, raw: bytes, seller_file: Path, profile: str) -> Answer:
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
