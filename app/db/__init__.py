"""Persistence: SQLAlchemy 2 models and sessions; the schema is owned by the Alembic migrations
in app/migrations.

A SQLite file is the zero-setup default (migrated on first use); PostgreSQL is used in production through the
same ``database_url`` setting and migrated with ``nordubl db upgrade``.
"""

from app.db.base import Base, UTCDateTime, utcnow
from app.db.engine import dispose_engines, get_engine, make_engine, session_factory

__all__ = ["Base", "UTCDateTime", "dispose_engines", "get_engine", "make_engine", "session_factory", "utcnow"]
