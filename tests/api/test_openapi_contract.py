"""The OpenAPI document says what the service does: stable operation ids, every group described, and
credentials optional exactly where anonymous calls are answered."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app

SPEC: dict[str, Any] = create_app().openapi()
OPERATIONS = [(m, p, o) for p, ops in SPEC["paths"].items() for m, o in ops.items()]
FORM = {
    "order_id": "SU-1",
    "order_date": "2026-11-20",
    "customer": {"first_name": "Kari", "last_name": "Nordmann", "mobile": "+4791234567"},
    "products": [
        {"product_number": "KURS-01", "name": "Kurs", "price": "100", "vat_rate": "25", "quantity": "1"}
    ],
}


def test_operation_ids_are_the_route_names() -> None:
    ids = [o["operationId"] for _, _, o in OPERATIONS]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-z_]*[a-z]", i) or "_v1_" in i] == []


def test_every_group_is_described_and_used() -> None:
    described = {t["name"]: t.get("description", "") for t in SPEC["tags"]}
    used = {t for _, _, o in OPERATIONS for t in o.get("tags", [])}
    assert used == set(described)
    assert [name for name, text in described.items() if len(text) < 20] == []


@pytest.mark.parametrize(("method", "path", "o"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_credentials_are_optional_exactly_where_anonymous_calls_are_answered(
    method: str, path: str, o: dict[str, Any]
) -> None:
    security = o.get("security", [])
    optional = {} in security
    if not security or path.startswith("/v1/admin"):
        return  # anonymous only, or the admin key
    if method != "post" or "{" in path:
        assert not optional, f"{method} {path} declares optional credentials"
        return
    with TestClient(create_app()) as client:
        params = {"invoice_ref": "F-1"} if path == "/v1/credit-notes" else {}
        answer = client.post(path, json=FORM, params=params)
    if optional:
        assert answer.status_code == 200, (path, answer.text)
    else:
        assert answer.status_code == 401, (path, answer.status_code)
    assert answer.status_code != 401 or "401" in o["responses"], f"{method} {path}: its 401 is not documented"
