"""The examples of the OpenAPI document, each written once: the forms, a UBL document, a report."""

from __future__ import annotations

from typing import Any

from app.forms.models import RegistrationForm

_CUSTOMER: dict[str, str] = {
    "country": "NO",
    "org_number": "974760673",
    "company_name": "Brønnøysundregistrene",
    "first_name": "Kari",
    "last_name": "Nordmann",
    "email": "kari.nordmann@example.no",
}
_PRODUCT: dict[str, str] = {
    "product_number": "KURS-01",
    "name": "Kurs",
    "price": "2490.00",
    "vat_rate": "25",
    "quantity": "1",
}

#: A sign-up form (``POST /v1/orders``, ``/v1/invoices``, ``/v1/credit-notes``).
FORM_EXAMPLE: dict[str, Any] = {
    "order_id": "SU-2026-0001",
    "order_date": "2026-11-20",
    "currency": "NOK",
    "customer": {**_CUSTOMER, "mobile": "+47 912 34 567", "external_invoice_reference": "PO-4711"},
    "activity": {"id": "A-118", "title": "Juleverksted", "start_date": "2026-12-10", "location": "Oslo"},
    "products": [{**_PRODUCT, "name": "Deltakeravgift"}],
}
#: A shop order (``POST /v1/shop-orders``, ``/v1/preview``): its status, payment terms and fees.
SHOP_FORM_EXAMPLE: dict[str, Any] = {
    "order_id": "WS-10001",
    "order_date": "2026-11-20",
    "order_status": "completed",
    "payment_terms_id": "1",
    "currency": "NOK",
    "customer": {**_CUSTOMER, "external_invoice_reference": "PO-4711"},
    "products": [_PRODUCT],
    "fees": [{"kind": "freight", "amount": "149.00", "vat_rate": "25"}],
}
#: A customer block (``POST /v1/customers/resolve``).
CUSTOMER_EXAMPLE: dict[str, str] = _CUSTOMER


def form_body(example: dict[str, Any]) -> dict[str, Any]:
    """The ``requestBody`` of a route that takes a form: its JSON schema and ``example``."""
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": RegistrationForm.model_json_schema(ref_template="#/components/schemas/{model}"),
                "example": example,
            }
        },
    }


XML_EXAMPLE = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">…</Invoice>'


def xml_body() -> dict[str, Any]:
    """The ``requestBody`` of a route that takes one UBL document."""
    return {
        "required": True,
        "content": {"application/xml": {"schema": {"type": "string"}, "example": XML_EXAMPLE}},
    }


def report_example(valid: bool, fatal: int, issues: list[dict[str, Any]]) -> dict[str, Any]:
    """A validation report (``Report.as_dict``) of one Peppol invoice."""
    return {
        "valid": valid,
        "ruleset": "peppol-billing",
        "release": "2026.5",
        "document": "Invoice",
        "counts": {"fatal": fatal, "error": 0, "warning": 0},
        "stages": [{"name": "xsd", "status": "passed"}],
        "issues": issues,
    }
