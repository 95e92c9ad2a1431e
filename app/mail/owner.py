"""Tell the shop owner about a mail that needs a person: refused, out of attempts, or of unknown outcome.

Source 003: "a log system … sends the shop owner an error message they can usually fix themselves". The
entry goes into the account's error log (app.errorlog), keyed by the shop's order id (the document number
when the document has no order), in the caller's transaction; the outbox row keeps the detail
(``last_error``). An explicit resend resolves the order's open mail entries.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import codes
from app.errorlog.models import ErrorLogEntry
from app.errorlog.service import Finding, record
from app.store.models import Document, OrderRecord

log = logging.getLogger("nordubl.mail")

#: The form field to fix, when there is one.
FIELDS: dict[str, str] = {"mail.no_recipient": "customer.email", "mail.no_sender": "mail.sender"}


def order_key(session: Session, document_id: int) -> str:
    """The error log's key of a document: the shop's order id, else the document number."""
    document = session.get(Document, document_id)
    if document is None:
        return ""
    if document.order_id is not None:
        order = session.get(OrderRecord, document.order_id)
        if order is not None:
            return order.external_id
    return document.number


def tell_owner(
    session: Session, account_id: int, document_id: int, code: str, message: str, now: datetime
) -> None:
    """An error log entry for the account (flushed; the caller commits)."""
    log.warning("account %s document %s: %s %s", account_id, document_id, code, message)
    document = session.get(Document, document_id)
    number = document.number if document is not None else str(document_id)
    params = {"number": number, "detail": message[:500]}
    # the English of the catalogue of codes (app/codes/), which the log shows translated; a code from
    # elsewhere (the PDF renderer's, the store's) is recorded and shown in the words of a failed mail
    # ("shown_as": the code whose texts the error log shows, app/errorlog/messages.py)
    if code.startswith("mail.") and code in codes.CODES:
        issue = codes.issue(code, params=params)
    else:
        params["shown_as"] = "mail.failed"
        failed = codes.issue("mail.failed", params=params)
        issue = replace(failed, code=code, hint=None)
    record(
        session,
        account_id,
        order_key(session, document_id)[:100],
        [Finding(issue, blocking=True, params=params)],
        now,
    )


def resolve_mail_entries(session: Session, account_id: int, document_id: int, now: datetime) -> int:
    """Mark the document's open mail entries resolved by the owner (a resend was asked for)."""
    key = order_key(session, document_id)
    entries = session.scalars(
        select(ErrorLogEntry).where(
            ErrorLogEntry.account_id == account_id,
            ErrorLogEntry.order_key == key,
            ErrorLogEntry.code.like("mail.%"),
            ErrorLogEntry.resolved_at.is_(None),
        )
    ).all()
    for entry in entries:
        entry.resolved_at = now
        entry.resolved_by = "owner"
    session.flush()
    return len(entries)
