"""Document generation as module-level jobs: run on the Saxon thread or in a validation worker process
(``ValidationService.call`` needs picklable functions and arguments)."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.profile import SellerProfile
from app.document.buyer import BuyerIdentity
from app.forms.models import RegistrationForm
from app.service import Generated, InvoiceDecisions, make
from app.validation.engine import Engine


@dataclass(frozen=True)
class OrderJob:
    form: RegistrationForm
    seller: SellerProfile
    #: a forced profile; None: chosen for the seller and buyer
    profile: str | None
    buyer: BuyerIdentity


@dataclass(frozen=True)
class InvoiceJob:
    form: RegistrationForm
    seller: SellerProfile
    profile: str | None
    buyer: BuyerIdentity
    decisions: InvoiceDecisions


def generate_order(engine: Engine, job: OrderJob) -> Generated:
    return make(job.form, job.seller, "order", profile=job.profile, buyer=job.buyer, engine=engine)


def generate_invoice(engine: Engine, job: InvoiceJob) -> Generated:
    return make(
        job.form,
        job.seller,
        job.decisions.kind,
        profile=job.profile,
        buyer=job.buyer,
        decisions=job.decisions,
        engine=engine,
    )
