"""Alembic environment: runs on the connection handed over by app.db.migrate, or on ``sqlalchemy.url``."""

from __future__ import annotations

import importlib

from alembic import context
from sqlalchemy import Connection

from app.db.base import Base
from app.db.engine import make_engine

#: Every module that defines tables: each table of the schema is declared in the ``models`` module of its
#: package, and importing these puts all of them on ``Base.metadata`` (what autogenerate compares with).
MODEL_MODULES: tuple[str, ...] = (
    "app.accounts.models",
    "app.customers.models",
    "app.catalogue.models",
    "app.store.models",
    "app.errorlog.models",
    "app.processing.models",
    "app.mail.models",
    "app.batch.models",
    "app.api.models",
)
for _module in MODEL_MODULES:
    importlib.import_module(_module)

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from app.config import get_settings

        url = get_settings().database_url
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported: run `nordubl db upgrade`")
run_migrations_online()
