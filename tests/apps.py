"""The real application (create_app, its lifespan included) under settings chosen by a test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings, settings_dependency

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def running_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **fields: Any) -> Iterator[TestClient]:
    """``create_app()`` with these settings (an empty SQLite file and blob folder unless given), started."""
    import app.api.main as main

    fields.setdefault("database_url", f"sqlite:///{tmp_path / 'nordubl.db'}")
    fields.setdefault("blob_dir", tmp_path / "blobs")
    fields.setdefault("validation_warm_up", False)
    settings = Settings(**fields)
    with monkeypatch.context() as m:
        m.setattr(main, "get_settings", lambda: settings)
        app = main.create_app()
        app.dependency_overrides[settings_dependency] = lambda: settings
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of a Prometheus exposition (0 when absent)."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = re.match(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$", line)
        if not m or m.group(1) != name:
            continue
        got = ",".join(sorted(p for p in re.findall(r'\w+="[^"]*"', m.group(2) or "")))
        if got == want:
            return float(m.group(3))
    return 0.0


def problem(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/problem+json", response.text[:300]
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    return body
