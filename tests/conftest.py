"""Shared fixtures. Nothing here skips: without the official artifacts the tests fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import get_settings
from app.validation.engine import Engine, default_engine


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    """The installed official artifacts (``nordubl standards install``)."""
    path = get_settings().standards_dir
    assert (path / "ubl-2.1").is_dir(), f"{path} holds no standards: run `nordubl standards install`"
    return path


@pytest.fixture(scope="session")
def validation_engine(standards_dir: Path) -> Engine:
    """The process's default engine, shared by the session: each stylesheet is compiled once, on first use."""
    engine = default_engine()
    assert engine.standards_dir == standards_dir
    return engine
