"""Fixtures of the store tests: every test that takes ``db`` or ``shop`` runs on SQLite and PostgreSQL."""

from dbfixtures import db, pg_server
from shopfixtures import shop

__all__ = ["db", "pg_server", "shop"]
