"""The order pipeline of an account: preflight → customer → document → store (+ outbox), one transaction.

Concurrent submissions of one order meet on its ``orders`` row (unique per account and shop order id): the
first one locks it and processes the order, the others wait for the lock and then find the result. The work
runs in a savepoint: when a check blocks or a rule fails, the savepoint is rolled back (no customer, no
number, no document is kept), the findings go to the error log, and the order is marked ``blocked``; the
same order sent again after the cause is fixed goes through and resolves them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.accounts.settings import PRIVATE_ID_BY_KIND
from app.catalogue import service as catalogue
from app.catalogue.schemas import ProductIn
from app.codes import issue
from app.customers.models import CustomerRecord
from app.customers.resolve import ResolvedCustomer, resolve_customer
from app.document.buyer import BuyerIdentity, identify
from app.errorlog import service as errorlog
from app.errorlog.service import Finding
from app.errors import NordublError
from app.forms.loader import load_form_bytes
from app.forms.models import CreditedInvoice, RegistrationForm
from app.issues import Issue
from app.processing import account as accounts
from app.processing.clock import Clock
from app.processing.generate import InvoiceJob, OrderJob, generate_invoice, generate_order
from app.processing.preflight import Prepared, preflight
from app.processing.settings import ProcessingSettings
from app.service import Generated
from app.store.blobs import BlobStore
from app.store.documents import NewDocument, allocate_invoice_number, get_document, store_document
from app.store.models import Document, OrderRecord
from app.store.outbox import enqueue
from app.validation.engine import Engine, default_engine

#: ``run(fn, *args)`` → ``fn(engine, *args)`` on the thread or process that owns the validation engine.
Runner = Callable[..., Any]

#: Order states after the order went through: its content is fixed from then on.
ACCEPTED = ("accepted", "invoiced", "credited")


def direct_runner(engine: Engine | None = None) -> Runner:
    """Run jobs in the calling thread (CLI, tests): the engine must belong to this thread."""

    def run(fn: Callable[..., Any], *args: Any) -> Any:
        return fn(engine or default_engine(), *args)

    return run


@dataclass
class Context:
    """What processing needs: the session (the caller's transaction), the account, time, the blob store
    and the way to run validation."""

    session: Session
    account: Account
    clock: Clock
    blobs: BlobStore
    run: Runner

    @property
    def language(self) -> str:
        return self.account.language


@dataclass
class Outcome:
    """What one call did to an order."""

    order: OrderRecord
    #: Documents this call produced.
    created: list[Document] = field(default_factory=list)
    #: Every document of the order.
    documents: list[Document] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    #: True when nothing new was produced: the same order had been processed before.
    replayed: bool = False
    skipped: Issue | None = None
    customer: ResolvedCustomer | None = None

    def document(self, kind: str) -> Document | None:
        """The newest document of ``kind``."""
        found = [d for d in self.documents if d.kind == kind]
        return found[-1] if found else None

    @property
    def http_status(self) -> int:
        if self.skipped is not None:
            return 202
        return 201 if self.created else 200

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order.external_id,
            "status": "skipped" if self.skipped is not None else self.order.state,
            "shop_status": self.order.shop_status,
            "replayed": self.replayed,
            "customer": self.customer.as_dict() if self.customer else None,
            "created": [d.id for d in self.created],
            "documents": [document_summary(d) for d in self.documents],
            "warnings": [i.as_dict() for i in self.warnings],
            "skipped": self.skipped.as_dict() if self.skipped else None,
        }


def document_summary(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "uuid": d.uuid,
        "kind": d.kind,
        "number": d.number,
        "status": d.status,
        "profile": d.profile,
        "sha256": d.sha256,
        "url": f"/v1/documents/{d.id}",
        "xml_url": f"/v1/documents/{d.id}.xml",
    }


class _Blocked(Exception):
    """Rolls back the savepoint of a step that found blocking problems."""

    def __init__(self, findings: list[Finding], status: int = 422) -> None:
        super().__init__(f"{len(findings)} blocking finding(s)")
        self.findings = findings
        self.status = status


# -- helpers --------------------------------------------------------------------------------------------


def form_document(form: RegistrationForm) -> dict[str, Any]:
    """The form as stored and compared: JSON, the shop's order status left out (it moves on its own)."""
    data: dict[str, Any] = form.model_dump(mode="json", exclude={"order_status"}, exclude_none=True)
    return data


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """The first path at which two JSON values differ (``products[0].price``), None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            sub = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                return sub
            found = first_difference(a[key], b[key], sub)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None if len(a) == len(b) else f"{path}[{min(len(a), len(b))}]"
    return None if a == b else (path or "body")


def _status(value: str | None) -> str | None:
    return value.strip().casefold() if value and value.strip() else None


def findings_of(err: NordublError) -> list[Finding]:
    """A refusal (customer, document rules) as blocking findings."""
    found = [
        Finding(i, True, dict(i.params) if i.params else ({"value": i.value} if i.value else {}))
        for i in err.issues
        if i.severity in ("fatal", "error")
    ]
    if found:
        return found
    refused = issue("order.refused", params={"detail": err.title})
    return [Finding(refused, True, dict(refused.params or {}))]


def _lock_order(session: Session, account_id: int, external_id: str) -> OrderRecord:
    """The order's row, locked until the transaction ends (inserted when new; a concurrent insert of the
    same order waits on the unique index and then finds the winner's row)."""
    stmt = (
        select(OrderRecord)
        .where(OrderRecord.account_id == account_id, OrderRecord.external_id == external_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    order = session.scalars(stmt).one_or_none()
    if order is not None:
        return order
    try:
        with session.begin_nested():
            order = OrderRecord(account_id=account_id, external_id=external_id, state="received")
            session.add(order)
            session.flush()
        return order
    except IntegrityError:
        return session.scalars(stmt).one()


def _documents(session: Session, order_id: int) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.order_id == order_id).order_by(Document.id)))


