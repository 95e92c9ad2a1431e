"""/docs in headless Chromium with every request off loopback refused: the API's documentation comes from
the package, lists the operations, and asks no other host for anything."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Route, expect

TIMEOUT_MS = 180_000  # a cap for a loaded machine, not a speed requirement
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "api-docs-offline.png"


def test_the_api_docs_render_offline(live_server: str, browser: Browser, artifacts: Path) -> None:
    path, operation = "/docs", ".opblock-summary-path"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    elsewhere: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:  # what a machine without internet access would do: nothing comes back
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    try:
        context.route("**/*", offline)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live_server + path, timeout=TIMEOUT_MS)
        expect(page.locator(operation).first).to_be_visible(timeout=TIMEOUT_MS)
        text = page.locator("body").inner_text(timeout=TIMEOUT_MS)
        for shown in ("/v1/validate", "/v1/shop-orders", "/v1/invoices", "/v1/credit-notes"):
            assert shown in text or shown.split("/")[-1] in text, f"{shown} is not listed on {path}"
        assert elsewhere == [], f"{path} asked other hosts: {elsewhere}"
        assert errors == [], errors
        shot = artifacts / f"api-docs-offline{path.replace('/', '-')}.png"
        page.screenshot(path=str(shot))
        if os.environ.get("NORDUBL_UPDATE_SCREENSHOTS") == "1":
            page.screenshot(path=str(SCREENSHOT))
    finally:
        context.close()


def test_no_page_refers_to_a_cdn(live_server: str) -> None:
    import httpx

    page = httpx.get(live_server + "/docs", timeout=60).text
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page, page
    assert httpx.get(live_server + "/redoc", timeout=60).status_code == 404
