"""Fixtures of the mail tests: every test that takes ``db`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dbfixtures import api, db
from mailfixtures import Recorder, blobs, mail_db, start_smtp

__all__ = ["api", "blobs", "db", "mail_db"]


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
