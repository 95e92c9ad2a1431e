"""The account's error log over HTTP (source 003): its findings, and resolving one by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.api.deps import ProcessorDep
from app.api.problems import CREDENTIALS_REFUSED, problem_answers
from app.errorlog import service as errorlog
from app.processing.context import Context

router = APIRouter(tags=["processing"], responses=CREDENTIALS_REFUSED)


class ErrorOut(BaseModel):
    id: int
    order_id: str | None
    code: str
    field: str | None
    severity: Literal["error", "warning"]
    message: str
    hint: str | None
    value: str | None
    first_seen_at: datetime
    last_seen_at: datetime
    count: int
    resolved: bool
    resolved_at: datetime | None
    resolved_by: str | None


class ErrorPage(BaseModel):
    items: list[ErrorOut]
    total: int
    limit: int
    offset: int
    language: str


@router.get(
    "/v1/errors",
    response_model=ErrorPage,
    summary="The owner's error log: open findings by default, in the account's language",
    description="Source 003: every finding and failed validation per order, with the form field, a hint, "
    "first and last seen, count. Sending the order again after fixing the cause resolves it.",
)
def list_errors(
    processor: ProcessorDep,
    state: Literal["open", "resolved", "all"] = "open",
    order_id: Annotated[str | None, Query(max_length=100)] = None,
    code: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        rows, total = errorlog.entries(
            ctx.session,
            ctx.account.id,
            state=state,
            order_key=order_id,
            code=code,
            limit=limit,
            offset=offset,
        )
        return {
            "items": [errorlog.as_dict(r, ctx.language) for r in rows],
            "total": total,
            "limit": limit,
            "offset": offset,
            "language": ctx.language,
        }


@router.post(
    "/v1/errors/{entry_id}/resolve",
    response_model=ErrorOut,
    summary="Mark an error resolved by hand (e.g. an order that will never be sent again)",
    responses=problem_answers(404),
)
def resolve_error(processor: ProcessorDep, entry_id: int) -> dict[str, Any]:
    def resolve(ctx: Context) -> dict[str, Any]:
        entry = errorlog.resolve_entry(ctx.session, ctx.account.id, entry_id, ctx.clock.now())
        return errorlog.as_dict(entry, ctx.language)

    return processor.commit(resolve)
