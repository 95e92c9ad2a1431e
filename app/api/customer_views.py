"""The account's customers as the customer routes show them: one, or a page of them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.api.shapes import shaped
from app.customers.models import CustomerRecord


class CustomerOut(BaseModel):
    id: int
    number: str
    kind: str
    id_type: str
    id_value: str
    name: str
    org_number: str | None
    email: str | None
    phone: str | None
    address: str | None
    address2: str | None
    postcode: str | None
    city: str | None
    country: str | None
    customer_group: str | None
    shop_customer_number: str | None
    eans: list[str]
    created_at: datetime
    updated_at: datetime


class CustomerPage(BaseModel):
    items: list[CustomerOut]
    total: int
    limit: int
    offset: int


def _out(c: CustomerRecord) -> CustomerOut:
    return shaped(CustomerOut, c, eans=[e.ean for e in c.eans])


def customers_page(
    session: Session, account_id: int, kind: str | None, number: str | None, limit: int, offset: int
) -> CustomerPage:
    """``GET /v1/customers``: the account's customers in the order they were created, by kind or number."""
    where = [CustomerRecord.account_id == account_id]
    if kind:
        where.append(CustomerRecord.kind == kind)
    if number:
        where.append(CustomerRecord.number == number)
    total = session.scalar(select(func.count()).select_from(CustomerRecord).where(*where)) or 0
    rows = session.scalars(
        select(CustomerRecord).where(*where).order_by(CustomerRecord.id).limit(limit).offset(offset)
    )
    return CustomerPage(items=[_out(c) for c in rows], total=total, limit=limit, offset=offset)


def customer_view(session: Session, account_id: int, customer_id: int) -> CustomerOut | None:
    """One customer of the account; None when there is none with this id (or it is another account's)."""
    record = session.scalars(
        select(CustomerRecord).where(
            CustomerRecord.id == customer_id, CustomerRecord.account_id == account_id
        )
    ).one_or_none()
    return None if record is None else _out(record)
