"""Helpers of the processing tests: every test that takes ``db`` or ``shop`` runs on SQLite and PostgreSQL.

``shop`` is the real application (create_app) on the module's test database, with its own blob folder, a
manual clock (time is moved, never slept) and the validation service on its Saxon thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import ADMIN_KEY, Database
from fastapi.testclient import TestClient
from shopform import form  # noqa: F401  (the tests import it from here)

from app.config import PROJECT_ROOT, Settings

SELLER_NO: dict[str, Any] = json.loads((PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json").read_text())
SELLER_DK: dict[str, Any] = json.loads(
    (PROJECT_ROOT / "fixtures" / "forms" / "invoices" / "accounts" / "demo-dk.json").read_text()
)

CATALOGUE = [
    {"product_number": "KURS-01", "erp_item": "1001", "name": "Kurs", "vat_rate": "25"},
    {"product_number": "BOK-01", "erp_item": "2001", "name": "Kursbok", "vat_rate": "0"},
    {
        "product_number": "GAMMEL-01",
        "erp_item": "1999",
        "name": "Gammelt kurs",
        "vat_rate": "25",
        "active": False,
    },
]
FEES = [
    {"kind": "freight", "item": "9001", "reason": "Frakt"},
    {"kind": "payment", "charge_code": "ABK", "reason": "Betalingsgebyr"},
]


@dataclass
class Account:
    id: int
    client_id: str
    client_key: str

    @property
    def auth(self) -> tuple[str, str]:
        return (self.client_id, self.client_key)


@dataclass
class Shop:
    client: TestClient
    db: Database
    settings: Settings
    clock: Any
    blob_dir: Path
    accounts: list[Account] = field(default_factory=list)

    def account(
        self,
        seller: dict[str, Any] | None = None,
        *,
        catalogue: bool = True,
        processing: dict[str, Any] | None = None,
        **settings: Any,
    ) -> Account:
        body = {
            "seller": seller or SELLER_NO,
            "payment_terms": {"1": 14, "2": 30},
            "customers": {"number_series": {"prefix": "K", "next": 10001}},
            **settings,
        }
        r = self.client.post(
            "/v1/admin/accounts", json=body, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
        )
        assert r.status_code == 201, r.text
        acc = Account(r.json()["id"], r.json()["client_id"], r.json()["client_key"])
        if catalogue:
            assert self.put(acc, "/v1/catalogue/products", {"products": CATALOGUE}).status_code == 200
            assert self.put(acc, "/v1/catalogue/fees", {"fees": FEES}).status_code == 200
        if processing is not None:
            r = self.put(acc, "/v1/account/processing", processing)
            assert r.status_code == 200, r.text
        self.accounts.append(acc)
        return acc

    def operator_processing(self, acc: Account, body: dict[str, Any]) -> Any:
        """Replace the account's processing settings with the operator's admin key (a shorter trial too)."""
        return self.client.put(
            f"/v1/admin/accounts/{acc.id}/processing",
            json=body,
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )

    def post(self, acc: Account, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(path, json=body, auth=acc.auth, headers=headers)

    def put(self, acc: Account, path: str, body: Any) -> Any:
        return self.client.put(path, json=body, auth=acc.auth)

    def get(self, acc: Account, path: str, **params: Any) -> Any:
        return self.client.get(path, auth=acc.auth, params=params)

    def errors(self, acc: Account, **params: Any) -> list[dict[str, Any]]:
        r = self.get(acc, "/v1/errors", **params)
        assert r.status_code == 200, r.text
        items: list[dict[str, Any]] = r.json()["items"]
        return items

    def count(self, sql: str, **params: Any) -> int:
        return int(self.db.scalar(sql, **params))


def make_app(db: Database, blob_dir: Path, clock: Any, **extra: Any) -> tuple[Any, Settings]:
    from app.api.main import create_app
    from app.config import settings_dependency
    from app.processing.clock import get_clock
    from app.validation.service import ValidationService

    app = create_app()
    settings = Settings(
        database_url=db.url,
        admin_key=ADMIN_KEY,  # type: ignore[arg-type]
        blob_dir=blob_dir,
        webhook_allow_private=True,
        **extra,
    )
    app.dependency_overrides[settings_dependency] = lambda: settings
    app.dependency_overrides[get_clock] = lambda: clock
    # the validation service without the lifespan: no warm-up of every rule set, the rules compile on use
    app.state.validation = ValidationService()
    return app, settings


@pytest.fixture(scope="module")
def shop(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    from app.db import dispose_engines
    from app.processing.clock import ManualClock

    clock = ManualClock()
    blob_dir = tmp_path_factory.mktemp("blobs")
    app, settings = make_app(db, blob_dir, clock)
    client = TestClient(app)
    try:
        yield Shop(client, db, settings, clock, blob_dir)
    finally:
        client.close()
        app.state.validation.close()
        dispose_engines()
