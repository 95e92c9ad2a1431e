"""Fixtures of the worker tests: every test that takes ``db`` runs on SQLite and on PostgreSQL."""

from dbfixtures import db
from mailfixtures import blobs, mail_db

__all__ = ["blobs", "db", "mail_db"]
