"""Invoice mail of the calling account: a document's mail status, mails that need a person, explicit
resends, and the mail options (attach the XML)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import CallerDep
from app.api.problems import CREDENTIALS_REFUSED, problem_answers
from app.api.shapes import shaped
from app.db.base import utcnow
from app.mail import service
from app.store.models import OutboxEntry

router = APIRouter(
    tags=["mail"],
    responses=CREDENTIALS_REFUSED,
)

MailStatusName = Literal["queued", "sending", "sent", "failed", "unknown"]


class AttemptOut(BaseModel):
    started_at: datetime
    finished_at: datetime | None
    outcome: Literal["sent", "retry", "failed", "unknown"] | None = Field(
        description="None while the hand-over is under way (or its worker stopped: see the mail's status)"
    )
    transport: str
    recipient: str
    message_id: str
    reply: str | None = Field(description="The provider's answer, or the error")


class ResendOut(BaseModel):
    requested_at: datetime
    requested_by_client: str
    requested_by: str | None
    reason: str | None
    previous_status: str
    previous_message_id: str | None
    message_id: str


class MailOut(BaseModel):
    document_id: int
    number: str | None
    status: MailStatusName = Field(
        description="queued (waiting), sending (being handed over), sent (the provider accepted it), failed "
        "(refused or out of attempts: see last_error), unknown (the worker stopped while sending: it may or "
        "may not have arrived; never sent again unless resent)"
    )
    attempts: int
    next_attempt_at: datetime
    message_id: str | None
    last_error: str | None
    recipient: str | None
    sent_at: datetime | None
    updated_at: datetime
    history: list[AttemptOut]
    resends: list[ResendOut]


class MailRowOut(BaseModel):
    document_id: int
    number: str
    status: MailStatusName
    attempts: int
    next_attempt_at: datetime
    message_id: str | None
    last_error: str | None
    updated_at: datetime


class MailPage(BaseModel):
    items: list[MailRowOut]
    total: int
    limit: int
    offset: int


class ResendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requested_by: str | None = Field(
        None, max_length=500, description="Who asks (a name or an e-mail address), kept with the resend"
    )
    reason: str | None = Field(None, max_length=2000, examples=["The customer did not receive it"])


class MailOptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attach_xml: bool = Field(description="Attach the UBL XML beside the PDF")


class MailOptionsOut(MailOptionsIn):
    updated_at: datetime | None


def _mail_out(status: service.MailStatus) -> MailOut:
    return shaped(
        MailOut,
        status.entry,
        number=status.number,
        recipient=status.recipient,
        sent_at=status.sent_at,
        history=[shaped(AttemptOut, a) for a in status.attempts],
        resends=[shaped(ResendOut, r) for r in status.resends],
    )


def _row_out(e: OutboxEntry, number: str) -> MailRowOut:
    return shaped(MailRowOut, e, number=number)


@router.get(
    "/v1/documents/{document_id}/mail",
    response_model=MailOut,
    summary="The document's invoice mail: status, attempts, every hand-over and resend",
    responses=problem_answers((404, "No such document, or it has no mail")),
)
def read_mail(caller: CallerDep, document_id: int) -> MailOut:
    with caller.read() as (session, account):
        return _mail_out(service.mail_status(session, account, document_id))


@router.post(
    "/v1/documents/{document_id}/resend",
    response_model=MailOut,
    status_code=202,
    summary="Send the document's invoice mail again (recorded with who and when)",
    description="Queues the mail as a new message with its own Message-ID. Allowed when the mail is sent, "
    "failed or unknown; 409 while it is queued or being sent.",
    responses=problem_answers(
        (404, "No such document, or it has no mail"), (409, "The mail is queued or being sent")
    ),
)
def resend_mail(
    caller: CallerDep,
    document_id: int,
    body: Annotated[ResendIn | None, Body()] = None,
) -> MailOut:
    body = body or ResendIn()
    with caller.write() as (session, account):
        service.resend(session, account, document_id, utcnow(), body.requested_by, body.reason)
    with caller.read() as (session, account):  # the answer is read after the commit, without the write lock
        return _mail_out(service.mail_status(session, account, document_id))


@router.get(
    "/v1/mail",
    response_model=MailPage,
    summary="The calling account's invoice mails, e.g. those that need a person (status=failed,unknown)",
)
def list_mail(
    caller: CallerDep,
    status: Annotated[list[MailStatusName], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> MailPage:
    with caller.read() as (session, account):
        rows, total = service.list_mail(session, account, list(status), limit, offset)
        return MailPage(items=[_row_out(e, n) for e, n in rows], total=total, limit=limit, offset=offset)


@router.get("/v1/account/mail-options", response_model=MailOptionsOut, summary="The invoice mail options")
def read_options(caller: CallerDep) -> MailOptionsOut:
    with caller.read() as (session, account):
        options = service.get_options(session, account)
        return MailOptionsOut(attach_xml=options.attach_xml, updated_at=options.updated_at)


@router.put("/v1/account/mail-options", response_model=MailOptionsOut, summary="Set the invoice mail options")
def write_options(caller: CallerDep, body: MailOptionsIn) -> MailOptionsOut:
    with caller.write() as (session, account):  # set_options commits
        options = service.set_options(session, account, body.attach_xml, utcnow())
        return MailOptionsOut(attach_xml=options.attach_xml, updated_at=options.updated_at)
