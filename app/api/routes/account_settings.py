"""The account's processing settings over HTTP: statuses and checks, draft or automatic mode and the
trial period, the webhook, and the shop's payment terms."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, ConfigDict, Field

from app.accounts.settings import PaymentTermId
from app.api.deps import ProcessorDep
from app.api.problems import CREDENTIALS_REFUSED, problem_answers
from app.processing import account as accounts
from app.processing.settings import ProcessingSettingsIn, ProcessingSettingsOut

router = APIRouter(tags=["processing"], responses=CREDENTIALS_REFUSED)


@router.get("/v1/account/processing", response_model=ProcessingSettingsOut, summary="Processing settings")
def get_processing_settings(processor: ProcessorDep) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        return accounts.settings_out(ctx.session, ctx.account.id)


@router.put(
    "/v1/account/processing",
    response_model=ProcessingSettingsOut,
    summary="Replace the processing settings",
    description="Invoicing and cancelling statuses, block or warn per finding code, products created on the "
    "fly, profiles, the trial period (`trial_days`, `clean_days`) and the invoice-number series (`next` "
    "never below a number already given: 409). `trial_days` never goes below 14 (source 003), nor below "
    "fewer days the operator set (`PUT /v1/admin/accounts/{id}/processing`): 422 `processing.trial_floor`.",
    responses=problem_answers(409, 422),
)
def put_processing_settings(
    processor: ProcessorDep, body: Annotated[ProcessingSettingsIn, Body()]
) -> dict[str, Any]:
    settings = body.model_dump(mode="json")
    return processor.commit(lambda ctx: accounts.save_settings(ctx.session, ctx.account.id, settings))


class ModeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["draft", "automatic"]


class ModeOut(BaseModel):
    mode: Literal["draft", "automatic"]
    draft_since: datetime | None
    days_in_draft: int | None
    trial_days: int
    clean_days: int
    automatic_from: datetime | None
    unresolved_errors: int
    can_switch_to_automatic: bool


@router.get("/v1/account/mode", response_model=ModeOut, summary="Draft or automatic, and the trial period")
def get_mode(processor: ProcessorDep) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        return accounts.trial_status(ctx.session, ctx.account, ctx.clock.now())


@router.put(
    "/v1/account/mode",
    response_model=ModeOut,
    summary="Switch between draft and automatic mode",
    description="Source 003: automatic mode only after `trial_days` (14) in draft mode and no unresolved "
    "error seen in the last `clean_days` (7); refused earlier with 409 and the reason. Back to draft is "
    "always allowed and starts a new trial period.",
    responses=problem_answers(409),
)
def put_mode(processor: ProcessorDep, body: ModeIn) -> dict[str, Any]:
    # a refused switch is rolled back with the session: nothing of it is kept
    return processor.commit(
        lambda ctx: accounts.switch_mode(ctx.session, ctx.account, body.mode, ctx.clock.now())
    )


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: Annotated[
        str, Field(min_length=1, max_length=2000, examples=["https://erp.example.no/hooks/nordubl"])
    ]
    secret: Annotated[str, Field(min_length=16, max_length=200)] | None = Field(
        None, description="HMAC-SHA256 key of the signatures; default: a new random one, answered once"
    )


class WebhookOut(BaseModel):
    url: str | None
    secret: str | None = Field(None, description="Only in the answer of PUT")


@router.get("/v1/account/webhook", response_model=WebhookOut, summary="The webhook URL (never the secret)")
def get_webhook(processor: ProcessorDep) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        hook = accounts.webhook_of(ctx.session, ctx.account.id)
        return {"url": hook[0] if hook else None, "secret": None}


@router.put(
    "/v1/account/webhook",
    response_model=WebhookOut,
    summary="Set the webhook URL and secret",
    description="Every processed order is posted there (an outbox row, retried with backoff), signed with "
    "HMAC-SHA256: header `Nordubl-Signature: t=<unix time>,v1=<hex of HMAC(secret, t + '.' + body)>`.",
    responses=problem_answers(422),
)
def put_webhook(processor: ProcessorDep, body: WebhookIn) -> dict[str, Any]:
    return processor.commit(
        lambda ctx: accounts.set_webhook(ctx.session, ctx.account.id, body.url, body.secret)
    )


@router.delete("/v1/account/webhook", status_code=204, summary="Remove the webhook")
def delete_webhook(processor: ProcessorDep) -> Response:
    processor.commit(lambda ctx: accounts.clear_webhook(ctx.session, ctx.account.id))
    return Response(status_code=204)


@router.put(
    "/v1/account/payment-terms",
    summary="Replace the shop's payment-term id → days mapping",
    description="Source 003: the shop renumbered its payment terms; map the new ids, then send the "
    "blocked orders again.",
)
def put_payment_terms(
    processor: ProcessorDep,
    body: Annotated[
        dict[PaymentTermId, Annotated[int, Field(ge=0, le=365)]], Body(examples=[{"1": 14, "7": 30}])
    ],
) -> dict[str, int]:
    return processor.commit(lambda ctx: accounts.set_payment_terms(ctx.session, ctx.account, body))
