"""Customer numbers (source 000): the account's series, the shop's own number, a fixed one-time number.

"Kundnummer saknas" (customer number missing): when no setting yields a number the ERP would refuse the
order, so :func:`number_missing` says which setting produced nothing and what to configure.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.accounts.models import NumberSeries
from app.accounts.settings import NumberStrategy
from app.codes import issue
from app.errors import NordublError


def allocate(session: Session, account_id: int) -> str | None:
    """The series' next number, taken in the caller's transaction (None: the account has no series).

    ``UPDATE ... RETURNING`` locks the series row until the transaction ends (SQLite: the whole database,
    taken by ``BEGIN IMMEDIATE``): if the customer's insert is rolled back, so is the number — no gaps.
    """
    stmt = (
        update(NumberSeries)
        .where(NumberSeries.account_id == account_id)
        .values(next_value=NumberSeries.next_value + 1)
        .returning(NumberSeries.prefix, NumberSeries.next_value)
        .execution_options(synchronize_session="fetch")  # a loaded series object sees the new value
    )
    row = session.execute(stmt).one_or_none()
    if row is None:
        return None
    prefix, next_value = row
    return f"{prefix}{next_value - 1}"


def number_missing(strategy: NumberStrategy, *, shared_kind: str | None = None) -> NordublError:
    """``customer.number_missing``, said for the setting that produced no number (app.codes' variants)."""
    params: dict[str, str] = {"strategy": strategy}
    field = None
    if strategy == "one_time_fixed" and shared_kind is None:
        params["variant"] = "one_time_fixed"
        field = "account.customers.one_time_customer_number"
    elif shared_kind is not None:
        params |= {"variant": "shared", "kind": shared_kind, "key": shared_kind.lower()}
    elif strategy in ("external", "one_time_new"):
        params["variant"] = strategy
    return NordublError("Customer number missing", [issue("customer.number_missing", field, params=params)])
