"""Databases for the accounts and customers tests: SQLite files and one real PostgreSQL server.

The PostgreSQL server is started once per test session on loopback (initdb + pg_ctl in a temporary folder,
on a free port, no fsync) and stopped at the end. Each test module gets a fresh database: for PostgreSQL
``CREATE DATABASE ... TEMPLATE`` of one migrated template, for SQLite a copy of one migrated file.

Without the PostgreSQL server binaries the PostgreSQL tests fail (CI installs Debian's ``postgresql``).
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, session_factory
from app.db.migrate import upgrade

BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count(1)


def _bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PostgresServer:
    """A throw-away PostgreSQL cluster owned by this test session."""

    def __init__(self) -> None:
        self.running = False
        bindir = _bindir()
        if bindir is None:
            pytest.fail(
                "PostgreSQL server binaries (initdb, pg_ctl) are not installed, so the PostgreSQL half of the "
                "database tests cannot run. Install them: apt-get install -y postgresql (.ci/run does this).",
                pytrace=False,
            )
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="nordubl-pg-"))
        # initdb refuses to run as root: then the cluster belongs to the postgres system user
        self.run_as = "postgres" if os.geteuid() == 0 else None
        if self.run_as:
            pw = pwd.getpwnam(self.run_as)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self.data = self.root / "data"
        self.port = _free_port()
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "nordubl",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start"
        )
        self.running = True
        atexit.register(self.stop)  # also when the session ends abnormally
        self.template = "nordubl_template"
        self.execute(f"CREATE DATABASE {self.template}")
        engine = make_engine(self.url(self.template))
        try:
            upgrade(engine)
        finally:
            engine.dispose()

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            pytest.fail(
                f"{tool} failed ({result.returncode}): {result.stderr or result.stdout}\n{tail}",
                pytrace=False,
            )

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://nordubl@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=nordubl dbname=postgres", autocommit=True
        ) as c:
            c.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        name = f"nordubl_test_{next(_counter)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return name

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


class _Shared:
    """One server and one migrated SQLite file per session, shared by the conftests that import these."""

    lock = threading.Lock()
    server: PostgresServer | None = None
    users = 0
    sqlite_template: Path | None = None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with _Shared.lock:
        if _Shared.server is None:
            _Shared.server = PostgresServer()
        _Shared.users += 1
        server = _Shared.server
    yield server
    with _Shared.lock:
        _Shared.users -= 1
        if _Shared.users == 0 and _Shared.server is not None:
            _Shared.server.stop()
            _Shared.server = None


def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with _Shared.lock:
        if _Shared.sqlite_template is None or not _Shared.sqlite_template.exists():
            path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
            engine = make_engine(f"sqlite:///{path}")
            try:
                upgrade(engine)
            finally:
                engine.dispose()  # closing the last connection checkpoints the WAL into the file
            assert not path.with_name(path.name + "-wal").exists()
            _Shared.sqlite_template = path
        return _Shared.sqlite_template


@dataclass
class Database:
    """A fresh, migrated database of one backend, with an engine sized for the concurrency tests."""

    backend: str
    url: str
    engine: Engine
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)

    def session(self) -> Session:
        return self.sessions()

    def scalar(self, sql: str, **params: Any) -> Any:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params: Any) -> list[Any]:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("pg_server")
        url = server.url(server.create_database())
    else:
        path = tmp_path_factory.mktemp("sqlite") / "nordubl.db"
        shutil.copyfile(_sqlite_template(tmp_path_factory), path)
        url = f"sqlite:///{path}"
    engine = make_engine(url, pool_size=60, max_overflow=0, pool_timeout=60)
    try:
        yield Database(request.param, url, engine)
    finally:
        engine.dispose()


# -- accounts for the tests ----------------------------------------------------------------------------

SELLER_NO: dict[str, Any] = {
    "country": "NO",
    "org_number": "991825827",
    "name": "Fjellstua Kurs og Konferanse AS",
    "address": "Storgata 12",
    "postcode": "0155",
    "city": "Oslo",
}
SELLER_DK: dict[str, Any] = {
    "country": "DK",
    "org_number": "13585628",
    "name": "Webshoppen ApS",
    "address": "Vesterbrogade 1",
    "postcode": "1620",
    "city": "København V",
}


@dataclass(frozen=True)
class NewAccount:
    id: int
    client_id: str
    client_key: str


def new_account(db: Database, customers: dict[str, Any] | None = None, **settings: Any) -> NewAccount:
    """An account with ``customers`` settings, committed; its key is known to the test."""
    from app.accounts.service import create_account, parse_settings

    document = {"seller": SELLER_DK, **settings, "customers": customers or {}}
    with db.session() as session:
        account, key = create_account(session, parse_settings(document))
        session.commit()
        return NewAccount(account.id, account.client_id, key)


def resolve(db: Database, account_id: int, **customer: Any) -> Any:
    """resolve_customer for a form customer block, in its own committed transaction."""
    from app.accounts.models import Account
    from app.customers.resolve import resolve_customer
    from app.forms.models import Customer

    fields = {"first_name": "Kari", "last_name": "Nordmann", "country": "DK", **customer}
    with db.session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        result = resolve_customer(session, account, Customer.model_validate(fields))
        session.commit()
        return result


def customer_row(db: Database, customer_id: int) -> dict[str, Any]:
    from app.customers.models import CustomerRecord

    with db.session() as session:
        record = session.get(CustomerRecord, customer_id)
        assert record is not None
        row = {c.key: getattr(record, c.key) for c in CustomerRecord.__table__.columns}
        row["eans"] = [e.ean for e in record.eans]
        return row


def count_customers(db: Database, account_id: int) -> int:
    return int(db.scalar("SELECT count(*) FROM customers WHERE account_id = :a", a=account_id))


# -- the HTTP API over a test database ---------------------------------------------------------------

ADMIN_KEY = "test-admin-key-0123456789abcdef"


@dataclass
class Api:
    """The real application (create_app) with its settings pointed at the test database."""

    client: Any
    db: Database
    settings: Any

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {ADMIN_KEY}"}

    def create_account(self, customers: dict[str, Any] | None = None, **settings: Any) -> dict[str, Any]:
        body = {"seller": SELLER_DK, **settings, "customers": customers or {}}
        response = self.client.post("/v1/admin/accounts", json=body, headers=self.admin())
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


@pytest.fixture(scope="module")
def api(db: Database) -> Iterator[Api]:
    from fastapi.testclient import TestClient

    from app.api.main import create_app
    from app.config import Settings, settings_dependency
    from app.db import dispose_engines

    app = create_app()
    settings = Settings(database_url=db.url, admin_key=ADMIN_KEY)  # type: ignore[arg-type]
    app.dependency_overrides[settings_dependency] = lambda: settings
    client = TestClient(app)
    try:
        yield Api(client, db, settings)
    finally:
        client.close()
        dispose_engines()
