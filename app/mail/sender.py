"""The mail worker's core: claim one due mail, prepare it, hand it over, record the answer.

``MailWorker.step()`` handles one row; ``drain()`` handles rows until none is due. The loop, signals and the
command line are in :mod:`app.worker`.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from threading import Event

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.models import Account
from app.db.base import utcnow
from app.errors import NordublError
from app.mail import outbox
from app.mail.compose import MailSetupError, compose, derive_message_id, sender_of
from app.mail.documents import DocumentMissing, DocumentSource, Renderer, default_renderer
from app.mail.facts import read_facts
from app.mail.models import MailAttempt, MailOptions
from app.mail.owner import tell_owner
from app.mail.transports import PermanentFailure, TemporaryFailure, Transport, UncertainDelivery

log = logging.getLogger("nordubl.mail")

#: Renderer and PDF-cache errors worth another try later; any other error of a document is permanent.
TEMPORARY_RENDER_CODES = frozenset({"pdf.timeout", "pdf.busy", "store.unavailable"})


@dataclass(frozen=True, slots=True)
class Outcome:
    outbox_id: int
    #: sent, queued (retry later), failed, unknown, or lost (the lease went to another worker)
    status: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Prepared:
    message: EmailMessage
    sender: str
    recipient: str
    message_id: str


class Unprepared(Exception):
    def __init__(self, code: str, message: str, temporary: bool) -> None:
        super().__init__(message)
        self.code = code
        self.temporary = temporary


def worker_name() -> str:
    """Lease owner name: host, process and a random part (a restarted process never reuses one)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class MailWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        transport: Transport,
        source: DocumentSource,
        *,
        renderer: Renderer = default_renderer,
        policy: outbox.RetryPolicy | None = None,
        lease: timedelta = timedelta(minutes=10),
        owner: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.sessions = sessions
        self.transport = transport
        self.source = source
        self.renderer = renderer
        self.policy = policy or outbox.RetryPolicy()
        self.lease = lease
        self.owner = owner or worker_name()
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 (retry jitter)

    # -- the loop's parts ----------------------------------------------------------------------------

    def reap(self) -> list[outbox.Reaped]:
        """Rows left ``sending`` by dead workers become ``unknown``; their owners are told."""
        now = self.clock()
        with self.sessions() as session:
            reaped = outbox.reap_expired(session, now)
            for row in reaped:
                message = (
                    f"the worker {row.lease_owner} stopped while sending it: it may or may not have been "
                    "delivered, and it is not sent again unless resent"
                )
                _finish_attempts(session, row.id, now, "unknown", message)
                tell_owner(session, row.account_id, row.document_id, "mail.unknown", message, now)
            session.commit()
        return reaped

    def step(self) -> Outcome | None:
        """Claim and handle one due mail; None when none is due."""
        with self.sessions() as session:
            claim = outbox.claim_next(session, self.owner, self.clock(), self.lease)
        if claim is None:
            return None
        return self.handle(claim)

    def drain(self, stop: Event | None = None, limit: int | None = None) -> Counter[str]:
        """Reap, then handle due mails until none is left (or ``stop`` is set); counts per outcome."""
        counts: Counter[str] = Counter()
        self.reap()
        while not (stop and stop.is_set()) and (limit is None or counts.total() < limit):
            outcome = self.step()
            if outcome is None:
                break
            counts[outcome.status] += 1
        return counts

    # -- one mail ------------------------------------------------------------------------------------

    def handle(self, claim: outbox.Claim) -> Outcome:
        with self.sessions() as session:
            try:
                try:
                    prepared = self._prepare(session, claim)
                except Unprepared:
                    raise
                except Exception as exc:  # a bug or an unforeseen error: nothing was sent; count it and retry
                    log.exception("mail %s: could not prepare the message", claim.id)
                    raise Unprepared(
                        "mail.prepare_failed", f"could not prepare the message: {exc!r}", True
                    ) from exc
            except Unprepared as exc:
                session.rollback()
                if exc.temporary and claim.attempts + 1 < self.policy.max_attempts:
                    delay = self.policy.delay(claim.attempts + 1, self.rng)
                    outbox.mark_retry(session, claim, self.clock(), delay, f"{exc.code}: {exc}", count=True)
                    session.commit()
                    return Outcome(claim.id, "queued", str(exc))
                return self._fail(session, claim, exc.code, str(exc), count=exc.temporary)

            # "Never twice" rests on this commit: 'sending' is durable before the provider sees the message.
            now = self.clock()
            if not outbox.mark_sending(session, claim, now, self.lease, prepared.message_id):
                session.rollback()
                return Outcome(claim.id, "lost", "the lease ran out while preparing")
            attempt = MailAttempt(
                outbox_id=claim.id,
                account_id=claim.account_id,
                worker=self.owner,
                transport=self.transport.name,
                message_id=prepared.message_id,
                recipient=prepared.recipient,
                started_at=now,
            )
            session.add(attempt)
            session.commit()
            try:
                reply = self.transport.send(prepared.message, prepared.sender, [prepared.recipient])
            except TemporaryFailure as exc:
                attempts = claim.attempts + 1
                if attempts >= self.policy.max_attempts:
                    return self._fail(
                        session,
                        claim,
                        "mail.failed",
                        f"gave up after {attempts} attempts; last: {exc}",
                        attempt,
                    )
                now = self.clock()
                outbox.mark_retry(session, claim, now, self.policy.delay(attempts, self.rng), str(exc))
                _finish(attempt, now, "retry", str(exc))
                session.commit()
                return Outcome(claim.id, "queued", str(exc))
            except PermanentFailure as exc:
                return self._fail(session, claim, "mail.failed", f"refused: {exc}", attempt)
            except UncertainDelivery as exc:
                return self._unknown(session, claim, str(exc), attempt)
            except Exception as exc:  # a bug or an unforeseen error mid-hand-over: the outcome is unknown
                log.exception("mail %s: unexpected error while sending", claim.id)
                return self._unknown(session, claim, f"unexpected error while sending: {exc!r}", attempt)
            now = self.clock()
            if not outbox.mark_sent(session, claim, now, reply):
                log.warning("mail %s was accepted (%s) but its row had changed meanwhile", claim.id, reply)
            _finish(attempt, now, "sent", reply)
            session.commit()
            return Outcome(claim.id, "sent", reply)

    def _fail(
        self,
        session: Session,
        claim: outbox.Claim,
        code: str,
        message: str,
        attempt: MailAttempt | None = None,
        count: bool = False,
    ) -> Outcome:
        now = self.clock()
        outbox.mark_failed(session, claim, now, f"{code}: {message}", count=count)
        if attempt is not None:
            _finish(attempt, now, "failed", message)
        tell_owner(session, claim.account_id, claim.document_id, code, message, now)
        session.commit()
        return Outcome(claim.id, "failed", message)

    def _unknown(self, session: Session, claim: outbox.Claim, message: str, attempt: MailAttempt) -> Outcome:
        now = self.clock()
        outbox.mark_unknown(session, claim, now, f"mail.unknown: {message}")
        _finish(attempt, now, "unknown", message)
        tell_owner(session, claim.account_id, claim.document_id, "mail.unknown", message, now)
        session.commit()
        return Outcome(claim.id, "unknown", message)

    def _prepare(self, session: Session, claim: outbox.Claim) -> Prepared:
        try:
            document = self.source.load(session, claim.document_id)
        except DocumentMissing as exc:
            raise Unprepared(
                "mail.document_missing", f"document {claim.document_id} is not stored", False
            ) from exc
        except Exception as exc:  # the store is unreachable
            raise Unprepared(
                "mail.store", f"cannot read document {claim.document_id}: {exc!r}", True
            ) from exc
        account = session.get(Account, claim.account_id)
        if account is None or document.account_id != claim.account_id:
            raise Unprepared("mail.document_missing", "the document belongs to no such account", False)
        options = session.get(MailOptions, claim.account_id)
        attach_xml = bool(options and options.attach_xml)
        language = account.language
        session.expunge(account)  # keeps its loaded values, whatever the session does on commit
        session.commit()  # end the read transaction: SQLite holds its write lock until then

        try:
            facts = read_facts(document.xml)
            sender = sender_of(account)
            recipient = document.recipient or facts.customer_email
            if not recipient:
                raise MailSetupError(
                    "mail.no_recipient",
                    "The document names no e-mail address of the buyer (BT-58, buyer contact e-mail).",
                )
            pdf = self.source.pdf(session, document, language, self.renderer)
            message_id = claim.message_id or derive_message_id(claim.document_id, claim.account_id, sender)
            message = compose(
                account,
                facts,
                recipient=recipient,
                message_id=message_id,
                pdf=pdf,
                xml=document.xml if attach_xml else None,
                now=self.clock(),
            )
        except MailSetupError as exc:
            raise Unprepared(exc.code, str(exc), False) from exc
        except NordublError as exc:
            code = exc.issues[0].code if exc.issues else "mail.document_unreadable"
            raise Unprepared(code, str(exc), code in TEMPORARY_RENDER_CODES) from exc
        except ValueError as exc:  # a header the email package refuses (e.g. a malformed address)
            raise Unprepared("mail.document_unreadable", str(exc), False) from exc
        return Prepared(message, sender, recipient, message_id)


def _finish(attempt: MailAttempt, now: datetime, outcome: str, reply: str) -> None:
    attempt.finished_at = now
    attempt.outcome = outcome
    attempt.reply = reply[:4000]


def _finish_attempts(session: Session, outbox_id: int, now: datetime, outcome: str, reply: str) -> None:
    """Close the open hand-overs of a row (their worker died before it could)."""
    session.execute(
        update(MailAttempt)
        .where(MailAttempt.outbox_id == outbox_id, MailAttempt.finished_at.is_(None))
        .values(finished_at=now, outcome=outcome, reply=reply[:4000])
    )
