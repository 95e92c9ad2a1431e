"""Reading the one row a statement is about."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

T = TypeVar("T")


def one_or_raise(
    session: Session, stmt: Select[T], missing: Callable[[], Exception], *, lock: bool = False
) -> T:
    """The one row ``stmt`` selects, locked ``FOR UPDATE`` until the transaction ends when ``lock`` (SQLite
    takes the database lock with its write transaction instead); when there is none, ``missing()`` is raised."""
    if lock:
        stmt = stmt.with_for_update()
    found = session.scalars(stmt).one_or_none()
    if found is None:
        raise missing()
    return found
