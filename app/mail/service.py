"""What the owner sees and does: a document's mail status, the mails that need a person, explicit resends,
and the account's mail options. Used by the routes in ``app/api/routes/mail.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.db.rows import one_or_raise
from app.errors import NordublError
from app.mail import outbox as ob
from app.mail.compose import resend_message_id
from app.mail.models import MailAttempt, MailOptions, MailResend
from app.mail.owner import resolve_mail_entries
from app.store.models import Document, OutboxEntry

#: A mail in one of these states is on its way: a resend would race the worker.
IN_PROGRESS = ("queued", "sending")


def no_mail(document_id: int) -> NordublError:
    return NordublError.of(
        "mail.not_found", title="No mail for this document", status=404, document_id=str(document_id)
    )


def _entry(session: Session, account_id: int, document_id: int, lock: bool = False) -> OutboxEntry:
    stmt = select(OutboxEntry).where(
        OutboxEntry.document_id == document_id,
        OutboxEntry.account_id == account_id,
        OutboxEntry.kind == "mail",
    )
    return one_or_raise(session, stmt, lambda: no_mail(document_id), lock=lock)


@dataclass
class MailStatus:
    entry: OutboxEntry
    number: str | None
    attempts: list[MailAttempt] = field(default_factory=list)
    resends: list[MailResend] = field(default_factory=list)

    @property
    def sent_at(self) -> datetime | None:
        done = [a.finished_at for a in self.attempts if a.outcome == "sent"]
        return done[-1] if done else None

    @property
    def recipient(self) -> str | None:
        return self.attempts[-1].recipient if self.attempts else None


def mail_status(session: Session, account: Account, document_id: int) -> MailStatus:
    entry = _entry(session, account.id, document_id)
    document = session.get(Document, document_id)
    attempts = session.scalars(
        select(MailAttempt).where(MailAttempt.outbox_id == entry.id).order_by(MailAttempt.id)
    ).all()
    resends = session.scalars(
        select(MailResend).where(MailResend.outbox_id == entry.id).order_by(MailResend.id)
    ).all()
    return MailStatus(entry, document.number if document else None, list(attempts), list(resends))


def list_mail(
    session: Session, account: Account, statuses: list[str], limit: int, offset: int
) -> tuple[list[tuple[OutboxEntry, str]], int]:
    """The account's mails in ``statuses`` (all when empty), newest change first, with document numbers."""
    where = [OutboxEntry.account_id == account.id, OutboxEntry.kind == "mail"]
    if statuses:
        where.append(OutboxEntry.status.in_(statuses))
    total = session.scalar(select(func.count()).select_from(OutboxEntry).where(*where)) or 0
    rows = session.execute(
        select(OutboxEntry, Document.number)
        .join(Document, Document.id == OutboxEntry.document_id)
        .where(*where)
        .order_by(OutboxEntry.updated_at.desc(), OutboxEntry.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(r[0], r[1]) for r in rows], int(total)


def resend(
    session: Session,
    account: Account,
    document_id: int,
    now: datetime,
    requested_by: str | None = None,
    reason: str | None = None,
) -> MailResend:
    """Queue the document's mail again, as a new message (a new Message-ID), and record who asked and when.

    Refused (409) while the mail is queued or being sent. Commits.
    """
    entry = _entry(session, account.id, document_id, lock=True)
    previous_status, previous_id = entry.status, entry.message_id
    if previous_status in IN_PROGRESS:
        raise NordublError.of(
            "mail.in_progress",
            title="The mail is on its way",
            status=409,
            document_id=str(document_id),
            state=previous_status,
        )
    n = (session.scalar(select(func.count()).where(MailResend.outbox_id == entry.id)) or 0) + 1
    base = previous_id or f"<{document_id}@nordubl>"
    message_id = resend_message_id(base, n)
    # compare and set: a concurrent resend of the same row changes nothing here, it gets 409
    changed = session.execute(
        update(ob.outbox)
        .where(
            ob.c.id == entry.id,
            ob.c.status == previous_status,
            ob.c.message_id.is_(None) if previous_id is None else ob.c.message_id == previous_id,
        )
        .values(
            status="queued",
            attempts=0,
            next_attempt_at=now,
            lease_owner=None,
            lease_until=None,
            last_error=None,
            message_id=message_id,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise NordublError.of(
            "mail.in_progress",
            title="The mail changed meanwhile",
            status=409,
            variant="raced",
            document_id=str(document_id),
        )
    record = MailResend(
        outbox_id=entry.id,
        account_id=account.id,
        requested_by_client=account.client_id,
        requested_by=requested_by,
        reason=reason,
        requested_at=now,
        previous_status=previous_status,
        previous_message_id=previous_id,
        message_id=message_id,
    )
    session.add(record)
    resolve_mail_entries(session, account.id, document_id, now)
    session.commit()
    session.refresh(entry)
    return record


def get_options(session: Session, account: Account) -> MailOptions:
    return session.get(MailOptions, account.id) or MailOptions(account_id=account.id, attach_xml=False)


def set_options(session: Session, account: Account, attach_xml: bool, now: datetime) -> MailOptions:
    options = session.get(MailOptions, account.id)
    if options is None:
        options = MailOptions(account_id=account.id)
        session.add(options)
    options.attach_xml = attach_xml
    options.updated_at = now
    session.commit()
    return options
