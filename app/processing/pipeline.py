"""The order pipeline of an account: preflight → customer → document → store (+ outbox), one transaction.

Concurrent submissions of one order meet on its ``orders`` row (unique per account and shop order id): the
first one locks it and processes the order, the others wait for the lock and then find the result. The work
runs in a savepoint: when a check blocks or a rule fails, the savepoint is rolled back (no customer, no
number, no document is kept), the findings go to the error log, and the order is marked ``blocked``; the
same order sent again after the cause is fixed goes through and resolves them.

An order's states: ``received`` (its row exists) → ``accepted`` (its order document is stored), or
``blocked`` (findings stand in the way; sent again, it is tried again) or ``skipped`` (registered before
``process_orders_from``, source 004). The shop's status then moves an accepted order on (source 003):
``accepted`` → ``invoiced`` at an invoicing status, ``invoiced`` → ``credited`` at a cancelling one or by
a full credit. The documents themselves are made in :mod:`app.processing.invoicing`.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.catalogue import service as catalogue
from app.catalogue.schemas import ProductIn
from app.customers.resolve import ResolvedCustomer, resolve_customer
from app.errorlog import service as errorlog
from app.errors import NordublError
from app.forms.loader import load_form_bytes
from app.forms.models import RegistrationForm
from app.processing import account as accounts
from app.processing import invoicing
from app.processing.content import content_hash, first_difference, form_document
from app.processing.context import (
    Blocked,
    Context,
    Outcome,
    buyer_of,
    documents_of,
    findings_of,
    prepare,
    store_generated,
)
from app.processing.generate import OrderJob, generate_order
from app.processing.preflight import preflight
from app.processing.settings import ProcessingSettings
from app.service import Generated
from app.store.models import OrderRecord
from app.store.outbox import enqueue

#: Order states after the order went through: its content is fixed from then on.
ACCEPTED = ("accepted", "invoiced", "credited")


def _status(value: str | None) -> str | None:
    return value.strip().casefold() if value and value.strip() else None


def _order_query(account_id: int, external_id: str, *, lock: bool) -> Select[OrderRecord]:
    """The account's order by the shop's order id; ``lock``: its row, locked until the transaction ends
    (read again, whatever the session held)."""
    stmt = select(OrderRecord).where(
        OrderRecord.account_id == account_id, OrderRecord.external_id == external_id
    )
    return stmt.with_for_update().execution_options(populate_existing=True) if lock else stmt


def _locked_order(session: Session, account_id: int, external_id: str) -> OrderRecord | None:
    return session.scalars(_order_query(account_id, external_id, lock=True)).one_or_none()


def _lock_order(session: Session, account_id: int, external_id: str) -> OrderRecord:
    """The order's row, locked until the transaction ends (inserted when new; a concurrent insert of the
    same order waits on the unique index and then finds the winner's row)."""
    order = _locked_order(session, account_id, external_id)
    if order is not None:
        return order
    try:
        with session.begin_nested():
            order = OrderRecord(account_id=account_id, external_id=external_id, state="received")
            session.add(order)
            session.flush()
        return order
    except IntegrityError:
        return session.scalars(_order_query(account_id, external_id, lock=True)).one()


def _refuse(ctx: Context, order: OrderRecord, blocked: Blocked, *, mark_blocked: bool) -> NordublError:
    """After the savepoint was rolled back: log the findings, mark the order, commit; the error to raise."""
    now = ctx.clock.now()
    errorlog.record(ctx.session, ctx.account.id, order.external_id, blocked.findings, now)
    if mark_blocked and order.state not in ACCEPTED:
        order.state = "blocked"
        order.updated_at = now
    ctx.session.commit()
    issues = [errorlog.localized_issue(f, ctx.language) for f in blocked.findings]
    title = "The order cannot be processed" if mark_blocked else "The document cannot be produced"
    return NordublError(title, issues, status=blocked.status, language=ctx.language or "en")


# -- orders ---------------------------------------------------------------------------------------------


