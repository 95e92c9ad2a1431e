"""Shop orders over HTTP: processing a shop order, its preview, the shop's status changes and an order's
state. Every creating POST takes ``Idempotency-Key``."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import ProcessorDep, SettingsDep, read_body
from app.api.examples import SHOP_FORM_EXAMPLE, form_body
from app.api.previews import preview
from app.api.problems import CREDENTIALS_REFUSED, Problem, problem_answers
from app.api.stored import (
    CREATED,
    ORDER_STATE,
    IdempotencyKeyHeader,
    outcome_headers,
    request_path,
    run_idempotent,
)
from app.api.summaries import outcome_body, outcome_status
from app.db import get_engine
from app.forms.loader import load_form_bytes
from app.processing import pipeline
from app.processing.context import Context

router = APIRouter(tags=["processing"], responses=CREDENTIALS_REFUSED)

SHOP_FORM_BODY = {"requestBody": form_body(SHOP_FORM_EXAMPLE)}


@router.post(
    "/v1/shop-orders",
    summary="Process a shop order: preflight, customer, order document, invoice at the account's statuses",
    description="The form with the shop's `order_status` (and `payment_terms_id`). Answers 201 with the "
    "documents produced, 200 when the same order was processed before (a newer status moves it on), 202 "
    "with status `skipped` for an order registered before `process_orders_from`, 409 for the same order id "
    "with other content, 422 with the findings (also in `GET /v1/errors`) when a check blocks it.",
    openapi_extra=SHOP_FORM_BODY,
    responses={
        200: {"description": "Processed before: the same answer again", "headers": ORDER_STATE},
        201: {"description": "Documents produced now", "headers": CREATED},
        202: {"description": "Skipped: registered before process_orders_from", "headers": ORDER_STATE},
        409: {"model": Problem},
        422: {"model": Problem},
    },
)
async def create_shop_order(
    request: Request, processor: ProcessorDep, settings: SettingsDep, key: IdempotencyKeyHeader = None
) -> Response:
    raw = await read_body(request, settings.max_form_bytes, "form", "max_form_bytes")
    method, path = request.method, request_path(request)

    def work(ctx: Context) -> Response:
        outcome = pipeline.submit_order(ctx, pipeline.load_form(ctx, raw))
        return JSONResponse(outcome_body(outcome), outcome_status(outcome), outcome_headers(outcome))

    return await to_thread.run_sync(
        processor.call,
        lambda ctx: run_idempotent(
            ctx, method, path, key, raw, work, processor.settings.idempotency_lock_seconds
        ),
    )


@router.post(
    "/v1/preview",
    summary="Preview a shop order with the account's own settings: nothing is stored, numbered or sent",
    description="The same form as `POST /v1/shop-orders`, through the same checks, customer look-up, "
    "catalogue, fee mappings, profiles and number series, with every write rolled back: no customer, "
    "customer or invoice number, order, document, error-log entry, mail or webhook is kept. Answers 200 "
    "with the documents the order would produce (their XML, validated with the official rules; the "
    "invoice's PDF with `?pdf=true`, marked as a draft) and the warnings, or 422 with the findings that "
    "would block it. `?invoice=true` makes the invoice whatever the order status, as `POST /v1/invoices` "
    "does. Numbers shown are the ones the documents would get now; they stay free.",
    openapi_extra=SHOP_FORM_BODY,
    responses=problem_answers(409, 422),
)
async def preview_shop_order(
    request: Request,
    processor: ProcessorDep,
    settings: SettingsDep,
    invoice: Annotated[bool, Query(description="Make the invoice now, whatever the order status")] = False,
    pdf: Annotated[bool, Query(description="Add the invoice's or credit note's PDF, base64")] = False,
) -> JSONResponse:
    raw = await read_body(request, settings.max_form_bytes, "form", "max_form_bytes")
    form = load_form_bytes(raw)  # a refused form is answered, not logged: a preview keeps nothing
    account = await to_thread.run_sync(processor.account)
    engine = get_engine(settings.database_url)
    answer = await to_thread.run_sync(
        preview, engine, account.id, processor.clock, processor.validation, form, invoice, pdf
    )
    return JSONResponse(answer)


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Annotated[str, Field(min_length=1, max_length=50, examples=["completed"])]


@router.put(
    "/v1/orders/{external_id}/status",
    summary="The shop's order status changed: invoice it, credit it, or only record it",
    description="At one of the account's `invoice_statuses` an accepted order gets its invoice; at one of "
    "its `cancel_statuses` an invoiced order gets a credit note. Repeating a status changes nothing.",
    responses={
        200: {"description": "Recorded; nothing new was due", "headers": ORDER_STATE},
        201: {"description": "The invoice or credit note produced now", "headers": CREATED},
        404: {"model": Problem},
        422: {"model": Problem},
    },
)
def put_order_status(processor: ProcessorDep, external_id: str, body: StatusIn) -> JSONResponse:
    with processor.open() as ctx:
        outcome = pipeline.update_status(ctx, external_id, body.status)
        return JSONResponse(outcome_body(outcome), 201 if outcome.created else 200, outcome_headers(outcome))


@router.get(
    "/v1/orders/{external_id}",
    summary="One order of the calling account: its state, shop status and documents",
    responses=problem_answers(404),
)
def get_order(processor: ProcessorDep, external_id: str) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        return outcome_body(pipeline.order_outcome(ctx, external_id))
