"""Shared fixtures. Nothing here skips (but the jvm engine where no Java runtime is installed): without the
official artifacts the tests fail.

The tests of ``app/<package>`` are in ``tests/<package>/``; conformance, matrix, golden, fault and deploy
are suites across packages. The folders are not packages (no ``__init__.py``, but golden): pytest puts each
test's folder and this one on ``sys.path``, so a helper beside its tests, or here for tests of several
folders (dbfixtures, shopfixtures, mailfixtures, liveserver, pdfcheck …), is imported by its name, and
every test file's name is unique in the tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbfixtures import pg_server

from app.config import get_settings
from app.validation.engine import Engine, default_engine

# One PostgreSQL server for the whole session (pg_server), whichever folder's tests ask for it first: a
# session fixture imported into each folder's conftest would be a fixture of its own there, one server each.
__all__ = ["pg_server"]


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


@pytest.fixture(scope="session")
def jvm_engine(standards_dir: Path) -> Engine:
    """The process's jvm engine (app/validation/jvm.py), shared by the session: one JVM, each stylesheet
    compiled once. Skips only where no Java runtime is installed (scripts/install-system.sh ci installs
    one, so CI runs these tests)."""
    from app.validation.jvm import JvmUnavailable, shared_engine

    try:
        engine = shared_engine()
    except JvmUnavailable as exc:
        pytest.skip(f"no Java runtime for the jvm engine: {exc}")
    assert engine.standards_dir == standards_dir
    return engine


# The jvm engine's JVM (JPype) may crash the interpreter while it shuts down after the last test: the run
# passed, yet pytest would exit with SIGSEGV. Once a JVM was started, leave with the session's own exit
# status, after every report has been written, without the JVM's shutdown.
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    import os
    import sys

    jpype = sys.modules.get("jpype")
    if jpype is not None and jpype.isJVMStarted() and _EXIT_STATUS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
