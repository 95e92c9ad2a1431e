"""Customers of the calling account: list, read, and resolve a form's customer block."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict

from app.api.customer_views import CustomerOut, CustomerPage, customer_view, customers_page
from app.api.deps import CallerDep
from app.api.examples import CUSTOMER_EXAMPLE
from app.api.problems import CREDENTIALS_REFUSED, problem_answers
from app.customers.resolve import resolve_customer
from app.errors import NordublError
from app.forms.models import Customer

router = APIRouter(
    prefix="/v1/customers",
    tags=["customers"],
    responses=CREDENTIALS_REFUSED,
)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer: Customer


class ResolvedOut(BaseModel):
    id: int
    number: str
    kind: Literal["B2C", "B2B", "EAN"]
    identified_by: str | None
    action: Literal["created", "updated", "matched", "shared"]
    ean: str | None
    number_source: Literal["series", "shop", "fixed", "existing"]


@router.get("", response_model=CustomerPage, summary="The calling account's customers")
def list_customers(
    caller: CallerDep,
    kind: Literal["B2C", "B2B", "EAN"] | None = None,
    number: Annotated[str | None, Query(max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CustomerPage:
    with caller.read() as (session, account):
        return customers_page(session, account.id, kind, number, limit, offset)


@router.get(
    "/{customer_id}",
    response_model=CustomerOut,
    summary="One customer of the calling account",
    responses=problem_answers((404, "No such customer for this account")),
)
def get_customer(caller: CallerDep, customer_id: int) -> CustomerOut:
    with caller.read() as (session, account):
        out = customer_view(session, account.id, customer_id)
    if out is None:  # another account's customer answers the same as a missing one
        raise NordublError.of(
            "customer.not_found", title="No such customer", status=404, customer_id=str(customer_id)
        )
    return out


@router.post(
    "/resolve",
    response_model=ResolvedOut,
    summary="Find, update or create the customer of a form's customer block, with its number",
    description="What the order and invoice endpoints do with `customer`, on its own: identification by the "
    "field the account chose for the customer type (B2C / B2B / EAN), creation and update as switched on, "
    "and the customer number by the account's strategy. Errors: `customer.must_exist`, "
    "`customer.identifier_missing`, `customer.number_missing`, `input.identifier`.",
    responses=problem_answers(422, 409),
)
def resolve(
    caller: CallerDep,
    body: Annotated[
        ResolveIn,
        Body(openapi_examples={"b2b": {"value": {"customer": dict(CUSTOMER_EXAMPLE)}}}),
    ],
) -> dict[str, Any]:
    # the write lock is taken up front (SQLite BEGIN IMMEDIATE): the customer number stays gap-free
    with caller.write() as (session, account):
        resolved = resolve_customer(session, account, body.customer)
        session.commit()
        return resolved.as_dict()
