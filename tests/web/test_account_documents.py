"""The page with an account: sign in with the client id and key, list the stored documents, validate them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from liveserver import serve
from playwright.sync_api import Browser, expect
from shopform import form as order_form

from app.api.main import create_app
from app.config import PROJECT_ROOT, Settings, settings_dependency
from app.db import dispose_engines, make_engine
from app.db.migrate import upgrade
from app.validation.engine import Engine

ADMIN_KEY = "web-test-admin-key-0123456789"
SELLER: dict[str, Any] = json.loads((PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json").read_text())
CATALOGUE = {
    "products": [{"product_number": "KURS-01", "erp_item": "1001", "name": "Kurs", "vat_rate": "25"}]
}
FEES = {"fees": [{"kind": "freight", "item": "9001", "reason": "Frakt"}]}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    """The application on loopback with its own migrated SQLite database and blob folder."""
    folder = tmp_path_factory.mktemp("web-account")
    url = f"sqlite:///{folder / 'nordubl.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    settings = Settings(database_url=url, admin_key=ADMIN_KEY, blob_dir=folder / "blobs")  # type: ignore[arg-type]
    app = create_app()
    app.dependency_overrides[settings_dependency] = lambda: settings
    try:
        with serve(app) as base:
            yield base, settings
    finally:
        dispose_engines()


@pytest.fixture(scope="module")
def account(shop: tuple[str, Settings]) -> dict[str, Any]:
    """An account with two stored orders."""
    base, _ = shop
    with httpx.Client(base_url=base, timeout=120) as client:
        r = client.post(
            "/v1/admin/accounts",
            json={"seller": SELLER, "customers": {"number_series": {"prefix": "K", "next": 10001}}},
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        assert r.status_code == 201, r.text
        acc: dict[str, Any] = r.json()
        auth = (acc["client_id"], acc["client_key"])
        assert client.put("/v1/catalogue/products", json=CATALOGUE, auth=auth).status_code == 200
        assert client.put("/v1/catalogue/fees", json=FEES, auth=auth).status_code == 200
        stored: dict[str, bytes] = {}
        for order_id in ("WEB-1", "WEB-2"):
            r = client.post("/v1/orders", json=order_form(order_id), auth=auth)
            assert r.status_code == 201, r.text
            doc = client.get(f"/v1/documents/{r.headers['X-Nordubl-Document-Id']}", auth=auth).json()
            stored[f"{doc['kind']}-{doc['number']}.xml"] = r.content
        acc["stored"] = stored
        return acc


def test_sign_in_list_and_validate_the_stored_documents(
    shop: tuple[str, Settings],
    account: dict[str, Any],
    browser: Browser,
    validation_engine: Engine,
    artifacts: Path,
) -> None:
    base, _ = shop
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/?lang=en")
        page.click("#account summary")
        page.fill("#client-id", account["client_id"])
        page.fill("#client-key", "nk_wrong-key")
        page.click("#account-form button[type=submit]")
        expect(page.locator("#account-error")).to_contain_text("Sign-in failed")
        expect(page.locator("#account-documents")).to_be_hidden()

        page.fill("#client-key", account["client_key"])
        page.click("#account-form button[type=submit]")
        rows = page.locator("#documents-rows tr")
        expect(rows).to_have_count(2)
        expect(page.locator("#documents-count")).to_have_text("2 of 2 documents, newest first")
        expect(page.locator("#validate-documents")).to_be_disabled()
        page.check("#documents-all")
        page.click("#validate-documents")

        expect(page.locator("#results")).to_have_attribute("data-state", "done", timeout=180_000)
        results = page.locator("tr.row")
        expect(results).to_have_count(2)
        for name, data in account["stored"].items():
            row = page.locator("tr.row", has_text=name)
            expected = validation_engine.validate(data, name)
            assert expected.valid
            assert row.get_attribute("data-valid") == "true"
            assert expected.ruleset is not None and expected.ruleset in row.inner_text()
        assert page.locator("#account-error").is_hidden()
        page.screenshot(path=str(artifacts / "validation-account.png"), full_page=True)
    finally:
        context.close()
