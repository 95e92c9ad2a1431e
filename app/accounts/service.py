"""Accounts: create, read, update (JSON merge patch), rotate the key, authenticate."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from app.accounts import keys
from app.accounts.models import SELLER_FIELDS, Account, NumberSeries
from app.accounts.profile import STORED
from app.accounts.settings import AccountSettings, CustomerSettings, InvoiceMail, NumberSeriesSettings
from app.codes import issue
from app.db.base import utcnow
from app.errors import NordublError
from app.forms.loader import pydantic_issues


def parse_settings(data: Any) -> AccountSettings:
    """Validate a settings document; issues name the field (``seller.org_number``)."""
    try:
        return AccountSettings.model_validate(data)
    except ValidationError as exc:
        raise NordublError("The account settings are invalid", pydantic_issues(list(exc.errors()))) from None


def settings_of(account: Account) -> AccountSettings:
    series = account.number_series
    customers = CustomerSettings.model_validate(
        {
            **account.customer_settings,
            "number_series": {"prefix": series.prefix, "next": series.next_value} if series else None,
        }
    )
    return AccountSettings(
        seller=account.seller_profile(),
        payment_terms=dict(account.payment_terms_map),
        mail=InvoiceMail.model_validate(
            {"sender": account.mail_sender, "subject": account.mail_subject, "text": account.mail_text},
            context=STORED,
        ),
        process_orders_from=account.process_orders_from,
        mode=account.mode,
        kind=account.kind,
        customers=customers,
    )


def as_dict(account: Account) -> dict[str, Any]:
    """The account as the API shows it: never the key, nor its hash."""
    return {
        "id": account.id,
        "client_id": account.client_id,
        "created_at": account.created_at.isoformat(),
        "updated_at": account.updated_at.isoformat(),
        "key_rotated_at": account.key_rotated_at.isoformat(),
        **settings_of(account).model_dump(mode="json"),
    }


def _apply(account: Account, settings: AccountSettings, series_fields: set[str]) -> None:
    for name in SELLER_FIELDS:
        setattr(account, name, getattr(settings.seller, name))
    account.payment_terms_map = dict(settings.payment_terms)
    account.mail_sender = settings.mail.sender
    account.mail_subject = settings.mail.subject
    account.mail_text = settings.mail.text
    account.process_orders_from = settings.process_orders_from
    account.mode = settings.mode
    account.kind = settings.kind
    account.customer_settings = settings.customers.model_dump(mode="json", exclude={"number_series"})
    _apply_series(account, settings.customers.number_series, series_fields)


def _apply_series(account: Account, wanted: NumberSeriesSettings | None, fields: set[str]) -> None:
    """Write only what was asked for: a patch of other settings never resets the series' next value."""
    if wanted is None:
        account.number_series = None
        return
    series = account.number_series
    if series is None:
        account.number_series = NumberSeries(prefix=wanted.prefix, next_value=wanted.next)
        return
    if "prefix" in fields:
        series.prefix = wanted.prefix
    if "next" in fields:
        series.next_value = wanted.next


#: The customer-number series a new account starts with when it names none (source 000: "the ERP controls
#: the customer number"), so that its first order is not refused with customer.number_missing.
DEFAULT_SERIES = NumberSeriesSettings(prefix="", next=10000)


def create_account(session: Session, settings: AccountSettings) -> tuple[Account, str]:
    """A new account and its client key (in clear text: the only time it is known). When its settings do
    not name a customer-number series it gets :data:`DEFAULT_SERIES` (``"number_series": null`` given
    explicitly: none)."""
    if "number_series" not in settings.customers.model_fields_set:
        customers = settings.customers.model_copy(update={"number_series": DEFAULT_SERIES})
        settings = settings.model_copy(update={"customers": customers})
    key = keys.new_client_key()
    account = Account(
        client_id=keys.new_client_id(), client_key_hash=keys.hash_key(key), key_rotated_at=utcnow()
    )
    _apply(account, settings, {"prefix", "next"})
    session.add(account)
    session.flush()
    return account, key


def _merge(base: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: objects merge key by key, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(base) if isinstance(base, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = _merge(out.get(k), v)
    return out


def update_account(session: Session, account: Account, patch: Any) -> Account:
    """Apply a JSON merge patch to the account's settings; the whole result is validated before writing."""
    if not isinstance(patch, dict):
        raise NordublError.of("input.invalid", "body", title="The account patch is invalid", variant="patch")
    current = settings_of(account).model_dump(mode="json", exclude_none=True)
    # payment_terms is a mapping the patch replaces whole, so an id can be removed by leaving it out
    merged = _merge(current, {k: v for k, v in patch.items() if k != "payment_terms"})
    if "payment_terms" in patch:
        merged["payment_terms"] = patch["payment_terms"] or {}
    settings = parse_settings(merged)
    series_patch = (
        (patch.get("customers") or {}).get("number_series")
        if isinstance(patch.get("customers"), dict)
        else None
    )
    series_fields = set(series_patch) if isinstance(series_patch, dict) else set()
    if account.number_series is None:
        series_fields = {"prefix", "next"}
    _apply(account, settings, series_fields)
    account.updated_at = utcnow()
    session.flush()
    return account


def rotate_key(session: Session, account: Account) -> str:
    """A new client key; the old one stops working when the transaction commits."""
    key = keys.new_client_key()
    account.client_key_hash = keys.hash_key(key)
    account.key_rotated_at = utcnow()
    session.flush()
    return key


def find_client(session: Session, client_id: str) -> Account | None:
    """The account of a client id, its number series loaded with it (so it can be read detached)."""
    stmt = select(Account).options(joinedload(Account.number_series)).where(Account.client_id == client_id)
    return session.scalars(stmt).unique().one_or_none()


def check_client(account: Account | None, client_key: str) -> Account | None:
    """``account`` when ``client_key`` is its key; an unknown client id costs as long as a wrong key."""
    if account is None:
        keys.burn_time(client_key)
        return None
    return account if keys.check_key(client_key, account.client_key_hash) else None


def authenticate(sessions: sessionmaker[Session], client_id: str, client_key: str) -> Account | None:
    """The account whose client id and key these are, or None.

    The look-up runs in a session of its own (give it a read-only factory), closed before the key is
    checked: scrypt is tens of milliseconds of CPU by design, and no transaction, pooled connection or
    SQLite lock is held meanwhile. The account comes back detached, its columns and number series loaded;
    a caller that changes it or reads more of it loads it again in its own session.
    """
    with sessions() as session:
        account = find_client(session, client_id)
    return check_client(account, client_key)


def find_account(session: Session, ref: str) -> Account:
    """An account by id or client id (the CLI's argument)."""
    stmt = select(Account).where(Account.client_id == ref)
    if ref.isdigit():
        stmt = select(Account).where(Account.id == int(ref))
    account = session.scalars(stmt).one_or_none()
    if account is None:
        raise not_found(ref)
    return account


def not_found(ref: object) -> NordublError:
    return NordublError(
        "No such account",
        [issue("account.not_found", params={"ref": str(ref)})],
        status=404,
    )