def _buyer(
    ctx: Context, form: RegistrationForm, settings: ProcessingSettings, number: str | None, ean: str | None
) -> BuyerIdentity:
    """The one buyer identity of the order's documents (the account's customer number, its custom fields,
    its buyer-reference choice and its way of identifying private persons)."""
    return identify(
        form,
        rules=ctx.account.customer_rules(),
        customer_number=number,
        ean=ean,
        reference=settings.buyer_reference,
        private_by=PRIVATE_ID_BY_KIND.get(ctx.account.kind, "email"),
    )


def _prepare(ctx: Context, form: RegistrationForm, settings: ProcessingSettings) -> Prepared:
    products = catalogue.products(ctx.session, ctx.account.id)
    fees = catalogue.fees(ctx.session, ctx.account.id)
    return preflight(form, ctx.account, settings, products, fees)


def _refuse(ctx: Context, order: OrderRecord, blocked: _Blocked, *, mark_blocked: bool) -> NordublError:
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


def _customer(ctx: Context, order: OrderRecord) -> CustomerRecord | None:
    return ctx.session.get(CustomerRecord, order.customer_id) if order.customer_id is not None else None


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
        try:
            with session.begin_nested():
                outcome = _advance(ctx, order, settings, status, invoice_now)
        except _Blocked as blocked:
            raise _refuse(ctx, order, blocked, mark_blocked=False) from None
        outcome.replayed = not outcome.created
        session.commit()
        return outcome

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
            documents=_documents(session, order.id),
        )

    try:
        with session.begin_nested():
            outcome = _accept(ctx, order, form, data, digest, status, settings, invoice_now)
    except _Blocked as blocked:
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
    prepared = _prepare(ctx, form, settings)
    findings = list(prepared.findings)
    customer: ResolvedCustomer | None = None
    try:
        customer = resolve_customer(session, ctx.account, form.customer)
    except NordublError as err:  # customer.must_exist, customer.number_missing … (sources 000, 001)
        findings.extend(findings_of(err))
    if any(f.blocking for f in findings):
        raise _Blocked(findings)
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
        buyer = _buyer(ctx, prepared.form, settings, customer.number, customer.ean)
        generated: Generated = ctx.run(
            generate_order, OrderJob(prepared.form, seller, settings.order_profile, buyer)
        )
    except NordublError as err:
        raise _Blocked(findings + findings_of(err), err.status) from None

    document = _store(ctx, order, "order", generated, "final", "automatic", customer, form, digest)
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
    outcome.documents = _documents(session, order.id)
    return outcome


