"""Fixtures of the API tests: every test that takes ``db`` or ``shop`` runs on SQLite and PostgreSQL; the
documentation pages are looked at in headless Chromium against a real server."""

from chromium import artifacts, browser, live_server
from dbfixtures import db
from shopfixtures import shop

__all__ = ["artifacts", "browser", "db", "live_server", "shop"]
