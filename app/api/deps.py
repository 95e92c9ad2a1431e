"""Dependencies as ``Annotated`` aliases: a route's signature reads as the list of what it needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import anyio.from_thread
from fastapi import Depends, Request
from fastapi.security import HTTPBasicCredentials
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.api.auth import authenticate_caller, client_credentials, get_session, require_admin, unauthorized
from app.codes import issue
from app.config import Settings, settings_dependency
from app.db import get_engine, session_factory
from app.errors import NordublError
from app.processing.clock import Clock, get_clock
from app.processing.context import Context, Runner
from app.store.blobs import BlobStore, get_blob_store
from app.validation.service import ValidationService

T = TypeVar("T")


async def get_validation(request: Request) -> ValidationService:
    svc: ValidationService = request.app.state.validation
    return svc


SettingsDep = Annotated[Settings, Depends(settings_dependency)]
ValidationDep = Annotated[ValidationService, Depends(get_validation)]
SessionDep = Annotated[Session, Depends(get_session)]
#: The admin key (``Authorization: Bearer``); 503 while NORDUBL_ADMIN_KEY is unset.
AdminDep = Annotated[None, Depends(require_admin)]


async def read_body(request: Request, limit: int, what: str, setting: str) -> bytes:
    """Read the body with a running counter: refuses past ``limit`` with or without Content-Length."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared), limit, what, setting)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(size, limit, what, setting)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(size: int, limit: int, what: str, setting: str) -> NordublError:
    return NordublError(
        title="Request body too large",
        status=413,
        issues=[
            issue(
                "input.too_large",
                "body",
                params={
                    "what": what,
                    "size": str(size),
                    "setting": setting,
                    "setting_env": setting.upper(),
                    "limit": str(limit),
                },
            )
        ],
    )


# -- order processing and the document store (docs/processing.md) ---------------------------------------


async def get_blobs(settings: SettingsDep) -> BlobStore:
    return get_blob_store(settings)


#: The clock processing reads (trial period, error log); tests override ``get_clock``.
ClockDep = Annotated[Clock, Depends(get_clock)]
#: The blob store of the document store: the folder ``blob_dir``, or S3 when ``blob_s3_bucket`` is set.
BlobStoreDep = Annotated[BlobStore, Depends(get_blobs)]


def validation_runner(validation: ValidationService) -> Runner:
    """Run ``fn(engine, *args)`` through the validation service from a worker thread of the event loop."""

    def run(fn: Callable[..., Any], *args: Any) -> Any:
        return anyio.from_thread.run(validation.call, fn, *args)

    return run


@dataclass
class Database:
    """The configured database, opened by the route in its own worker thread: each session's transaction
    ends when the ``with`` block does, so no request holds a connection or a lock across a thread hop."""

    settings: Settings

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (SQLite: plain deferred reads, no write lock; a write fails)."""
        with session_factory(get_engine(self.settings.database_url), read_only=True)() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for a request that writes: on SQLite its first statement takes the write lock
        (``BEGIN IMMEDIATE``) until it commits; keep the work between the first statement and the commit
        short, and within one thread."""
        with session_factory(get_engine(self.settings.database_url))() as session:
            yield session


async def get_database(settings: SettingsDep) -> Database:
    return Database(settings)


#: The database, for routes that open their sessions themselves (``with db.read() as session``).
DatabaseDep = Annotated[Database, Depends(get_database)]


