"""Shared fixtures. Nothing here skips: without the official artifacts the tests fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import get_settings
from app.validation.engine import Engine


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    """The installed official artifacts (``nordubl standards install``)."""
    path = get_settings().standards_dir
    assert (path / "ubl-2.1").is_dir(), f"{path} holds no standards: run `nordubl standards install`"
    return path


@pytest.fixture(scope="session")
def engine(standards_dir: Path) -> Engine:
    """One engine per session: each stylesheet is compiled once, on first use."""
    return Engine(standards_dir)
