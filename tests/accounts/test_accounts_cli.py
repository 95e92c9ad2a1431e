"""``nordubl accounts ...`` and ``nordubl db ...`` against SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbfixtures import SELLER_DK, Database
from sqlalchemy import inspect

from app.accounts import keys
from app.cli import main
from app.db import dispose_engines, make_engine
from app.db.migrate import head


@pytest.fixture(autouse=True)
def _close_engines() -> Iterator[None]:
    """The CLI uses the process-wide engines of app.db: close their connections after each test."""
    yield
    dispose_engines()


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def _fields(text: str) -> dict[str, str]:
    return dict(
        line.split(": ", 1) for line in text.splitlines() if ":" in line and not line.startswith("The ")
    )


def test_create_from_a_file_and_flags_prints_the_key_once(db: Database, tmp_path: Path) -> None:
    settings = tmp_path / "account.json"
    settings.write_text(json.dumps({"seller": SELLER_DK, "payment_terms": {"1": 14}}), encoding="utf-8")
    code, out = run(
        "accounts", "create", "--file", str(settings), "--city", "Aarhus C", "--mode", "automatic",
        "--number-series", "W:500", "--database-url", db.url,
    )  # fmt: skip
    assert code == 0, out
    fields = _fields(out)
    client_id, key = fields["client_id"].strip(), fields["client_key"].strip()
    assert client_id.startswith("nc_") and key.startswith("nk_")
    stored = db.scalar("SELECT client_key_hash FROM accounts WHERE client_id = :c", c=client_id)
    assert keys.verify_key(key, stored) and key not in stored

    code, shown = run("accounts", "show", client_id, "--database-url", db.url)
    assert code == 0 and key not in shown
    body = json.loads(shown)
    assert (body["seller"]["city"], body["mode"], body["payment_terms"]) == (
        "Aarhus C",
        "automatic",
        {"1": 14},
    )
    assert body["customers"]["number_series"] == {"prefix": "W", "next": 500}

    code, listed = run("accounts", "list", "--database-url", db.url)
    assert code == 0 and client_id in listed and key not in listed


def test_update_and_rotate_key(db: Database, tmp_path: Path) -> None:
    code, out = run(
        "accounts", "create", "--country", "DK", "--org-number", "13585628", "--name", "Shop ApS",
        "--address", "Gade 1", "--postcode", "1620", "--city", "København", "--format", "json",
        "--database-url", db.url,
    )  # fmt: skip
    assert code == 0, out
    created = json.loads(out)
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps({"customers": {"b2c": {"identify_by": "shared"}}}), encoding="utf-8")
    code, out = run(
        "accounts",
        "update",
        str(created["id"]),
        "-f",
        str(patch),
        "--mode",
        "automatic",
        "--database-url",
        db.url,
    )
    assert code == 0, out
    updated = json.loads(out)
    assert updated["customers"]["b2c"]["identify_by"] == "shared" and updated["mode"] == "automatic"
    assert updated["seller"]["name"] == "Shop ApS"

    code, out = run(
        "accounts", "rotate-key", created["client_id"], "--format", "json", "--database-url", db.url
    )
    assert code == 0
    new_key = json.loads(out)["client_key"]
    stored = db.scalar("SELECT client_key_hash FROM accounts WHERE id = :i", i=created["id"])
    assert keys.verify_key(new_key, stored) and not keys.verify_key(created["client_key"], stored)


def test_bad_identifiers_and_unknown_accounts(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(
        "accounts", "create", "--country", "DK", "--org-number", "1358562", "--name", "Shop ApS",
        "--address", "Gade 1", "--postcode", "1620", "--city", "København", "--database-url", db.url,
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "input.identifier" in err and "[field seller.org_number]" in err and "8 digits" in err
    code, _ = run("accounts", "show", "nc_does_not_exist", "--database-url", db.url)
    assert code == 1 and "account.not_found" in capsys.readouterr().err
    code, _ = run("accounts", "show", "--database-url", db.url)
    assert code == 2
    code, _ = run("accounts", "create", "--number-series", "K-100", "--database-url", db.url)
    assert code == 2 and "PREFIX:NEXT" in capsys.readouterr().err


def test_db_upgrade_migrates_an_empty_database(db: Database, tmp_path: Path) -> None:
    """``nordubl db upgrade`` on a new database (SQLite: a new file; PostgreSQL: a new database)."""
    if db.backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'sub' / 'fresh.db'}"
    else:
        name = f"fresh_{tmp_path.name[-20:].replace('-', '_').lower()}"
        admin = make_engine(db.url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
        finally:
            admin.dispose()
        url = db.url.rsplit("/", 1)[0] + f"/{name}"
    code, out = run("db", "current", "--database-url", url)
    assert code == 0 and "at revision none" in out
    code, out = run("db", "upgrade", "--database-url", url)
    assert code == 0 and f"at revision {head()} (newest: {head()})" in out
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"accounts", "customers", "customer_eans", "customer_number_series", "alembic_version"} <= tables
