"""POST /v1/orders: a registration form in, a validated EHF / Peppol order out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.examples import FORM_EXAMPLE, form_body
from app.api.stored import FormCallDep, IdempotencyKeyHeader, anonymous_answer, form_responses, process_form
from app.profiles import ProfileName
from app.service import Answer, order_answer

router = APIRouter(tags=["orders"])


@router.post(
    "/v1/orders",
    summary="Turn a registration form into an officially validated order",
    description="Answers the order XML (EHF Ordering 3.0 by default, Peppol BIS Order only 3 with "
    "`profile=peppol`), validated with the official rules; or `application/problem+json` whose `issues[]` "
    "name the form fields to fix. Send `Accept: application/json` for a JSON envelope with the XML. "
    "With the account's credentials (HTTP Basic) the order goes through the account's processing: its "
    "seller profile, customer, catalogue checks; the order is stored (`Location`, "
    "`X-Nordubl-Document-Id`) and the same order sent again answers the stored one "
    "(see `POST /v1/shop-orders`, docs/processing.md).",
    openapi_extra={
        # OpenAPI 3.1 §4.8.10: credentials optional (anonymous calls get the demo seller)
        "security": [{}],
        "requestBody": form_body(FORM_EXAMPLE),
    },
    responses=form_responses("order", "Malformed JSON"),
)
async def create_order(
    call: FormCallDep,
    profile: Annotated[
        ProfileName | None,
        Query(
            description="Force a profile: ehf (EHF Ordering 3.0), peppol (Peppol BIS Order only, T01) or "
            "oioubl (OIOUBL 2.1). Default: chosen per seller and buyer (EHF for a Norwegian seller, Peppol "
            "T01 for others, OIOUBL for Danish EAN customers), or the account's order_profile"
        ),
    ] = None,
    key: IdempotencyKeyHeader = None,
) -> Response:
    raw = await call.form()
    if call.processor.authenticated:
        return await process_form(call.request, call.processor, raw, key, "order", profile)
    result: Answer = await call.validation.call(order_answer, raw, call.settings.account_file, profile)
    headers = {"X-Nordubl-Ruleset": result.report.label or "", "X-Nordubl-Profile": result.profile}
    return anonymous_answer(call.request, result, headers, {})
