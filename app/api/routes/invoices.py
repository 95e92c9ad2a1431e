"""POST /v1/invoices and POST /v1/credit-notes: a form in, a validated invoice or credit note out,
in the profile chosen for the customer (EAN / CVR → OIOUBL, Norwegian org. no. → EHF, else Peppol)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.api.examples import FORM_EXAMPLE, form_body
from app.api.stored import (
    FormCall,
    FormCallDep,
    IdempotencyKeyHeader,
    anonymous_answer,
    form_responses,
    process_form,
)
from app.profiles import ProfileName
from app.service import Answer, invoice_answer

router = APIRouter(tags=["invoices"])

#: ``?profile=``: the profile forced instead of the one chosen for the customer.
ProfileQuery = Annotated[ProfileName | None, Query(description="Force a profile: ehf, peppol or oioubl")]

_OPENAPI = {
    # OpenAPI 3.1 §4.8.10: with the empty requirement beside HTTP Basic, credentials are optional (the demo
    # seller answers anonymous calls); FastAPI appends it to the operation's clientCredentials requirement
    "security": [{}],
    "requestBody": form_body(FORM_EXAMPLE),
}
_RESPONSES = form_responses("document", "Malformed JSON or unknown profile", "X-Nordubl-Profile-Reason")
#: The request body and answers of both routes, as the OpenAPI document shows them.
_DOCS: dict[str, Any] = {"openapi_extra": _OPENAPI, "responses": _RESPONSES}


async def _answer(
    call: FormCall, profile: str | None, credit: bool, invoice_ref: str | None, key: str | None
) -> Response:
    raw = await call.form()
    if call.processor.authenticated:
        # the account's pipeline: its seller, customer, catalogue checks, number series, document store
        return await process_form(
            call.request, call.processor, raw, key, "creditnote" if credit else "invoice", profile
        )
    result: Answer = await call.validation.call(
        invoice_answer, raw, call.settings.account_file, profile, credit, invoice_ref
    )
    assert result.choice is not None
    headers = {
        "X-Nordubl-Ruleset": result.report.label or "",
        "X-Nordubl-Profile": result.profile,
        "X-Nordubl-Profile-Reason": result.choice.reason.encode("ascii", "replace").decode(),
    }
    envelope = {
        "profile_choice": result.choice.as_dict(),
        "document": result.report.document,
        "id": result.id,
        "payable": result.payable,
        "rounding_allocation": result.rounding_allocation,
    }
    return anonymous_answer(call.request, result, headers, envelope)


@router.post(
    "/v1/invoices",
    summary="Turn a form into an officially validated invoice",
    description="Answers the invoice XML in the profile chosen for the customer (an EAN number or a Danish "
    "CVR number → OIOUBL 2.1; a Norwegian organisation number → EHF Billing 3.0; anyone else → Peppol BIS "
    "Billing 3.0) or the one forced with `profile`; validated with the official rules; or "
    "`application/problem+json` whose `issues[]` name the form fields to fix. `Accept: application/json` "
    "answers a JSON envelope with the XML and the profile choice and its reason. With the account's "
    "credentials (HTTP Basic) the form goes through the account's processing: the order and its invoice "
    "are stored, numbered from the account's series, a draft in draft mode (docs/processing.md).",
    **_DOCS,
)
async def create_invoice(
    call: FormCallDep,
    profile: ProfileQuery = None,
    key: IdempotencyKeyHeader = None,
) -> Response:
    return await _answer(call, profile, False, None, key)


@router.post(
    "/v1/credit-notes",
    summary="Turn a form into an officially validated credit note",
    description="As `/v1/invoices`, for a credit note of the form's lines, referencing the invoice it "
    "corrects (`invoice_ref`, or `credited_invoice` in the form). With the account's credentials it "
    "credits the stored invoice of the form's order (`invoice_ref` is not needed) with the form's lines.",
    **_DOCS,
)
async def create_credit_note(
    call: FormCallDep,
    profile: ProfileQuery = None,
    invoice_ref: Annotated[
        str | None, Query(max_length=100, description="The number of the invoice credited")
    ] = None,
    key: IdempotencyKeyHeader = None,
) -> Response:
    return await _answer(call, profile, True, invoice_ref, key)
