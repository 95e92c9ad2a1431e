"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from dbfixtures import Database
from sqlalchemy import inspect

import app.accounts.models
import app.api.models
import app.batch.models
import app.catalogue.models
import app.customers.models
import app.errorlog.models
import app.mail.models
import app.processing.models
import app.store.models  # noqa: F401  (the tables)
from app.db import make_engine
from app.db.base import Base
from app.db.migrate import alembic_config, current, head


def test_migrated_schema_matches_the_models(db: Database) -> None:
    assert current(db.engine) == head() is not None
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_nothing_and_upgrade_again(db: Database, tmp_path: Path) -> None:
    """Every revision can be undone: a fresh database goes down to base and up to head cleanly."""
    url = db.url
    if db.backend == "sqlite":
        url = f"sqlite:///{tmp_path}/roundtrip.db"
    else:
        admin = make_engine(db.url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql("CREATE DATABASE roundtrip")
        finally:
            admin.dispose()
        url = db.url.rsplit("/", 1)[0] + "/roundtrip"
    engine = make_engine(url)
    try:
        for step in ("upgrade", "downgrade", "upgrade"):
            cfg = alembic_config()
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                if step == "upgrade":
                    command.upgrade(cfg, "head")
                else:
                    command.downgrade(cfg, "base")
            tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
            assert (step, bool(tables)) == (step, step == "upgrade")
        assert current(engine) == head()
    finally:
        engine.dispose()
