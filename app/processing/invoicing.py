"""An accepted order's invoice and credit notes: the account's decisions for each, the document generated
and validated from them, stored, and queued for mail when it may be sent.

The decisions (:class:`~app.service.InvoiceDecisions`) are the account's, not the shop's: the number of
its gap-free series, the day of booking, the shop's payment terms mapped to days, the fee charge codes and,
for a credit note, the invoice it corrects.
"""

from __future__ import annotations

from app.errorlog import service as errorlog
from app.errors import NordublError
from app.forms.models import CreditedInvoice, RegistrationForm
from app.processing.content import content_hash, form_document
from app.processing.context import (
    Blocked,
    Context,
    buyer_of,
    customer_of,
    findings_of,
    prepare,
    store_generated,
)
from app.processing.generate import InvoiceJob, generate_invoice
from app.processing.preflight import Prepared
from app.processing.settings import ProcessingSettings
from app.service import Generated, InvoiceDecisions
from app.store.documents import allocate_invoice_number, get_document
from app.store.models import Document, OrderRecord
from app.store.outbox import enqueue


def decide(ctx: Context, prepared: Prepared, number: str, credit_of: Document | None) -> InvoiceDecisions:
    """The account's decisions for an invoice (or a credit note of ``credit_of``) of the prepared form."""
    return InvoiceDecisions(
        number=number,  # the account's gap-free series
        issue_date=ctx.clock.now().date(),  # booked today
        payment_days=prepared.payment_days,
        credited=(
            CreditedInvoice(id=credit_of.number, issue_date=credit_of.issue_date)
            if credit_of is not None
            else None
        ),
        charge_codes=prepared.charge_codes,
    )


def _generate(
    ctx: Context,
    order: OrderRecord,
    settings: ProcessingSettings,
    form: RegistrationForm,
    *,
    credit_of: Document | None,
) -> Generated:
    prepared = prepare(ctx, form, settings)
    if prepared.blocking:
        raise Blocked(prepared.findings)
    decisions = decide(ctx, prepared, allocate_invoice_number(ctx.session, ctx.account.id), credit_of)
    customer = customer_of(ctx, order)
    buyer = buyer_of(ctx, prepared.form, settings, customer.number if customer else None, None)
    job = InvoiceJob(prepared.form, ctx.account.seller_profile(), settings.invoice_profile, buyer, decisions)
    try:
        generated: Generated = ctx.run(generate_invoice, job)
    except NordublError as err:
        raise Blocked(prepared.findings + findings_of(err), err.status) from None
    now = ctx.clock.now()
    errorlog.record(ctx.session, ctx.account.id, order.external_id, prepared.warnings, now)
    errorlog.resolve_order(
        ctx.session, ctx.account.id, order.external_id, now, "resubmit", [w.key for w in prepared.warnings]
    )
    return generated


def _sendable_status(ctx: Context) -> tuple[str, str]:
    # source 003: drafts during the trial period (checked by hand), sent directly in automatic mode
    return ("final", "automatic") if ctx.account.mode == "automatic" else ("draft", "owner")


def _store(
    ctx: Context,
    order: OrderRecord,
    generated: Generated,
    form: RegistrationForm,
    source_hash: str,
    credits: Document | None = None,
) -> Document:
    """The invoice or credit note stored; its mail goes with the document, or not at all."""
    status, by = _sendable_status(ctx)
    kind = "creditnote" if credits is not None else "invoice"
    customer = customer_of(ctx, order)
    document = store_generated(
        ctx, order, kind, generated, status, by, customer, form, source_hash, credits=credits
    )
    if document.sendable:
        enqueue(ctx.session, document, "mail", ctx.clock.now())
    return document


def invoice(ctx: Context, order: OrderRecord, settings: ProcessingSettings) -> Document:
    """The invoice of the accepted order's whole content."""
    assert order.form is not None
    form = RegistrationForm.model_validate(order.form)
    generated = _generate(ctx, order, settings, form, credit_of=None)
    return _store(ctx, order, generated, form, order.content_hash or "")


def credit(
    ctx: Context,
    order: OrderRecord,
    settings: ProcessingSettings,
    invoice: Document,
    form: RegistrationForm | None,
) -> Document:
    """A credit note of the invoice: its whole content, or the lines of ``form`` (a partial credit)."""
    assert order.form is not None
    source = form or RegistrationForm.model_validate(order.form)
    digest = content_hash(form_document(source))
    generated = _generate(ctx, order, settings, source, credit_of=invoice)
    return _store(ctx, order, generated, source, digest, credits=invoice)


def approve(ctx: Context, document_id: int) -> tuple[Document, bool]:
    """The owner approves a draft (source 003, trial period): it becomes final and its mail is queued, in
    one transaction. Approving a final document changes nothing. Answers (document, changed). Commits."""
    document = get_document(ctx.session, ctx.account.id, document_id, lock=True)
    if document.kind not in ("invoice", "creditnote"):
        ctx.session.rollback()
        raise NordublError.of(
            "document.not_approvable",
            title="Only invoices and credit notes are approved",
            status=409,
            value=document.kind,
            document_id=str(document_id),
        )
    if document.status == "final":
        ctx.session.commit()
        return document, False
    now = ctx.clock.now()
    document.status = "final"
    document.approved_at = now
    document.approved_by = "owner"
    enqueue(ctx.session, document, "mail", now)
    ctx.session.commit()
    return document, True
