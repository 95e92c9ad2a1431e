"""Order processing over HTTP: shop orders and their status, the account's processing settings, trial
period, webhook and payment terms, and the error log. Every creating POST takes ``Idempotency-Key``."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Body, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.accounts.settings import PaymentTermId
from app.api.deps import Processor, ProcessorDep, SettingsDep, read_body, validation_runner
from app.api.problems import Problem
from app.api.summaries import document_summary, outcome_body, outcome_status
from app.db import get_engine
from app.errorlog import service as errorlog
from app.errors import NordublError
from app.forms.loader import load_form_bytes
from app.forms.models import RegistrationForm
from app.ops.openapi import headers
from app.pdf.labels import LANGUAGES
from app.pdf.render import render_pdf
from app.processing import account as accounts
from app.processing import idempotency, pipeline
from app.processing.context import Context, Outcome
from app.processing.preview import dry_context
from app.processing.settings import ProcessingSettingsIn, ProcessingSettingsOut
from app.store.documents import read_xml

router = APIRouter(
    tags=["processing"], responses={401: {"model": Problem, "description": "No or wrong client credentials"}}
)

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A unique key per operation (e.g. a UUID): a retry with the same key gets the first "
        "answer again (IETF draft Idempotency-Key header)",
    ),
]


def request_path(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def run_idempotent(
    ctx: Context,
    method: str,
    path: str,
    key: str | None,
    body: bytes,
    work: Callable[[Context], Response],
    lock_seconds: int,
) -> Response:
    """Run ``work`` once per ``Idempotency-Key`` of the account (see :mod:`app.processing.idempotency`);
    in the request's worker thread, like the work itself."""
    if key is None:
        return work(ctx)
    got = idempotency.claim(
        ctx.session, ctx.account.id, key, method, path, body, ctx.clock.now(), lock_seconds
    )
    if isinstance(got, idempotency.Replay):
        return Response(got.body, got.status, idempotency.replay_headers(got), got.media_type)
    try:
        response = work(ctx)
    except BaseException as exc:
        status = exc.status if isinstance(exc, NordublError) else 500
        idempotency.finish(ctx.session, got, status, {}, b"", None, ctx.clock.now())
        raise
    idempotency.finish(
        ctx.session,
        got,
        response.status_code,
        dict(response.headers),
        bytes(response.body),
        response.media_type,
        ctx.clock.now(),
    )
    return response


#: The headers of :func:`outcome_headers`, as the OpenAPI document shows them.
ORDER_STATE = headers("X-Nordubl-Order-State")
CREATED = headers("Location", "X-Nordubl-Document-Id", "X-Nordubl-Order-State")


def outcome_headers(outcome: Outcome) -> dict[str, str]:
    headers = {"X-Nordubl-Order-State": "skipped" if outcome.skipped else outcome.order.state}
    newest = outcome.created[-1] if outcome.created else None
    if newest is not None:
        headers["Location"] = f"/v1/documents/{newest.id}"
        headers["X-Nordubl-Document-Id"] = str(newest.id)
    return headers


_FORM_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": RegistrationForm.model_json_schema(ref_template="#/components/schemas/{model}"),
                "example": {
                    "order_id": "WS-10001",
                    "order_date": "2026-11-20",
                    "order_status": "completed",
                    "payment_terms_id": "1",
                    "currency": "NOK",
                    "customer": {
                        "country": "NO",
                        "org_number": "974760673",
                        "company_name": "Brønnøysundregistrene",
                        "first_name": "Kari",
                        "last_name": "Nordmann",
                        "email": "kari.nordmann@example.no",
                        "external_invoice_reference": "PO-4711",
                    },
                    "products": [
                        {
                            "product_number": "KURS-01",
                            "name": "Kurs",
                            "price": "2490.00",
                            "vat_rate": "25",
                            "quantity": "1",
                        }
                    ],
                    "fees": [{"kind": "freight", "amount": "149.00", "vat_rate": "25"}],
                },
            }
        },
    }
}


@router.post(
    "/v1/shop-orders",
    summary="Process a shop order: preflight, customer, order document, invoice at the account's statuses",
    description="The form with the shop's `order_status` (and `payment_terms_id`). Answers 201 with the "
    "documents produced, 200 when the same order was processed before (a newer status moves it on), 202 "
    "with status `skipped` for an order registered before `process_orders_from`, 409 for the same order id "
    "with other content, 422 with the findings (also in `GET /v1/errors`) when a check blocks it.",
    openapi_extra=_FORM_BODY,
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
    openapi_extra=_FORM_BODY,
    responses={409: {"model": Problem}, 422: {"model": Problem}},
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

    def work() -> dict[str, Any]:
        run = validation_runner(processor.validation)
        with dry_context(engine, account.id, processor.clock, run) as ctx:
            outcome = pipeline.submit_order(ctx, form, invoice_now=invoice)
            documents = []
            for document in outcome.created:
                xml = read_xml(ctx.blobs, document)
                shown: dict[str, Any] = {
                    "kind": document.kind,
                    "number": document.number,
                    "status": document.status,
                    "profile": document.profile,
                    "sha256": document.sha256,
                    "xml": xml.decode("utf-8"),
                }
                if pdf and document.kind in ("invoice", "creditnote"):
                    lang = ctx.account.language if ctx.account.language in LANGUAGES else "en"
                    rendered = render_pdf(xml, lang, draft=True)  # not an invoice to pay: marked so
                    shown["pdf_base64"] = base64.b64encode(rendered).decode("ascii")
                documents.append(shown)
            return {
                "preview": True,
                "order_id": form.order_id,
                "status": outcome.order.state,
                "customer": outcome.customer.as_dict() if outcome.customer else None,
                "documents": documents,
                "warnings": [i.as_dict() for i in outcome.warnings],
                "skipped": outcome.skipped.as_dict() if outcome.skipped else None,
            }

    return JSONResponse(await to_thread.run_sync(work))


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
    responses={404: {"model": Problem}},
)
def get_order(processor: ProcessorDep, external_id: str) -> dict[str, Any]:
    with processor.open(read_only=True) as ctx:
        return outcome_body(pipeline.order_outcome(ctx, external_id))


