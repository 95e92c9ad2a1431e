"""Fixtures of the mail tests: every test that takes ``db`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dbfixtures import Database, api, db, pg_server
from mailfixtures import Recorder, start_smtp

from app.store.blobs import FolderBlobStore

__all__ = ["api", "db", "pg_server"]


@pytest.fixture(scope="module")
def blobs(tmp_path_factory: pytest.TempPathFactory) -> FolderBlobStore:
    return FolderBlobStore(tmp_path_factory.mktemp("blobs"))


@pytest.fixture
def mail_db(db: Database) -> Database:
    """The module's database with no mail left due from an earlier test (those rows are set aside)."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE outbox SET status = 'failed', lease_owner = NULL, lease_until = NULL "
            "WHERE status IN ('queued', 'sending')"
        )
    return db


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    controller = start_smtp(recorder)
    try:
        yield recorder, controller.port
    finally:
        controller.stop()


@pytest.fixture
def outbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "outbox"
