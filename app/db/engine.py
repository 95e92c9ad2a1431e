"""Engines and sessions for the configured database URL.

SQLite: the driver's own transaction handling is switched off and every transaction starts with
``BEGIN IMMEDIATE``, so writers queue on the database lock (``busy_timeout``) instead of failing half-way
with "database is locked"; foreign keys are enforced and the journal is in WAL mode. A read-only session
(``session_factory(engine, read_only=True)``) begins a plain deferred ``BEGIN`` instead: it takes no write
lock, a WAL reader neither waits for the writer nor blocks it, and a write in it fails at once
(``PRAGMA query_only``) rather than upgrading its snapshot to the write lock, which SQLite may refuse.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_S = 30
#: Execution option of the engine behind read-only sessions (see :func:`session_factory`).
READ_ONLY = "nordubl_read_only"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(READ_ONLY, False):
        _query_only(conn, True)
        # SQLite "BEGIN TRANSACTION": DEFERRED takes no lock until the first read, and a reader in WAL mode
        # (https://sqlite.org/wal.html §2.2) sees its snapshot without waiting for, or blocking, the writer.
        conn.exec_driver_sql("BEGIN")
        return
    _query_only(conn, False)
    # Take the write lock up front: a transaction that reads, then writes, can never be refused half-way,
    # and allocating a customer number with the customer's insert stays gap-free.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _query_only(conn: Connection, on: bool) -> None:
    """``PRAGMA query_only`` on the pooled DBAPI connection, set only when it changes (its state is kept in
    the pool record's ``info``, which lives as long as the DBAPI connection)."""
    info = conn.connection.info
    if info.get(READ_ONLY, False) != on:
        conn.exec_driver_sql(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
        info[READ_ONLY] = on


def make_engine(url: str, **kwargs: Any) -> Engine:
    """A new engine for ``url`` (already normalised by :class:`app.config.Settings`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S, **kwargs.pop("connect_args", {})}
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if parsed.get_backend_name() == "postgresql":
        from app.extras import require

        require("psycopg", "postgres", "NORDUBL_DATABASE_URL", "PostgreSQL")
    return create_engine(parsed, **kwargs)


def get_engine(url: str) -> Engine:
    """The process-wide engine for ``url``; a SQLite database is migrated to the newest schema on first use."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            if engine.dialect.name == "sqlite":
                from app.db.migrate import upgrade

                upgrade(engine)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection of the engines made by :func:`get_engine`."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions on ``engine``. ``read_only``: for a request that only reads: on SQLite its transactions
    are deferred reads that take no write lock and refuse writes; on PostgreSQL nothing changes (a plain
    read-committed transaction takes no lock a writer waits for)."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    return sessionmaker(bind, expire_on_commit=False)
