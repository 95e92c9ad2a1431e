"""Document generation as module-level jobs: run on the Saxon thread or in a validation worker process
(``ValidationService.call`` needs picklable functions and arguments)."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.profile import SellerProfile
from app.document.buyer import BuyerIdentity
from app.forms.models import RegistrationForm
from app.service import ChargeCode, Generated, make
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
    credit_note: bool
    invoice_ref: str | None
    buyer: BuyerIdentity
    charge_codes: tuple[ChargeCode, ...] = ()


def generate_order(engine: Engine, job: OrderJob) -> Generated:
    return make(job.form, job.seller, "order", profile=job.profile, buyer=job.buyer, engine=engine)


def generate_invoice(engine: Engine, job: InvoiceJob) -> Generated:
    """As :func:`app.service.make_invoice`, with the account's UNCL7161 charge codes on the fees."""
    return make(
        job.form,
        job.seller,
        "creditnote" if job.credit_note else "invoice",
        profile=job.profile,
        buyer=job.buyer,
        invoice_ref=job.invoice_ref,
        charge_codes=job.charge_codes,
        engine=engine,
    )
