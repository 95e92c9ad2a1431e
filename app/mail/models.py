"""Tables of the mail package (revision 0003): every hand-over of a mail, explicit resends, and each
account's mail options. The mail's current state stays on its outbox row (app.store.models)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import AccountRow, Base, PerAccount, UTCDateTime, utcnow
from app.store.models import OutboxEntry

ATTEMPT_OUTCOMES = ("sent", "retry", "failed", "unknown")


class MailAttempt(AccountRow, Base):
    """One hand-over of a mail to the provider, written in the transaction that marks the row ``sending``
    and completed with the provider's answer. One without an outcome is a hand-over whose answer was lost."""

    __tablename__ = "mail_attempts"
    __table_args__ = (CheckConstraint("outcome IN ('sent', 'retry', 'failed', 'unknown')", name="outcome"),)

    outbox_id: Mapped[int] = mapped_column(ForeignKey(OutboxEntry.id, ondelete="CASCADE"), index=True)
    #: The lease owner (host:pid:random) that handed the mail over.
    worker: Mapped[str] = mapped_column(String(200))
    transport: Mapped[str] = mapped_column(String(10))
    message_id: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(10))
    #: The provider's answer (``250 2.0.0 Ok: queued as …``, the SES MessageId) or the error.
    reply: Mapped[str | None] = mapped_column(Text)


class MailResend(AccountRow, Base):
    """One explicit resend of a document's mail: who asked, when, and what the mail's state was then."""

    __tablename__ = "mail_resends"

    outbox_id: Mapped[int] = mapped_column(ForeignKey(OutboxEntry.id, ondelete="CASCADE"), index=True)
    #: The client id of the credentials the request came with.
    requested_by_client: Mapped[str] = mapped_column(String(40))
    #: Who, as the caller names the person (optional free text: a name or an e-mail address).
    requested_by: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    previous_status: Mapped[str] = mapped_column(String(10))
    previous_message_id: Mapped[str | None] = mapped_column(String(200))
    #: The Message-ID the resent mail carries (the document's, with ``.resend-N`` added).
    message_id: Mapped[str] = mapped_column(String(200))


class MailOptions(PerAccount, Base):
    """An account's options of the invoice mail beyond its fixed text (``app.accounts``)."""

    __tablename__ = "mail_options"

    #: Attach the UBL XML beside the PDF.
    attach_xml: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
