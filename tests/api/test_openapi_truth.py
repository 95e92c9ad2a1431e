"""The OpenAPI document tells the truth about the answers: the main flows of the API are run for real,
anonymous and with an account, and every status code and every header of the service's own (``Location``,
``Idempotent-Replayed``, ``Retry-After``, ``X-Nordubl-*``) an answer carries is documented for that
operation and status."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from shopfixtures import SELLER_NO, Shop, form

from app.config import PROJECT_ROOT

#: The headers the service itself sets, which a client may act on.
OWN = re.compile(r"^(location|idempotent-replayed|retry-after|x-nordubl-.*|www-authenticate)$", re.I)
GOLDEN = (PROJECT_ROOT / "fixtures/expected/no-company-single.ehf.xml").read_bytes()


def _operation(spec: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]]:
    for template, operations in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return template, operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


@pytest.fixture(scope="module")
def answers(shop: Shop) -> Iterator[list[tuple[str, str, Any]]]:
    """(method, path, response) of the flows a client runs."""
    acc = shop.account(SELLER_NO, processing={"invoice_statuses": ["completed"]})
    c, auth = shop.client, acc.auth
    got: list[tuple[str, str, Any]] = []

    def call(method: str, path: str, **kwargs: Any) -> Any:
        r = c.request(method, path, **kwargs)
        got.append((method, path.split("?")[0], r))
        return r

    call("POST", "/v1/validate", content=GOLDEN, headers={"Content-Type": "application/xml"})
    call("POST", "/v1/orders", json=form("ANON-1"))
    call("POST", "/v1/invoices", json=form("ANON-2"))
    call("POST", "/v1/credit-notes?invoice_ref=F-1", json=form("ANON-3"))
    call("POST", "/v1/orders", json=form("ACC-1"), auth=auth)
    call("POST", "/v1/orders", json=form("ACC-1"), auth=auth)  # the stored one again
    call("POST", "/v1/invoices", json=form("ACC-2"), auth=auth, headers={"Idempotency-Key": "k-acc-2"})
    call("POST", "/v1/invoices", json=form("ACC-2"), auth=auth, headers={"Idempotency-Key": "k-acc-2"})
    call("POST", "/v1/shop-orders", json=form("SHOP-1", order_status="pending"), auth=auth)
    call("POST", "/v1/shop-orders", json=form("SHOP-1", order_status="pending"), auth=auth)
    r = call("PUT", "/v1/orders/SHOP-1/status", json={"status": "completed"}, auth=auth)
    call("PUT", "/v1/orders/SHOP-1/status", json={"status": "completed"}, auth=auth)
    call("GET", "/v1/orders/SHOP-1", auth=auth)
    invoice = next(d["id"] for d in r.json()["documents"] if d["kind"] == "invoice")
    call("GET", f"/v1/documents/{invoice}", auth=auth)
    call("GET", f"/v1/documents/{invoice}.xml", auth=auth)
    call("GET", f"/v1/documents/{invoice}.pdf", auth=auth)
    call("POST", f"/v1/documents/{invoice}/approve", auth=auth)
    call("POST", "/v1/preview", json=form("SHOP-2"), auth=auth)
    call("GET", "/v1/documents", auth=auth)
    call("GET", "/v1/account", auth=("nc_wrong", "nk_wrong"))
    call("GET", "/v1/documents/999999", auth=auth)
    call("POST", "/v1/shop-orders", json={"order_id": "BAD"}, auth=auth)
    yield got


def test_every_status_answered_is_documented(shop: Shop, answers: list[tuple[str, str, Any]]) -> None:
    spec = shop.client.app.openapi()  # type: ignore[attr-defined]
    missing = []
    for method, path, r in answers:
        template, op = _operation(spec, method, path)
        if str(r.status_code) not in op["responses"]:
            missing.append(f"{method} {template} {r.status_code}")
    assert missing == []


def test_every_header_of_ours_is_documented(shop: Shop, answers: list[tuple[str, str, Any]]) -> None:
    spec = shop.client.app.openapi()  # type: ignore[attr-defined]
    missing = set()
    for method, path, r in answers:
        template, op = _operation(spec, method, path)
        response = op["responses"].get(str(r.status_code), {})
        documented = {name.lower() for name in response.get("headers", {})}
        for name in r.headers:
            if OWN.match(name) and name.lower() not in documented:
                missing.add(f"{method} {template} {r.status_code} {name}")
    assert sorted(missing) == [], "\n".join(sorted(missing))
