"""From the form's customer block to the account's customer: classify, identify, create or update, number.

Source 001: before a customer is created, it is looked up by the field the account chose for its type, so
the same customer is never created twice; creation and update can be switched off (update per field); all
customers of a type can be booked on one shared customer. Source 000: the customer number comes from the
account's series, the shop, or one fixed number for one-time customers.

The caller owns the transaction: :func:`resolve_customer` flushes, and the caller commits it together with
the document it builds, so a number is never taken for a document that was not stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.accounts.settings import PRIVATE_ID_BY_KIND, B2BRule, B2CRule, CustomerSettings, EANRule
from app.customers.classify import Classified, classify
from app.customers.models import CustomerEan, CustomerRecord
from app.customers.numbers import allocate, number_missing
from app.errors import NordublError
from app.forms.models import Customer, CustomerKind

Action = Literal["created", "updated", "matched", "shared"]
NumberSource = Literal["series", "shop", "fixed", "existing"]


@dataclass(frozen=True, slots=True)
class ResolvedCustomer:
    """The account's customer for one order: its number goes into the buyer's PartyIdentification."""

    id: int
    number: str
    kind: CustomerKind
    #: The form field the customer was looked up by (``customer.email``); None for a shared customer.
    identified_by: str | None
    action: Action
    #: The EAN/GLN number chosen for this order (a public body has one per department): goes on the invoice.
    ean: str | None = None
    #: Where the number came from on this call: the series, the shop, a fixed setting, or the stored customer.
    number_source: NumberSource = "existing"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _lookup(session: Session, account_id: int, id_type: str, value: str) -> CustomerRecord | None:
    if id_type == "ean":
        # any EAN of a customer finds it, not only the one it was created with
        stmt = (
            select(CustomerRecord)
            .join(CustomerEan, CustomerEan.customer_id == CustomerRecord.id)
            .where(CustomerEan.account_id == account_id, CustomerEan.ean == value)
        )
    else:
        stmt = select(CustomerRecord).where(
            CustomerRecord.account_id == account_id,
            CustomerRecord.id_type == id_type,
            CustomerRecord.id_value == value,
        )
    return session.scalars(stmt).one_or_none()


def _by_number(session: Session, account_id: int, number: str) -> CustomerRecord | None:
    return session.scalars(
        select(CustomerRecord).where(CustomerRecord.account_id == account_id, CustomerRecord.number == number)
    ).one_or_none()


def _insert(session: Session, make: Callable[[], CustomerRecord]) -> CustomerRecord | None:
    """Insert in a savepoint; None when a unique constraint refused it (someone else was first).

    The savepoint also takes back the number ``make`` allocated, so the series keeps no gap.
    """
    try:
        with session.begin_nested():
            record = make()
            session.add(record)
            session.flush()
    except IntegrityError:
        return None
    return record


def _ean_owner(session: Session, account_id: int, ean: str) -> int | None:
    return session.scalar(
        select(CustomerEan.customer_id).where(CustomerEan.account_id == account_id, CustomerEan.ean == ean)
    )


def _attach_ean(session: Session, record: CustomerRecord, ean: str) -> None:
    """Record a further EAN (another department) of a known customer."""
    if _ean_owner(session, record.account_id, ean) is not None:
        return
    try:
        with session.begin_nested():
            session.add(CustomerEan(account_id=record.account_id, customer_id=record.id, ean=ean))
            session.flush()
    except IntegrityError:
        pass  # added by a concurrent order meanwhile
    session.expire(record, ["eans"])


def attributes(obj: object, *names: str, **renamed: str) -> dict[str, Any]:
    """The named attributes of ``obj`` by name, then each of ``renamed`` (key = attribute name)."""
    return {name: getattr(obj, name) for name in names} | {
        key: getattr(obj, name) for key, name in renamed.items()
    }


def _details(customer: Customer) -> dict[str, Any]:
    # the record's phone is the form's mobile number
    return attributes(
        customer, "name", "email", "address", "address2", "postcode", "city", "country", phone="mobile"
    )


def _update(
    record: CustomerRecord, customer: Customer, rule: B2CRule | B2BRule | EANRule, rules: CustomerSettings
) -> bool:
    """Source 001: update only when switched on, and only the fields switched on; empty form fields keep
    what is stored."""
    if not rules.update:
        return False
    wanted: dict[str, Any] = {}
    fields = set(rules.update_fields)
    if "name" in fields:
        wanted["name"] = customer.name
    if "phone" in fields and customer.mobile:
        wanted["phone"] = customer.mobile
    if "email" in fields and customer.email:
        wanted["email"] = customer.email
    if "address" in fields and (customer.address or customer.postcode or customer.city):
        wanted |= {
            "address": customer.address,
            "address2": customer.address2,
            "postcode": customer.postcode,
            "city": customer.city,
            "country": customer.country,
        }
    if "customer_group" in fields and rule.customer_group:
        wanted["customer_group"] = rule.customer_group
    changed = False
    for name, value in wanted.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    return changed


def _number_taken(number: str, source: NumberSource) -> NordublError:
    # the shop's own number, or one of the account's series
    field = "customer.customer_number" if source == "shop" else "account.customers.number_series"
    return NordublError.of(
        "customer.number_taken", field, title="Customer number already in use", status=409, value=number
    )


def _bucket(
    session: Session,
    account: Account,
    c: Classified,
    *,
    fixed: str | None,
    key: str,
    name: str,
    group: str | None,
    missing: Callable[[], NordublError],
) -> ResolvedCustomer:
    """One customer that many orders are booked on (a shared "B2C webshop" customer, or one-time customers
    on one fixed number); the real customer details stay on the document."""

    def find() -> CustomerRecord | None:
        if fixed:
            return _by_number(session, account.id, fixed)
        return _lookup(session, account.id, "shared", key)

    record = find()
    source: NumberSource = "fixed" if fixed else "existing"
    if record is None:

        def make() -> CustomerRecord:
            number = fixed or allocate(session, account.id)
            if number is None:
                raise missing()
            return CustomerRecord(
                account_id=account.id,
                kind=c.kind,
                id_type="shared",
                id_value=f"number:{fixed}" if fixed else key,
                number=number,
                name=name,
                customer_group=group,
            )

        record = _insert(session, make)
        if record is None:
            record = find()
            if record is None:
                raise _number_taken(fixed or "?", "fixed")
        elif not fixed:
            source = "series"
    return ResolvedCustomer(record.id, record.number, c.kind, None, "shared", c.ean, source)


def resolve_customer(session: Session, account: Account, customer: Customer) -> ResolvedCustomer:
    """The account's customer for ``customer``: found, updated, created or shared, with its number.

    Raises :class:`NordublError` with ``customer.must_exist``, ``customer.identifier_missing``,
    ``customer.number_missing``, ``customer.number_taken`` or ``input.identifier`` (a bad custom field).
    Flushes; the caller commits.
    """
    rules = account.customer_rules()
    c = classify(customer, rules)
    strategy = rules.number_strategy
    # Source 000: a one-time customer is one the shop sends without a customer number of its own (a guest).
    one_time = customer.customer_number is None

    if one_time and strategy == "one_time_fixed":
        if not rules.one_time_customer_number:
            raise number_missing("one_time_fixed")  # the fixed number is the setting: no series fallback
        return _bucket(
            session,
            account,
            c,
            fixed=rules.one_time_customer_number,
            key="one_time",
            name="One-time customers",
            group=None,
            missing=lambda: number_missing("one_time_fixed"),
        )
    if one_time and strategy == "one_time_new":
        return _new_one_time(session, account, customer, c, rules)

    rule = rules.rule(c.kind)
    if rule.identify_by == "shared":
        return _bucket(
            session,
            account,
            c,
            fixed=rule.shared_customer_number,
            key=f"kind:{c.kind}",
            name=rule.shared_customer_name or f"{c.kind} webshop",
            group=rule.customer_group,
            missing=lambda: number_missing(strategy, shared_kind=c.kind),
        )

    id_type: str | None = rule.identify_by
    if id_type is None:
        # private persons by default: by the account's kind (a shop by e-mail, a sign-up platform by mobile),
        # falling back to the other one when the form lacks it
        preferred = PRIVATE_ID_BY_KIND.get(account.kind, "email")
        other = "mobile" if preferred == "email" else "email"
        id_type = other if preferred not in c.ids and other in c.ids else preferred
    if id_type not in c.ids:
        path = {"org_number": "customer.org_number"}.get(id_type, f"customer.{id_type}")
        key = c.kind.lower()
        raise NordublError.of(
            "customer.identifier_missing",
            path,
            title="The customer cannot be identified",
            kind=c.kind,
            key=key,
        )
    value, path = c.ids[id_type]

    record = _lookup(session, account.id, id_type, value)
    if record is None:
        if not rules.create:
            raise NordublError.of(
                "customer.must_exist", path, title="The customer does not exist", value=value
            )
        taken: dict[str, Any] = {}

        def make() -> CustomerRecord:
            number, source = _new_number(session, account, customer, rules)
            taken.update(number=number, source=source)
            record = CustomerRecord(
                account_id=account.id,
                kind=c.kind,
                id_type=id_type,
                id_value=value,
                number=number,
                org_number=c.org_number,
                customer_group=rule.customer_group,
                shop_customer_number=customer.customer_number,
                **_details(customer),
            )
            if c.ean and _ean_owner(session, account.id, c.ean) is None:
                record.eans.append(CustomerEan(account_id=account.id, ean=c.ean))
            return record

        created = _insert(session, make)
        if created is not None:
            return ResolvedCustomer(
                created.id, created.number, c.kind, path, "created", c.ean, taken["source"]
            )
        record = _lookup(session, account.id, id_type, value)  # a concurrent sign-up created it first
        if record is None:
            raise _number_taken(taken["number"], taken["source"])

    changed = _update(record, customer, rule, rules)
    if c.kind == "EAN" and c.ean:
        _attach_ean(session, record, c.ean)
    if changed:
        session.flush()
    return ResolvedCustomer(
        record.id, record.number, c.kind, path, "updated" if changed else "matched", c.ean
    )


def _new_number(
    session: Session, account: Account, customer: Customer, rules: CustomerSettings
) -> tuple[str, NumberSource]:
    strategy = rules.number_strategy
    if strategy != "erp_series" and customer.customer_number:
        return customer.customer_number, "shop"  # source 000: the external system's number comes first
    number = allocate(session, account.id)
    if number is None:
        raise number_missing(strategy)
    return number, "series"


def _new_one_time(
    session: Session, account: Account, customer: Customer, c: Classified, rules: CustomerSettings
) -> ResolvedCustomer:
    """Source 000, "a new customer for every one-time customer": no look-up, a new number from the series."""
    taken: dict[str, str] = {}

    def make() -> CustomerRecord:
        number = allocate(session, account.id)
        if number is None:
            raise number_missing("one_time_new")
        taken["number"] = number
        return CustomerRecord(
            account_id=account.id,
            kind=c.kind,
            id_type="one_time",
            id_value=number,
            number=number,
            org_number=c.org_number,
            customer_group=rules.rule(c.kind).customer_group,
            **_details(customer),
        )

    record = _insert(session, make)
    if record is None:
        raise _number_taken(taken.get("number", "?"), "series")
    return ResolvedCustomer(record.id, record.number, c.kind, None, "created", c.ean, "series")
