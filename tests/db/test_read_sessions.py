"""Reads never wait for a writer: read-only sessions and the authentication of every route, on SQLite and
PostgreSQL, while another transaction holds the write lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a row
lock on the same account)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import Api, Database, new_account
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError

from app.accounts.models import Account
from app.db import make_engine, session_factory

#: How long a read may take while the writer holds its lock before the test calls it stuck: only a cap,
#: a read that does not wait finishes in milliseconds; a waiting one waits out SQLite's 30 s busy timeout.
CAP_S = 25.0


@contextmanager
def writer_holding_the_lock(db: Database, account_id: int) -> Iterator[None]:
    """A write transaction that changed the account's row and has not committed."""
    with db.session() as session:
        session.execute(update(Account).where(Account.id == account_id).values(mail_subject="held"))
        try:
            yield
        finally:
            session.rollback()


def finishes_while_held(fn: Callable[[], Any]) -> Any:
    """``fn()`` in another thread; it must finish while the caller still holds the write lock."""
    out: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(CAP_S)
    assert not thread.is_alive(), f"the read waited for the writer (still waiting after {CAP_S:g} s)"
    assert not errors, errors
    return out[0]


def test_a_read_only_session_does_not_wait_for_the_writer(db: Database) -> None:
    account = new_account(db)
    reader = session_factory(db.engine, read_only=True)

    def read() -> str | None:
        with reader() as session:
            return session.scalar(select(Account.mail_subject).where(Account.id == account.id))

    with writer_holding_the_lock(db, account.id):
        subject = finishes_while_held(read)
    assert subject != "held"  # the committed state, not the writer's


def test_authentication_does_not_wait_for_the_writer(api: Api) -> None:
    created = api.create_account()
    auth = (created["client_id"], created["client_key"])
    assert api.client.get("/v1/customers", auth=auth).status_code == 200  # the key check is done once

    with writer_holding_the_lock(api.db, created["id"]):
        own = finishes_while_held(lambda: api.client.get("/v1/account", auth=auth))
        customers = finishes_while_held(lambda: api.client.get("/v1/customers", auth=auth))
    assert own.status_code == 200, own.text
    assert own.json()["client_id"] == created["client_id"]
    assert customers.status_code == 200, customers.text


def test_sqlite_refuses_a_write_in_a_read_only_session_and_the_connection_writes_again_after(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", pool_size=1, max_overflow=0)  # one connection
    try:
        with session_factory(engine)() as session:
            session.execute(text("CREATE TABLE t (x INTEGER)"))
            session.commit()
        with (
            session_factory(engine, read_only=True)() as session,
            pytest.raises(OperationalError, match="readonly"),
        ):
            session.execute(text("INSERT INTO t VALUES (1)"))
        with session_factory(engine)() as session:  # the same pooled connection, writing again
            session.execute(text("INSERT INTO t VALUES (2)"))
            session.commit()
        with session_factory(engine, read_only=True)() as session:
            assert session.scalars(text("SELECT x FROM t")).all() == [2]
    finally:
        engine.dispose()
