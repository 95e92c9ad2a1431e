"""The HTTP shapes of order processing: an order's outcome and its documents as the JSON answers show
them, with the links to each document."""

from __future__ import annotations

from typing import Any

from app.customers.resolve import attributes
from app.processing.context import Outcome
from app.store.models import Document


def document_summary(d: Document) -> dict[str, Any]:
    return attributes(d, "id", "uuid", "kind", "number", "status", "profile", "sha256") | {
        "url": f"/v1/documents/{d.id}",
        "xml_url": f"/v1/documents/{d.id}.xml",
    }


def outcome_status(outcome: Outcome) -> int:
    """202 for a skipped order, 201 when documents were produced now, else 200."""
    if outcome.skipped is not None:
        return 202
    return 201 if outcome.created else 200


def outcome_body(outcome: Outcome) -> dict[str, Any]:
    return {
        "order_id": outcome.order.external_id,
        "status": "skipped" if outcome.skipped is not None else outcome.order.state,
        "shop_status": outcome.order.shop_status,
        "replayed": outcome.replayed,
        "customer": outcome.customer.as_dict() if outcome.customer else None,
        "created": [d.id for d in outcome.created],
        "documents": [document_summary(d) for d in outcome.documents],
        "warnings": [i.as_dict() for i in outcome.warnings],
        "skipped": outcome.skipped.as_dict() if outcome.skipped else None,
    }