def submit_order(
    ctx: Context,
    form: RegistrationForm,
    *,
    invoice_now: bool = False,
    order_profile: str | None = None,
    invoice_profile: str | None = None,
) -> Outcome:
    """Process a shop order: the order document, and the invoice when its status asks for one (or
    ``invoice_now``). The same order sent again answers the first result; a newer status moves it on;
    the same order id with other content is refused (409). The profiles override the account's settings
    for this call. Commits."""
    session = ctx.session
    settings = accounts.settings_of(session, ctx.account.id)
    if order_profile or invoice_profile:
        settings = settings.model_copy(
            update={
                "order_profile": order_profile or settings.order_profile,
                "invoice_profile": invoice_profile or settings.invoice_profile,
            }
        )
    data = form_document(form)
    digest = content_hash(data)
    status = _status(form.order_status)
    order = _lock_order(session, ctx.account.id, form.order_id)

    if order.state in ACCEPTED:
        if order.content_hash != digest:
            where = first_difference(order.form or {}, data) or "body"
            session.rollback()
            raise NordublError.of(
                "order.conflict",
                where,
                title="The order was processed before with other content",
                status=409,
                order_id=form.order_id,
            )
        return _move_on(ctx, order, settings, status, invoice_now)

    if ctx.account.process_orders_from and form.order_date < ctx.account.process_orders_from:
        prepared = preflight(form, ctx.account, settings, {}, {})
        assert prepared.skipped is not None
        now = ctx.clock.now()
        order.state = "skipped"
        order.form = data
        order.content_hash = digest
        order.shop_status = status or order.shop_status
        order.updated_at = now
        errorlog.resolve_order(session, ctx.account.id, order.external_id, now, "skipped")
        session.commit()
        return Outcome(
            order,
            skipped=errorlog.localized_issue(prepared.skipped, ctx.language),
            documents=documents_of(session, order.id),
        )

    try:
        with session.begin_nested():
            outcome = _accept(ctx, order, form, data, digest, status, settings, invoice_now)
    except Blocked as blocked:
        raise _refuse(ctx, order, blocked, mark_blocked=True) from None
    session.commit()
    return outcome


def _accept(
    ctx: Context,
    order: OrderRecord,
    form: RegistrationForm,
    data: dict[str, Any],
    digest: str,
    status: str | None,
    settings: ProcessingSettings,
    invoice_now: bool,
) -> Outcome:
    session = ctx.session
    now = ctx.clock.now()
    prepared = prepare(ctx, form, settings)
    findings = list(prepared.findings)
    customer: ResolvedCustomer | None = None
    try:
        customer = resolve_customer(session, ctx.account, form.customer)
    except NordublError as err:  # customer.must_exist, customer.number_missing … (sources 000, 001)
        findings.extend(findings_of(err))
    if any(f.blocking for f in findings):
        raise Blocked(findings)
    assert customer is not None

    if prepared.new_products:
        # the account allows products to be created on the fly
        catalogue.save_products(
            session,
            ctx.account.id,
            [
                ProductIn(
                    product_number=p.product_number,
                    name=p.name,
                    vat_rate=p.vat_rate,
                    erp_item=None,
                    active=True,
                )
                for p in prepared.new_products
            ],
            replace_all=False,
            origin="order",
        )

    seller = ctx.account.seller_profile()
    try:
        buyer = buyer_of(ctx, prepared.form, settings, customer.number, customer.ean)
        generated: Generated = ctx.run(
            generate_order, OrderJob(prepared.form, seller, settings.order_profile, buyer)
        )
    except NordublError as err:
        raise Blocked(findings + findings_of(err), err.status) from None

    document = store_generated(ctx, order, "order", generated, "final", "automatic", customer, form, digest)
    if accounts.webhook_of(session, ctx.account.id) is not None:
        enqueue(session, document, "webhook", now)

    order.state = "accepted"
    order.form = data
    order.content_hash = digest
    order.customer_id = customer.id
    order.shop_status = status or order.shop_status
    order.updated_at = now
    warnings = prepared.warnings
    errorlog.record(session, ctx.account.id, order.external_id, warnings, now)
    errorlog.resolve_order(
        session, ctx.account.id, order.external_id, now, "resubmit", [w.key for w in warnings]
    )

    outcome = _advance(ctx, order, settings, None, invoice_now)
    outcome.created.insert(0, document)
    outcome.customer = customer
    outcome.warnings = [errorlog.localized_issue(w, ctx.language) for w in warnings] + outcome.warnings
    outcome.documents = documents_of(session, order.id)
    return outcome


def _advance(
    ctx: Context, order: OrderRecord, settings: ProcessingSettings, status: str | None, invoice_now: bool
) -> Outcome:
    """Move an accepted order to what its shop status asks for (source 003: booking is driven by the
    shop's order status): an invoice at an invoicing status, a credit note at a cancelling one."""
    if status is not None:
        order.shop_status = status
    current = order.shop_status
    outcome = Outcome(order)
    if order.state == "accepted" and (invoice_now or (current in settings.invoice_statuses)):
        outcome.created.append(invoicing.invoice(ctx, order, settings))
        order.state = "invoiced"
    elif order.state == "invoiced" and current in settings.cancel_statuses:
        invoice = next(d for d in reversed(documents_of(ctx.session, order.id)) if d.kind == "invoice")
        outcome.created.append(invoicing.credit(ctx, order, settings, invoice, None))
        order.state = "credited"
    order.updated_at = ctx.clock.now()
    outcome.documents = documents_of(ctx.session, order.id)
    return outcome