def _store(
    ctx: Context,
    order: OrderRecord,
    kind: str,
    generated: Generated,
    status: str,
    approved_by: str,
    customer: ResolvedCustomer | CustomerRecord | None,
    form: RegistrationForm,
    source_hash: str,
    credits: Document | None = None,
) -> Document:
    doc = generated.document
    return store_document(
        ctx.session,
        ctx.blobs,
        NewDocument(
            account_id=ctx.account.id,
            kind=kind,
            number=doc.id,
            profile=generated.profile,
            ruleset=generated.report.label,
            xml=generated.xml,
            currency=doc.currency,
            issue_date=doc.issue_date,
            due_date=doc.due_date,
            payable=doc.totals.payable,
            status=status,
            order_id=order.id,
            customer_id=customer.id if customer else None,
            customer_number=customer.number if customer else None,
            customer_name=form.customer.name,
            customer_email=form.customer.email,
            credits_document_id=credits.id if credits else None,
            approved_by=approved_by,
            source_hash=source_hash,
        ),
        ctx.clock.now(),
    )


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
        outcome.created.append(_invoice(ctx, order, settings))
        order.state = "invoiced"
    elif order.state == "invoiced" and current in settings.cancel_statuses:
        invoice = next(d for d in reversed(_documents(ctx.session, order.id)) if d.kind == "invoice")
        outcome.created.append(_credit(ctx, order, settings, invoice, None))
        order.state = "credited"
    order.updated_at = ctx.clock.now()
    outcome.documents = _documents(ctx.session, order.id)
    return outcome


def _invoice_form(
    ctx: Context, form: RegistrationForm, settings: ProcessingSettings, number: str
) -> RegistrationForm:
    update: dict[str, Any] = {
        "invoice_number": number,  # the account's gap-free series
        "invoice_date": ctx.clock.now().date(),  # booked today
        "due_date": None,  # from the payment terms (BR-CO-25)
    }
    return form.model_copy(update=update)


def _make(
    ctx: Context,
    order: OrderRecord,
    settings: ProcessingSettings,
    form: RegistrationForm,
    *,
    credit_of: Document | None,
) -> Generated:
    prepared = _prepare(ctx, form, settings)
    if prepared.blocking:
        raise _Blocked(prepared.findings)
    number = allocate_invoice_number(ctx.session, ctx.account.id)
    built = _invoice_form(ctx, prepared.form, settings, number)
    if credit_of is not None:
        built = built.model_copy(
            update={"credited_invoice": CreditedInvoice(id=credit_of.number, issue_date=credit_of.issue_date)}
        )
    seller = ctx.account.seller_profile()
    if prepared.payment_days is not None:
        seller = seller.model_copy(update={"payment_terms_days": prepared.payment_days})
    customer = _customer(ctx, order)
    buyer = _buyer(ctx, built, settings, customer.number if customer else None, None)
    try:
        generated: Generated = ctx.run(
            generate_invoice,
            InvoiceJob(
                built,
                seller,
                settings.invoice_profile,
                credit_of is not None,
                credit_of.number if credit_of else None,
                buyer,
                prepared.charge_codes,
            ),
        )
    except NordublError as err:
        raise _Blocked(prepared.findings + findings_of(err), err.status) from None
    now = ctx.clock.now()
    errorlog.record(ctx.session, ctx.account.id, order.external_id, prepared.warnings, now)
    errorlog.resolve_order(
        ctx.session, ctx.account.id, order.external_id, now, "resubmit", [w.key for w in prepared.warnings]
    )
    return generated