@dataclass
class Caller:
    """The calling account's credentials and the database, before anything is opened: the authentication
    and the session happen in :meth:`read` (a request that only reads) or :meth:`write` (one that writes),
    in the one worker thread that does the request's database work. A request never holds a connection or
    a database lock while it waits for another thread, nor while the key is checked."""

    settings: Settings
    credentials: HTTPBasicCredentials | None
    #: The authenticated account (detached), looked up once per request.
    _caller: Account | None = field(default=None, init=False, repr=False)

    @property
    def authenticated(self) -> bool:
        return self.credentials is not None

    def account(self) -> Account:
        """The calling account, detached (401 without valid credentials): looked up in a short read-only
        session of its own, closed before the key check."""
        if self.credentials is None:
            raise unauthorized()
        if self._caller is None:
            self._caller = authenticate_caller(self.settings, self.credentials)
        return self._caller

    @contextmanager
    def read(self) -> Iterator[tuple[Session, Account]]:
        """A read-only session (SQLite: deferred reads, no write lock; a write fails) and the account."""
        with self._session(read_only=True) as opened:
            yield opened

    @contextmanager
    def write(self) -> Iterator[tuple[Session, Account]]:
        """A session for a request that writes (SQLite: its first statement takes the write lock, held
        until the commit) and the account; the session closes after."""
        with self._session(read_only=False) as opened:
            yield opened

    @contextmanager
    def _session(self, *, read_only: bool) -> Iterator[tuple[Session, Account]]:
        caller = self.account()
        engine = get_engine(self.settings.database_url)
        with session_factory(engine, read_only=read_only)() as session:
            # the request's own copy, read in its transaction (the series a customer number comes from
            # included), not the detached one of the look-up
            account = session.get(Account, caller.id)
            if account is None:  # deleted since the look-up
                raise unauthorized("wrong")
            yield session, account


async def get_optional_caller(
    settings: SettingsDep,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(client_credentials)],
) -> Caller:
    return Caller(settings, credentials)


async def get_caller(caller: Annotated[Caller, Depends(get_optional_caller)]) -> Caller:
    if not caller.authenticated:
        raise unauthorized()
    return caller


def get_optional_account(caller: Annotated[Caller, Depends(get_optional_caller)]) -> Account | None:
    """The calling account, None without credentials; wrong credentials are refused, never anonymous.
    Detached: no session stays open behind it (a route that needs the database opens its own). A plain
    function, so FastAPI runs it in a worker thread: the key check is scrypt, tens of milliseconds of CPU
    by design (:func:`app.accounts.service.authenticate`)."""
    return caller.account() if caller.authenticated else None


def get_account(caller: Annotated[Caller, Depends(get_caller)]) -> Account:
    return caller.account()


#: The calling account (HTTP Basic: client id, client key); 401 problem+json without valid credentials.
AccountDep = Annotated[Account, Depends(get_account)]
#: The calling account, or None when the request carries no credentials (wrong ones still answer 401).
OptionalAccountDep = Annotated[Account | None, Depends(get_optional_account)]


#: The calling account's database work (``with caller.read() as (session, account)``); 401 without
#: credentials.
CallerDep = Annotated[Caller, Depends(get_caller)]


@dataclass
class Processor(Caller):
    """:class:`Caller` with what order processing needs besides: the clock, the blob store and the
    validation service, as a :class:`~app.processing.context.Context`."""

    clock: Clock
    blobs: BlobStore
    validation: ValidationService

    @contextmanager
    def open(self, *, read_only: bool = False) -> Iterator[Context]:
        """The calling account's context (401 without valid credentials); the session closes after. A
        request that writes: on SQLite the session's first statement takes the write lock. ``read_only``,
        a request that only reads: a read-only session, no write lock (a write fails)."""
        with self._session(read_only=read_only) as (session, account):
            yield Context(session, account, self.clock, self.blobs, validation_runner(self.validation))

    def call(self, fn: Callable[[Context], T]) -> T:
        with self.open() as ctx:
            return fn(ctx)

    def query(self, fn: Callable[[Context], T]) -> T:
        """``fn`` in a read-only context (no write lock)."""
        with self.open(read_only=True) as ctx:
            return fn(ctx)

    def commit(self, fn: Callable[[Context], T]) -> T:
        """``fn`` in a context that writes, committed after it (rolled back when it raises)."""
        with self.open() as ctx:
            out = fn(ctx)
            ctx.session.commit()
            return out


async def get_processor(
    caller: Annotated[Caller, Depends(get_optional_caller)],
    clock: ClockDep,
    blobs: BlobStoreDep,
    validation: ValidationDep,
) -> Processor:
    return Processor(caller.settings, caller.credentials, clock, blobs, validation)


async def get_required_processor(processor: Annotated[Processor, Depends(get_processor)]) -> Processor:
    if not processor.authenticated:
        raise unauthorized()
    return processor


#: Processing for the calling account (``with processor.open() as ctx``, ``open(read_only=True)`` for a
#: request that only reads); 401 without credentials.
ProcessorDep = Annotated[Processor, Depends(get_required_processor)]