def _move_on(
    ctx: Context, order: OrderRecord, settings: ProcessingSettings, status: str | None, invoice_now: bool
) -> Outcome:
    """:func:`_advance` an accepted order in a savepoint; a replay when nothing was due. Commits."""
    try:
        with ctx.session.begin_nested():
            outcome = _advance(ctx, order, settings, status, invoice_now)
    except Blocked as blocked:
        raise _refuse(ctx, order, blocked, mark_blocked=False) from None
    outcome.replayed = not outcome.created
    ctx.session.commit()
    return outcome


def update_status(ctx: Context, external_id: str, status: str) -> Outcome:
    """The shop's order status changed: invoice, credit, or only record it. Commits."""
    session = ctx.session
    settings = accounts.settings_of(session, ctx.account.id)
    order = _locked_order(session, ctx.account.id, external_id)
    if order is None:
        session.rollback()
        raise order_not_found(external_id)
    wanted = _status(status)
    if order.state not in ACCEPTED:
        # not processed yet (blocked or skipped): keep the status for when it is
        order.shop_status = wanted
        order.updated_at = ctx.clock.now()
        session.commit()
        return Outcome(order, replayed=True, documents=documents_of(session, order.id))
    return _move_on(ctx, order, settings, wanted, False)


def credit_order(ctx: Context, form: RegistrationForm, *, invoice_profile: str | None = None) -> Outcome:
    """A credit note of the order's invoice with the lines of ``form`` (all of them: a full credit).
    The same credit sent again answers the first credit note. ``invoice_profile`` forces the credit note's
    profile for this call, as for invoices. Commits."""
    session = ctx.session
    settings = accounts.settings_of(session, ctx.account.id)
    if invoice_profile:
        settings = settings.model_copy(update={"invoice_profile": invoice_profile})
    order = _locked_order(session, ctx.account.id, form.order_id)
    if order is None:
        session.rollback()
        raise order_not_found(form.order_id)
    documents = documents_of(session, order.id)
    invoice = next((d for d in reversed(documents) if d.kind == "invoice"), None)
    if invoice is None:
        session.rollback()
        raise NordublError.of(
            "order.not_invoiced", title="The order has no invoice", status=409, order_id=form.order_id
        )
    digest = content_hash(form_document(form))
    earlier = next((d for d in documents if d.kind == "creditnote" and d.source_hash == digest), None)
    if earlier is not None:
        session.commit()
        return Outcome(order, replayed=True, documents=documents)
    try:
        with session.begin_nested():
            document = invoicing.credit(ctx, order, settings, invoice, form)
            if digest == order.content_hash:
                order.state = "credited"
            order.updated_at = ctx.clock.now()
    except Blocked as blocked:
        raise _refuse(ctx, order, blocked, mark_blocked=False) from None
    outcome = Outcome(order, created=[document], documents=documents_of(session, order.id))
    session.commit()
    return outcome


def order_not_found(external_id: str) -> NordublError:
    return NordublError.of("order.not_found", title="No such order", status=404, order_id=external_id)


def order_outcome(ctx: Context, external_id: str) -> Outcome:
    order = ctx.session.scalars(_order_query(ctx.account.id, external_id, lock=False)).one_or_none()
    if order is None:
        raise order_not_found(external_id)
    return Outcome(order, replayed=True, documents=documents_of(ctx.session, order.id))


def load_form(ctx: Context, raw: bytes) -> RegistrationForm:
    """The form of a request; one that breaks the input contract is logged for the owner (by its order id
    when it has one) and refused with the issues."""
    try:
        return load_form_bytes(raw)
    except NordublError as err:
        key = ""
        try:
            parsed = json.loads(raw)
            if isinstance(parsed, dict) and isinstance(parsed.get("order_id"), str):
                key = parsed["order_id"][:100]
        except (ValueError, RecursionError):  # a JSON bomb was already refused by the form model
            pass
        errorlog.record(ctx.session, ctx.account.id, key, findings_of(err), ctx.clock.now())
        ctx.session.commit()
        raise
