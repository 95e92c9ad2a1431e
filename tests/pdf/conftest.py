"""PDF tests share the process's warm worker pool; every test fails when the renderer logs anything
(WeasyPrint's own tests do the same with ``assert_no_logs``)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from app.pdf.render import default_pool
from app.pdf.worker import PdfPool

_WATCHED = ("weasyprint", "fontTools", "app.pdf")


@pytest.fixture(scope="session")
def pool() -> PdfPool:
    p = default_pool()
    p.warm()
    return p


@pytest.fixture(autouse=True)
def no_renderer_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.WARNING)
    yield
    logged = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.name.startswith(_WATCHED)]
    assert not logged, f"the renderer logged: {logged}"
