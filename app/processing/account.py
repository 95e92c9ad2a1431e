"""An account's processing configuration: settings, webhook, payment-term mapping, and the trial period
before automatic mode (source 003)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.codes import issue
from app.errorlog.service import unresolved_errors_since
from app.errors import NordublError
from app.forms.loader import pydantic_issues
from app.issues import Issue
from app.processing.models import AccountProcessing
from app.processing.settings import InvoiceNumbers, ProcessingSettings, ProcessingSettingsIn
from app.store.documents import ensure_series, set_series
from app.store.models import InvoiceNumberSeries

#: Source 003: 14 days in draft mode before automatic mode. The service's rule, not the shop's: an account
#: never sets fewer days itself; only the operator (the admin key) can, for one account.
TRIAL_DAYS_FLOOR = 14


def row(
    session: Session, account_id: int, *, create: bool = False, lock: bool = False
) -> AccountProcessing | None:
    found = session.get(AccountProcessing, account_id, with_for_update=lock or None)
    if found is None and create:
        found = AccountProcessing(account_id=account_id, settings={})
        session.add(found)
        session.flush()
    return found


def settings_of(session: Session, account_id: int) -> ProcessingSettings:
    r = row(session, account_id)
    return ProcessingSettings.model_validate(r.settings if r else {})


def settings_out(session: Session, account_id: int) -> dict[str, Any]:
    r = row(session, account_id)
    settings = ProcessingSettings.model_validate(r.settings if r else {})
    series = session.get(InvoiceNumberSeries, account_id)
    numbers = (
        InvoiceNumbers(prefix=series.prefix, next=series.next_value) if series else InvoiceNumbers(next=1)
    )
    return {
        **settings.model_dump(mode="json"),
        "invoice_numbers": numbers.model_dump(mode="json"),
        "webhook_url": r.webhook_url if r else None,
    }


def _trial_floor(days: int, floor: int) -> NordublError:
    return NordublError.of(
        "processing.trial_floor",
        title="The trial period cannot be shortened",
        value=str(days),
        floor=str(floor),
        default=str(TRIAL_DAYS_FLOOR),
    )


def save_settings(session: Session, account_id: int, data: Any, *, operator: bool = False) -> dict[str, Any]:
    """Replace the processing settings (``invoice_numbers`` only moves the series forward).

    Source 003: an account (``operator=False``) cannot set ``trial_days`` below :data:`TRIAL_DAYS_FLOOR`,
    nor below what it has when that is already fewer (what the operator granted it stays its own to keep);
    the operator's admin API (``operator=True``) can set any number of days."""
    try:
        doc = ProcessingSettingsIn.model_validate(data)
    except ValidationError as exc:
        raise NordublError(
            "The processing settings are invalid", pydantic_issues(list(exc.errors()))
        ) from None
    r = row(session, account_id, create=True, lock=True)
    assert r is not None
    if not operator:
        floor = min(TRIAL_DAYS_FLOOR, ProcessingSettings.model_validate(r.settings or {}).trial_days)
        if doc.trial_days < floor:
            raise _trial_floor(doc.trial_days, floor)
    r.settings = ProcessingSettings.model_validate(doc.model_dump(exclude={"invoice_numbers"})).model_dump(
        mode="json"
    )
    if doc.invoice_numbers is not None:
        set_series(session, account_id, doc.invoice_numbers.prefix, doc.invoice_numbers.next)
    else:
        ensure_series(session, account_id)
    session.flush()
    return settings_out(session, account_id)


# -- webhook ------------------------------------------------------------------------------------------


def _url_issue(value: str, variant: str | None = None) -> NordublError:
    title = "The webhook URL is invalid"
    if variant is None:
        return NordublError.of("webhook.url", title=title, value=value[:200])
    return NordublError.of("webhook.url", title=title, value=value[:200], variant=variant)


def set_webhook(session: Session, account_id: int, url: str, secret: str | None) -> dict[str, Any]:
    """Set the webhook URL; a new secret is made unless one is given. Answers the secret (shown here only)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _url_issue(url)
    if parts.username or parts.password:
        raise _url_issue(url, "credentials")
    r = row(session, account_id, create=True, lock=True)
    assert r is not None
    r.webhook_url = url
    r.webhook_secret = secret or "whsec_" + secrets.token_urlsafe(32)
    session.flush()
    return {"url": r.webhook_url, "secret": r.webhook_secret}


def clear_webhook(session: Session, account_id: int) -> None:
    r = row(session, account_id, lock=True)
    if r is not None:
        r.webhook_url = None
        r.webhook_secret = None
        session.flush()


def webhook_of(session: Session, account_id: int) -> tuple[str, str] | None:
    r = row(session, account_id)
    if r is None or not r.webhook_url or not r.webhook_secret:
        return None
    return r.webhook_url, r.webhook_secret


# -- the trial period (source 003) ---------------------------------------------------------------------


def draft_since(session: Session, account: Account) -> datetime:
    r = row(session, account.id)
    return r.draft_since if r is not None and r.draft_since is not None else account.created_at


def trial_status(session: Session, account: Account, now: datetime) -> dict[str, Any]:
    """Where the account stands: its mode, days in draft mode, when automatic mode can be switched on, and
    the unresolved errors of the last ``clean_days`` days that stand in the way."""
    settings = settings_of(session, account.id)
    since = draft_since(session, account)
    open_errors = unresolved_errors_since(session, account.id, now - timedelta(days=settings.clean_days))
    days = max(0, (now - since) // timedelta(days=1))
    automatic_from = since + timedelta(days=settings.trial_days)
    return {
        "mode": account.mode,
        "draft_since": since if account.mode == "draft" else None,
        "days_in_draft": days if account.mode == "draft" else None,
        "trial_days": settings.trial_days,
        "clean_days": settings.clean_days,
        "automatic_from": automatic_from if account.mode == "draft" else None,
        "unresolved_errors": open_errors,
        "can_switch_to_automatic": account.mode == "draft" and now >= automatic_from and open_errors == 0,
    }


def switch_mode(
    session: Session, account: Account, mode: Literal["draft", "automatic"], now: datetime
) -> dict[str, Any]:
    """Source 003: automatic booking only after the trial period in draft mode (``trial_days``, 14) with no
    unresolved error in the last ``clean_days`` (7). Refused earlier with the reason; back to draft is
    always allowed and starts a new trial period."""
    r = row(session, account.id, create=True, lock=True)
    assert r is not None
    if mode == account.mode:
        return trial_status(session, account, now)
    if mode == "draft":
        account.mode = "draft"
        r.draft_since = now
        session.flush()
        return trial_status(session, account, now)
    status = trial_status(session, account, now)
    issues: list[Issue] = []
    if now < status["automatic_from"]:
        issues.append(
            issue(
                "mode.trial_running",
                value=str(status["days_in_draft"]),
                params={
                    "trial_days": str(status["trial_days"]),
                    "automatic_from": status["automatic_from"].isoformat(),
                },
            )
        )
    if status["unresolved_errors"]:
        issues.append(
            issue(
                "mode.unresolved_errors",
                value=str(status["unresolved_errors"]),
                params={"days": str(status["clean_days"])},
            )
        )
    if issues:
        raise NordublError("Automatic mode cannot be switched on yet", issues, status=409)
    account.mode = "automatic"
    session.flush()
    return trial_status(session, account, now)


def set_payment_terms(session: Session, account: Account, terms: dict[str, int]) -> dict[str, int]:
    """Replace the shop's payment-term id → days mapping (source 003: the shop renumbered its ids)."""
    account.payment_terms_map = dict(terms)
    session.flush()
    return dict(account.payment_terms_map)
