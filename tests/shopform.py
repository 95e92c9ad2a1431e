"""The webshop order the processing, web and fault tests send: a Norwegian company, one course, freight."""

from __future__ import annotations

import copy
from typing import Any

SHOP_FORM: dict[str, Any] = {
    "order_id": "WS-1",
    "order_date": "2026-11-20",
    "currency": "NOK",
    "customer": {
        "country": "NO",
        "org_number": "974760673",
        "company_name": "Brønnøysundregistrene",
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari.nordmann@example.no",
        "address": "Havnegata 48",
        "postcode": "8900",
        "city": "Brønnøysund",
        "external_invoice_reference": "PO-4711",
    },
    "products": [
        {
            "product_number": "KURS-01",
            "name": "Kurs",
            "price": "2490.00",
            "vat_rate": "25",
            "quantity": "1",
        }
    ],
    "fees": [{"kind": "freight", "amount": "149.00", "vat_rate": "25"}],
}


def form(order_id: str = "WS-1", **overrides: Any) -> dict[str, Any]:
    """A fresh copy of :data:`SHOP_FORM` with this order id and top-level fields replaced."""
    base = copy.deepcopy(SHOP_FORM)
    base["order_id"] = order_id
    base.update(overrides)
    return base
