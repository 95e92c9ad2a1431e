"""What the routes that take a form share: ``Idempotency-Key``, the headers of a processing outcome,
the answer of a stored document (``POST /v1/orders``, ``/v1/invoices``, ``/v1/credit-notes`` with
credentials, ``/v1/shop-orders``, ``PUT /v1/orders/{id}/status``) and of an anonymous one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasicCredentials

from app.api.auth import client_credentials
from app.api.deps import ClockDep, Processor, SettingsDep, get_blobs, get_validation, read_body
from app.api.openapi import headers
from app.api.summaries import document_summary, outcome_body, outcome_status
from app.config import Settings
from app.errors import NordublError
from app.processing import idempotency, pipeline
from app.processing.context import Context, Outcome
from app.service import Answer
from app.store.documents import read_xml
from app.validation.service import ValidationService


@dataclass
class FormCall:
    """A request to a route that takes a form, with or without an account's credentials."""

    request: Request
    validation: ValidationService
    settings: Settings
    #: The caller's processing; unauthenticated when the request carries no credentials.
    processor: Processor

    async def form(self) -> bytes:
        """The body, refused past ``max_form_bytes`` (413)."""
        return await read_body(self.request, self.settings.max_form_bytes, "form", "max_form_bytes")


async def get_form_call(
    request: Request,
    settings: SettingsDep,
    clock: ClockDep,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(client_credentials)],
) -> FormCall:
    """The caller's :class:`~app.api.deps.Processor` (unauthenticated without credentials: the demo
    behaviour of /v1/orders) built here, not by FastAPI's ``get_processor`` tree: four dependencies to
    resolve per request instead of eight (docs/performance.md, "Over HTTP"). The ones tests override
    (settings, clock) stay dependencies."""
    validation = await get_validation(request)
    processor = Processor(settings, credentials, clock, await get_blobs(settings), validation)
    return FormCall(request, validation, settings, processor)


FormCallDep = Annotated[FormCall, Depends(get_form_call)]

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


def form_responses(what: str, bad_request: str, *reasons: str) -> dict[int | str, dict[str, Any]]:
    """The answers of a route that turns a form into ``what`` (an order, a document): anonymous, or
    with credentials the stored one; ``reasons`` are the extra headers of the anonymous answer."""
    return {
        200: {
            "content": {"application/xml": {}},
            "description": f"The validated {what} (with credentials: the stored one, sent again)",
            "headers": headers(
                "X-Nordubl-Ruleset",
                "X-Nordubl-Profile",
                *reasons,
                "Location",
                "X-Nordubl-Document-Id",
                "X-Nordubl-Order-State",
            ),
        },
        **STORED_RESPONSES,
        400: {"description": f"{bad_request} (problem+json)"},
        401: {"description": "Wrong client credentials (problem+json); without any, the demo seller answers"},
        413: {"description": "The form is larger than max_form_bytes (problem+json)"},
        422: {"description": "The form breaks the contract or the rules (problem+json with issues[])"},
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


def anonymous_answer(
    request: Request, result: Answer, headers: dict[str, str], envelope: dict[str, Any]
) -> Response:
    """The answer of a form sent without credentials: the document's XML, or with ``Accept:
    application/json`` an envelope of the profile, ``envelope``, the rule set, the warnings and the XML."""
    if "application/json" in request.headers.get("accept", ""):
        body: dict[str, Any] = {
            "profile": result.profile,
            **envelope,
            "ruleset": result.report.ruleset,
            "release": result.report.release,
            "warnings": [i.as_dict() for i in result.report.issues],
            "xml": result.xml.decode("utf-8"),
        }
        return JSONResponse(body, headers=headers)
    return Response(result.xml, media_type="application/xml", headers=headers)