def _sendable_status(ctx: Context) -> tuple[str, str]:
    # source 003: drafts during the trial period (checked by hand), sent directly in automatic mode
    return ("final", "automatic") if ctx.account.mode == "automatic" else ("draft", "owner")


def _invoice(ctx: Context, order: OrderRecord, settings: ProcessingSettings) -> Document:
    assert order.form is not None
    form = RegistrationForm.model_validate(order.form)
    generated = _make(ctx, order, settings, form, credit_of=None)
    status, by = _sendable_status(ctx)
    document = _store(
        ctx, order, "invoice", generated, status, by, _customer(ctx, order), form, order.content_hash or ""
    )
    if document.sendable:
        enqueue(
            ctx.session, document, "mail", ctx.clock.now()
        )  # the mail goes with the document, or not at all
    return document


def _credit(
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
    generated = _make(ctx, order, settings, source, credit_of=invoice)
    status, by = _sendable_status(ctx)
    document = _store(
        ctx,
        order,
        "creditnote",
        generated,
        status,
        by,
        _customer(ctx, order),
        source,
        digest,
        credits=invoice,
    )
    if document.sendable:
        enqueue(ctx.session, document, "mail", ctx.clock.now())
    return document


def update_status(ctx: Context, external_id: str, status: str) -> Outcome:
    """The shop's order status changed: invoice, credit, or only record it. Commits."""
    session = ctx.session
    settings = accounts.settings_of(session, ctx.account.id)
    order = session.scalars(
        select(OrderRecord)
        .where(OrderRecord.account_id == ctx.account.id, OrderRecord.external_id == external_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if order is None:
        session.rollback()
        raise order_not_found(external_id)
    wanted = _status(status)
    if order.state not in ACCEPTED:
        # not processed yet (blocked or skipped): keep the status for when it is
        order.shop_status = wanted
        order.updated_at = ctx.clock.now()
        session.commit()
        return Outcome(order, replayed=True, documents=_documents(session, order.id))
    try:
        with session.begin_nested():
            outcome = _advance(ctx, order, settings, wanted, False)
    except _Blocked as blocked:
        raise _refuse(ctx, order, blocked, mark_blocked=False) from None
    outcome.replayed = not outcome.created
    session.commit()
    return outcome


def credit_order(ctx: Context, form: RegistrationForm, *, invoice_profile: str | None = None) -> Outcome:
    """A credit note of the order's invoice with the lines of ``form`` (all of them: a full credit).
    The same credit sent again answers the first credit note. ``invoice_profile`` forces the credit note's
    profile for this call, as for invoices. Commits."""
    session = ctx.session
    settings = accounts.settings_of(session, ctx.account.id)
    if invoice_profile:
        settings = settings.model_copy(update={"invoice_profile": invoice_profile})
    order = session.scalars(
        select(OrderRecord)
        .where(OrderRecord.account_id == ctx.account.id, OrderRecord.external_id == form.order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if order is None:
        session.rollback()
        raise order_not_found(form.order_id)
    documents = _documents(session, order.id)
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
            document = _credit(ctx, order, settings, invoice, form)
            if digest == order.content_hash:
                order.state = "credited"
            order.updated_at = ctx.clock.now()
    except _Blocked as blocked:
        raise _refuse(ctx, order, blocked, mark_blocked=False) from None
    outcome = Outcome(order, created=[document], documents=_documents(session, order.id))
    session.commit()
    return outcome


def order_not_found(external_id: str) -> NordublError:
    return NordublError.of("order.not_found", title="No such order", status=404, order_id=external_id)


def order_outcome(ctx: Context, external_id: str) -> Outcome:
    order = ctx.session.scalars(
        select(OrderRecord).where(
            OrderRecord.account_id == ctx.account.id, OrderRecord.external_id == external_id
        )
    ).one_or_none()
    if order is None:
        raise order_not_found(external_id)
    return Outcome(order, replayed=True, documents=_documents(ctx.session, order.id))


# -- documents ------------------------------------------------------------------------------------------


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
