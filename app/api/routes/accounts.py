"""Accounts: the admin API (``/v1/admin/accounts``, admin key) and ``GET /v1/account`` (the caller's own)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.models import Account
from app.accounts.profile import STORED
from app.accounts.settings import AccountSettings
from app.api.auth import require_admin
from app.api.deps import AccountDep, DatabaseDep
from app.api.problems import problem_answers
from app.processing import account as processing
from app.processing.settings import ProcessingSettingsIn, ProcessingSettingsOut

router = APIRouter(tags=["accounts"])
admin_router = APIRouter(
    prefix="/v1/admin/accounts",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=problem_answers(
        (401, "No or a wrong admin key"), (503, "admin API disabled (NORDUBL_ADMIN_KEY unset)")
    ),
)

ACCOUNT_EXAMPLE: dict[str, Any] = {
    "seller": {
        "country": "NO",
        "org_number": "991825827",
        "name": "Fjellstua Kurs og Konferanse AS",
        "address": "Storgata 12",
        "postcode": "0155",
        "city": "Oslo",
        "payment_terms_days": 14,
    },
    "payment_terms": {"1": 14, "2": 30},
    "process_orders_from": "2026-01-01",
    "customers": {"number_strategy": "erp_series", "number_series": {"prefix": "K", "next": 10001}},
}


class AccountOut(AccountSettings):
    id: int
    client_id: str
    created_at: datetime
    updated_at: datetime
    key_rotated_at: datetime


class AccountWithKey(AccountOut):
    client_key: str


def _out(account: Account) -> dict[str, Any]:
    return service.as_dict(account)


def _answer(model: type[AccountOut], data: Any, status_code: int = 200) -> JSONResponse:
    """``data`` as ``model`` answers it, read with the :data:`STORED` context: a setting written before a
    check was made stricter is shown (and can be corrected) instead of failing the answer."""
    body = model.model_validate(data, context=STORED).model_dump(mode="json")
    return JSONResponse(body, status_code=status_code)


def _get(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise service.not_found(account_id)
    return account


@admin_router.post(
    "",
    status_code=201,
    response_model=AccountWithKey,
    summary="Create an account; the answer holds its client key, shown this once",
)
def create_account(
    db: DatabaseDep,
    settings: Annotated[AccountSettings, Body(openapi_examples={"norway": {"value": ACCOUNT_EXAMPLE}})],
) -> JSONResponse:
    with db.write() as session:
        account, key = service.create_account(session, settings)
        session.commit()
        return _answer(AccountWithKey, {**_out(account), "client_key": key}, status_code=201)


class AccountPage(BaseModel):
    """One page of accounts: the envelope every list of the API answers (``items``, ``total``, ``limit``,
    ``offset``)."""

    items: list[AccountOut]
    total: int
    limit: int
    offset: int


@admin_router.get("", response_model=AccountPage, summary="List accounts")
def list_accounts(
    db: DatabaseDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    with db.read() as session:
        accounts = session.scalars(select(Account).order_by(Account.id).limit(limit).offset(offset))
        total = session.scalar(select(func.count()).select_from(Account)) or 0
        items = [AccountOut.model_validate(_out(a), context=STORED).model_dump(mode="json") for a in accounts]
        return JSONResponse({"items": items, "total": total, "limit": limit, "offset": offset})


@admin_router.get(
    "/{account_id}", response_model=AccountOut, summary="One account", responses=problem_answers(404)
)
def get_account(db: DatabaseDep, account_id: int) -> JSONResponse:
    with db.read() as session:
        return _answer(AccountOut, _out(_get(session, account_id)))


@admin_router.patch(
    "/{account_id}",
    response_model=AccountOut,
    summary="Change an account's settings (JSON merge patch)",
    description="RFC 7386: objects merge key by key, `null` resets a setting to its default, "
    "`payment_terms` is replaced whole. The result is validated as a whole before anything is written; "
    "`customers.number_series.next` changes only when the patch names it.",
    responses=problem_answers(404, 422),
)
def patch_account(
    db: DatabaseDep,
    account_id: int,
    patch: Annotated[
        dict[str, Any],
        Body(
            openapi_examples={
                "automatic": {"value": {"mode": "automatic"}},
                "b2c shared": {
                    "value": {
                        "customers": {"b2c": {"identify_by": "shared", "shared_customer_name": "B2C webshop"}}
                    }
                },
            }
        ),
    ],
) -> JSONResponse:
    with db.write() as session:
        account = service.update_account(session, _get(session, account_id), patch)
        session.commit()
        return _answer(AccountOut, _out(account))


@admin_router.post(
    "/{account_id}/rotate-key",
    response_model=AccountWithKey,
    summary="Give the account a new client key (shown this once); the old key stops working",
    responses=problem_answers(404),
)
def rotate_key(db: DatabaseDep, account_id: int) -> JSONResponse:
    with db.write() as session:
        account = _get(session, account_id)
        key = service.rotate_key(session, account)
        session.commit()
        return _answer(AccountWithKey, {**_out(account), "client_key": key})


@admin_router.get(
    "/{account_id}/processing",
    response_model=ProcessingSettingsOut,
    summary="An account's processing settings",
    responses=problem_answers(404),
)
def get_processing(db: DatabaseDep, account_id: int) -> dict[str, Any]:
    with db.read() as session:
        return processing.settings_out(session, _get(session, account_id).id)


@admin_router.put(
    "/{account_id}/processing",
    response_model=ProcessingSettingsOut,
    summary="Replace an account's processing settings, the trial period included",
    description="As `PUT /v1/account/processing`, with the operator's authority: `trial_days` may be set "
    "below the 14 days of source 003, which the account itself cannot do.",
    responses=problem_answers(404, 409, 422),
)
def put_processing(
    db: DatabaseDep, account_id: int, body: Annotated[ProcessingSettingsIn, Body()]
) -> dict[str, Any]:
    with db.write() as session:
        account = _get(session, account_id)
        out = processing.save_settings(session, account.id, body.model_dump(mode="json"), operator=True)
        session.commit()
        return out


@router.get(
    "/v1/account",
    response_model=AccountOut,
    summary="The calling account's settings",
    responses=problem_answers(401),
)
def own_account(account: AccountDep) -> JSONResponse:
    # AccountDep's account is detached, its settings and number series loaded: no session is needed
    return _answer(AccountOut, _out(account))
