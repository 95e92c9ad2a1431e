"""Dependencies as ``Annotated`` aliases: a route's signature reads as the list of what it needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.api.auth import get_account, get_optional_account, get_session, require_admin
from app.config import Settings, get_settings
from app.errors import Issue, NordublError
from app.validation.service import ValidationService


def get_validation(request: Request) -> ValidationService:
    svc: ValidationService = request.app.state.validation
    return svc


SettingsDep = Annotated[Settings, Depends(get_settings)]
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
