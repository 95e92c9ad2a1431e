"""Fixtures of the batch tests: every test that takes ``db`` runs on SQLite and on PostgreSQL."""

from dbfixtures import db, pg_server

__all__ = ["db", "pg_server"]
