"""Fixtures of the customers tests: every test that takes ``db`` runs on SQLite and on PostgreSQL."""

from dbfixtures import api, db

__all__ = ["api", "db"]
