"""Fixtures of the migration tests: every test that takes ``db`` runs on SQLite and on PostgreSQL."""

from dbfixtures import db

__all__ = ["db"]
