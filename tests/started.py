"""The real application (``create_app()``, its lifespan included) started under settings a test chooses."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings, settings_dependency


def start_app(stack: contextlib.ExitStack, monkeypatch: pytest.MonkeyPatch, **fields: Any) -> TestClient:
    """The application with the process's settings changed by ``fields`` (no warm-up unless asked), started
    in ``stack``: the lifespan reads the same settings as the routes."""
    import app.api.main as main

    fields.setdefault("validation_warm_up", False)
    settings = get_settings().model_copy(update=fields)
    monkeypatch.setattr(main, "get_settings", lambda: settings)  # the lifespan's
    application = main.create_app()
    application.dependency_overrides[settings_dependency] = lambda: settings
    return stack.enter_context(TestClient(application))
