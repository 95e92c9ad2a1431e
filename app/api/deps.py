"""Dependencies as ``Annotated`` aliases: a route's signature reads as the list of what it needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import anyio.from_thread
from fastapi import Depends, Request
from fastapi.security import HTTPBasicCredentials
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.accounts.service import authenticate
from app.api.auth import (
    client_credentials,
    get_account,
    get_optional_account,
    get_session,
    require_admin,
    unauthorized,
)
from app.config import Settings, settings_dependency
from app.db import get_engine, session_factory
from app.errors import Issue, NordublError
from app.processing.clock import Clock, get_clock
from app.processing.pipeline import Context, Runner
from app.store.blobs import BlobStore, get_blob_store
from app.validation.service import ValidationService

T = TypeVar("T")


async def get_validation(request: Request) -> ValidationService:
    svc: ValidationService = request.app.state.validation
    return svc


SettingsDep = Annotated[Settings, Depends(settings_dependency)]
ValidationDep = Annotated[ValidationService, Depends(get_validation)]
SessionDep = Annotated[Session, Depends(get_session)]
#: The calling account (HTTP Basic: client id, client key); 401 problem+json without valid credentials.
AccountDep = Annotated[Account, Depends(get_account)]
#: The calling account, or None when the request carries no credentials (wrong ones still answer 401).
OptionalAccountDep = Annotated[Account | None, Depends(get_optional_account)]
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
            Issue(
                code="input.too_large",
                severity="fatal",
                message=f"The {what} is at least {size} bytes; the limit ({setting}) is {limit} bytes.",
                field="body",
                hint=f"Send a smaller {what}, or raise NORDUBL_{setting.upper()} on the server.",
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
class Processor:
    """What a processing request needs, before anything is opened: the database session and the
    authentication happen in :meth:`open`, in the one worker thread that does the whole request. A request
    never holds a connection or a database lock while it waits for another thread."""

    settings: Settings
    credentials: HTTPBasicCredentials | None
    clock: Clock
    blobs: BlobStore
    validation: ValidationService

    @property
    def authenticated(self) -> bool:
        return self.credentials is not None

    @contextmanager
    def open(self) -> Iterator[Context]:
        """The calling account's context (401 without valid credentials); the session closes after."""
        if self.credentials is None:
            raise unauthorized("This endpoint needs the account's client id and client key.")
        with session_factory(get_engine(self.settings.database_url))() as session:
            account = authenticate(session, self.credentials.username, self.credentials.password)
            if account is None:
                raise unauthorized(
                    "The client id or the client key is wrong (a rotated key no longer works)."
                )
            session.commit()  # end the look-up's transaction (SQLite: release the lock)
            yield Context(session, account, self.clock, self.blobs, validation_runner(self.validation))

    def call(self, fn: Callable[[Context], T]) -> T:
        with self.open() as ctx:
            return fn(ctx)


async def get_processor(
    settings: SettingsDep,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(client_credentials)],
    clock: ClockDep,
    blobs: BlobStoreDep,
    validation: ValidationDep,
) -> Processor:
    return Processor(settings, credentials, clock, blobs, validation)


async def get_required_processor(processor: Annotated[Processor, Depends(get_processor)]) -> Processor:
    if not processor.authenticated:
        raise unauthorized("This endpoint needs the account's client id and client key.")
    return processor


#: Processing for the calling account (``with processor.open() as ctx``); 401 without credentials.
ProcessorDep = Annotated[Processor, Depends(get_required_processor)]
#: The same, unauthenticated when the request carries no credentials (the demo behaviour of /v1/orders).
OptionalProcessorDep = Annotated[Processor, Depends(get_processor)]