# -- the account's processing settings ---------------------------------------------------------------


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
    responses={409: {"model": Problem}, 422: {"model": Problem}},
)
def put_processing_settings(
    processor: ProcessorDep, body: Annotated[ProcessingSettingsIn, Body()]
) -> dict[str, Any]:
    with processor.open() as ctx:
        out = accounts.save_settings(ctx.session, ctx.account.id, body.model_dump(mode="json"))
        ctx.session.commit()
        return out


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
    responses={409: {"model": Problem}},
)
def put_mode(processor: ProcessorDep, body: ModeIn) -> dict[str, Any]:
    with processor.open() as ctx:
        try:
            out = accounts.switch_mode(ctx.session, ctx.account, body.mode, ctx.clock.now())
        except NordublError:
            ctx.session.rollback()
            raise
        ctx.session.commit()
        return out


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
    responses={422: {"model": Problem}},
)
def put_webhook(processor: ProcessorDep, body: WebhookIn) -> dict[str, Any]:
    with processor.open() as ctx:
        out = accounts.set_webhook(ctx.session, ctx.account.id, body.url, body.secret)
        ctx.session.commit()
        return out


@router.delete("/v1/account/webhook", status_code=204, summary="Remove the webhook")
def delete_webhook(processor: ProcessorDep) -> Response:
    with processor.open() as ctx:
        accounts.clear_webhook(ctx.session, ctx.account.id)
        ctx.session.commit()
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
    with processor.open() as ctx:
        out = accounts.set_payment_terms(ctx.session, ctx.account, body)
        ctx.session.commit()
        return out


# -- the error log -----------------------------------------------------------------------------------


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
    responses={404: {"model": Problem}},
)
def resolve_error(processor: ProcessorDep, entry_id: int) -> dict[str, Any]:
    with processor.open() as ctx:
        entry = errorlog.resolve_entry(ctx.session, ctx.account.id, entry_id, ctx.clock.now())
        ctx.session.commit()
        return errorlog.as_dict(entry, ctx.language)


#: The answers of /v1/orders, /v1/invoices and /v1/credit-notes with credentials, besides the stateless 200.
STORED_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {
        "headers": {**CREATED, **headers("X-Nordubl-Ruleset", "X-Nordubl-Profile")},
        "content": {"application/xml": {}, "application/json": {}},
        "description": "With the account's credentials: the stored document, created now (Location: "
        "/v1/documents/{id}); Accept: application/json gives an envelope with the XML and the outcome",
    },
    202: {
        "content": {"application/json": {}},
        "description": "With credentials: the order was skipped (registered before process_orders_from)",
        "headers": ORDER_STATE,
    },
}


def stored_answer(accept_json: bool, ctx: Context, outcome: Outcome, kind: str) -> Response:
    """The answer of /v1/orders, /v1/invoices and /v1/credit-notes for an account: the stored document's
    XML (or, with ``Accept: application/json``, an envelope with the XML and the processing outcome)."""
    headers = outcome_headers(outcome)
    document = outcome.document(kind)
    if outcome.skipped is not None or document is None:
        return JSONResponse(outcome_body(outcome), outcome_status(outcome), headers)
    xml = read_xml(ctx.blobs, document)
    headers |= {
        "X-Nordubl-Ruleset": document.ruleset or "",
        "X-Nordubl-Profile": document.profile,
        "X-Nordubl-Document-Id": str(document.id),
        "Location": f"/v1/documents/{document.id}",
    }
    status = 201 if document in outcome.created else 200
    if accept_json:
        body = {
            "profile": document.profile,
            "ruleset": document.ruleset,
            "id": document.number,
            "document": document_summary(document),
            "payable": document.payable,
            "processing": outcome_body(outcome),
            "warnings": [i.as_dict() for i in outcome.warnings],
            "xml": xml.decode("utf-8"),
        }
        return JSONResponse(body, status, headers)
    return Response(xml, status, headers, media_type="application/xml")


async def process_form(
    request: Request,
    processor: Processor,
    raw: bytes,
    key: str | None,
    kind: Literal["order", "invoice", "creditnote"],
    profile: str | None = None,
) -> Response:
    """Authenticated /v1/orders, /v1/invoices, /v1/credit-notes: the form through the account's pipeline."""
    method, path = request.method, request_path(request)
    accept_json = "application/json" in request.headers.get("accept", "")

    def work(ctx: Context) -> Response:
        form = pipeline.load_form(ctx, raw)
        if kind == "order":
            outcome = pipeline.submit_order(ctx, form, order_profile=profile)
        elif kind == "invoice":
            outcome = pipeline.submit_order(ctx, form, invoice_now=True, invoice_profile=profile)
        else:
            outcome = pipeline.credit_order(ctx, form, invoice_profile=profile)
        return stored_answer(accept_json, ctx, outcome, kind)

    return await to_thread.run_sync(
        processor.call,
        lambda ctx: run_idempotent(
            ctx, method, path, key, raw, work, processor.settings.idempotency_lock_seconds
        ),
    )
