"""Database sessions, account authentication and the admin key, as FastAPI dependencies.

Aliased in :mod:`app.api.deps` (``SessionDep``, ``AdminDep``); every account dependency there
(``AccountDep``, ``OptionalAccountDep``, ``CallerDep``, ``ProcessorDep``) authenticates through
:meth:`app.api.deps.Caller.account`, which calls :func:`authenticate_caller`.

Accounts authenticate with HTTP Basic: the client id as user name, the client key as password (the
credentials of source 004). The admin API takes ``Authorization: Bearer <NORDUBL_ADMIN_KEY>``.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.accounts.service import authenticate
from app.config import Settings, settings_dependency
from app.db import get_engine, session_factory
from app.errors import NordublError

client_credentials = HTTPBasic(
    scheme_name="clientCredentials",
    description="The account's client id as user name and its client key as password.",
    auto_error=False,
)
admin_bearer = HTTPBearer(
    scheme_name="adminKey",
    description="`Authorization: Bearer <NORDUBL_ADMIN_KEY>`; the admin API is off while the key is unset.",
    auto_error=False,
)

#: Keys that are examples, not secrets: the admin API stays off with them.
PLACEHOLDER_KEYS = frozenset({"changethis", "changeme", "change-me", "secret", "admin", "password", "test"})
MIN_ADMIN_KEY_LENGTH = 16


def get_session(settings: Annotated[Settings, Depends(settings_dependency)]) -> Iterator[Session]:
    """A session that begins no transaction until its first statement. A route that takes it must end
    that transaction (commit, or close) before it returns: FastAPI closes the session only after the
    answer, a thread hop later, and a transaction left open meanwhile holds a pooled connection (on
    SQLite, the write lock). The authenticated routes use :class:`app.api.deps.Caller` instead."""
    with session_factory(get_engine(settings.database_url))() as session:
        yield session


def authenticate_caller(settings: Settings, credentials: HTTPBasicCredentials) -> Account:
    """The account of these credentials (401 otherwise), looked up in a short read-only session of its
    own that is closed before the key check; the account comes back detached (see
    :func:`app.accounts.service.authenticate`)."""
    sessions = session_factory(get_engine(settings.database_url), read_only=True)
    account = authenticate(sessions, credentials.username, credentials.password)
    if account is None:
        raise unauthorized("wrong")
    return account


def unauthorized(variant: Literal["missing", "wrong", "admin"] = "missing") -> NordublError:
    """401: no credentials (``missing``), wrong ones (``wrong``), or no admin key (``admin``)."""
    return NordublError.of("auth.unauthorized", title="Unauthorized", status=401, variant=variant)


def _disabled(variant: Literal["unset", "weak"]) -> NordublError:
    return NordublError.of("admin.disabled", title="admin API disabled", status=503, variant=variant)


def require_admin(
    settings: Annotated[Settings, Depends(settings_dependency)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)],
) -> None:
    if settings.admin_key is None:
        raise _disabled("unset")
    key = settings.admin_key.get_secret_value()
    if key.strip().lower() in PLACEHOLDER_KEYS or len(key) < MIN_ADMIN_KEY_LENGTH:
        raise _disabled("weak")
    if credentials is None or not hmac.compare_digest(credentials.credentials.encode(), key.encode()):
        raise unauthorized("admin")
