"""Customer numbers (source 000): the account's series, the shop's own number, a fixed one-time number.

"Kundnummer saknas" (customer number missing): when no setting yields a number the ERP would refuse the
order, so :func:`number_missing` says which setting produced nothing and what to configure.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.accounts.models import NumberSeries
from app.accounts.settings import NumberStrategy
from app.errors import Issue, NordublError


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


_SETTING_NAMES: dict[NumberStrategy, str] = {
    "erp_series": "the ERP's number series controls the customer number",
    "external": "the external system (the shop) controls the customer number",
    "one_time_fixed": "all one-time customers on one fixed customer number",
    "one_time_new": "a new customer for every one-time customer",
}


def number_missing(strategy: NumberStrategy, *, shared_kind: str | None = None) -> NordublError:
    setting = f'customers.number_strategy = "{strategy}" ({_SETTING_NAMES[strategy]})'
    field = "account.customers.number_series"
    if strategy == "one_time_fixed" and shared_kind is None:
        message = f"Customer number missing: the setting {setting} has no number to put them on."
        hint = "Set customers.one_time_customer_number, or choose another customers.number_strategy."
        field = "account.customers.one_time_customer_number"
    elif shared_kind is not None:
        key = shared_kind.lower()
        message = (
            f"Customer number missing: the shared {shared_kind} customer has no fixed number "
            f"(customers.{key}.shared_customer_number) and the setting {setting} found no number series."
        )
        hint = f"Set customers.{key}.shared_customer_number, or configure customers.number_series."
    elif strategy == "external":
        message = (
            f"Customer number missing: the shop sent no customer number (customer.customer_number) and the "
            f"setting {setting} found no number series to fall back on."
        )
        hint = "Send customer.customer_number from the shop, or configure customers.number_series (prefix, next)."
    elif strategy == "one_time_new":
        message = (
            f"Customer number missing: the setting {setting} needs a number series, and none is configured."
        )
        hint = (
            "Configure customers.number_series (prefix, next), or choose another customers.number_strategy."
        )
    else:
        message = f"Customer number missing: the setting {setting} found no number series for this account."
        hint = (
            "Configure customers.number_series (prefix, next), or choose another customers.number_strategy."
        )
    return NordublError(
        "Customer number missing",
        [Issue("customer.number_missing", "fatal", message, field=field, hint=hint)],
        status=422,
    )
