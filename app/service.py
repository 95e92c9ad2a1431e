"""The spine: form → business document → UBL → official validation. Never emits a half-valid document."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from app.accounts.profile import SellerProfile
from app.document.build import build_document
from app.document.model import BusinessDocument
from app.errors import Issue, NordublError
from app.forms.models import RegistrationForm
from app.ubl.profiles import ORDER_PROFILES
from app.ubl.writer import render
from app.validation.engine import Engine, default_engine
from app.validation.report import Report

OrderProfile = Literal["ehf", "peppol"]


@dataclass
class Generated:
    document: BusinessDocument
    xml: bytes
    report: Report
    profile: str


# Where a node of a generated document came from in the form: (XPath pattern, form field).
_FIELDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), f)
    for p, f in [
        (r"/cac:OrderLine(?:\[(\d+)\])?/cac:LineItem/cbc:Quantity", "products[{n}].quantity"),
        (r"/cac:OrderLine(?:\[(\d+)\])?/cac:LineItem/cac:Price", "products[{n}].price"),
        (r"/cac:OrderLine(?:\[(\d+)\])?/.*ClassifiedTaxCategory", "products[{n}].vat_rate"),
        (r"/cac:OrderLine(?:\[(\d+)\])?/cac:LineItem/cac:Item/cbc:Name", "products[{n}].name"),
        (r"/cac:OrderLine(?:\[(\d+)\])?", "products[{n}]"),
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
    xml = render(doc, prof)
    report = _with_fields((engine or default_engine()).validate(xml, f"order-{doc.id}.xml"))
    if not report.valid:
        raise NordublError(
            "The generated document does not pass the official rules", report.issues, status=422
        )
    return Generated(doc, xml, report, prof.name)
