"""What every step of an order's processing shares: the context it runs in, the outcome it answers, and
the steps each of its documents takes (the account's checks, the buyer, storing what was generated)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.accounts.settings import PRIVATE_ID_BY_KIND
from app.catalogue import service as catalogue
from app.codes import issue
from app.customers.models import CustomerRecord
from app.customers.resolve import ResolvedCustomer
from app.document.buyer import BuyerIdentity, identify
from app.errorlog.service import Finding
from app.errors import NordublError
from app.forms.models import RegistrationForm
from app.issues import Issue
from app.processing.clock import Clock
from app.processing.preflight import Prepared, preflight
from app.processing.settings import ProcessingSettings
from app.service import Generated
from app.store.blobs import BlobStore
from app.store.documents import NewDocument, store_document
from app.store.models import Document, OrderRecord
from app.validation.engine import Engine, default_engine

#: ``run(fn, *args)`` → ``fn(engine, *args)`` on the thread or process that owns the validation engine.
Runner = Callable[..., Any]


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


class Blocked(Exception):
    """Rolls back the savepoint of a step that found blocking problems."""

    def __init__(self, findings: list[Finding], status: int = 422) -> None:
        super().__init__(f"{len(findings)} blocking finding(s)")
        self.findings = findings
        self.status = status


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


def documents_of(session: Session, order_id: int) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.order_id == order_id).order_by(Document.id)))


def customer_of(ctx: Context, order: OrderRecord) -> CustomerRecord | None:
    return ctx.session.get(CustomerRecord, order.customer_id) if order.customer_id is not None else None


def buyer_of(
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


def prepare(ctx: Context, form: RegistrationForm, settings: ProcessingSettings) -> Prepared:
    """The account's checks on the form against its catalogue and fee mappings."""
    products = catalogue.products(ctx.session, ctx.account.id)
    fees = catalogue.fees(ctx.session, ctx.account.id)
    return preflight(form, ctx.account, settings, products, fees)


def store_generated(
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
    """A generated document of the order, stored with its XML."""
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
