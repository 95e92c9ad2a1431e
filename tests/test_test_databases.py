"""The test databases themselves: without PostgreSQL the PostgreSQL tests fail, they never skip."""

from __future__ import annotations

import dbfixtures
import pytest


def test_missing_postgresql_binaries_fail_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbfixtures, "_bindir", lambda: None)
    with pytest.raises(pytest.fail.Exception) as failed:
        dbfixtures.PostgresServer()
    assert "apt-get install -y postgresql" in str(failed.value)
