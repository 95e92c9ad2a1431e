"""Document generation as module-level jobs: run on the Saxon thread or in a validation worker process
(``ValidationService.call`` needs picklable functions and arguments)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.accounts.profile import SellerProfile
from app.document.invoice import build_invoice
from app.forms.models import RegistrationForm
from app.processing.preflight import ChargeCode
from app.service import Generated, choose_profile, make_order, write_and_validate
from app.ubl.profiles import CREDIT_NOTE_PROFILES, INVOICE_PROFILES
from app.validation.engine import Engine


@dataclass(frozen=True)
class OrderJob:
    form: RegistrationForm
    seller: SellerProfile
    profile: str
    customer_number: str | None


@dataclass(frozen=True)
class InvoiceJob:
    form: RegistrationForm
    seller: SellerProfile
    profile: str | None
    credit_note: bool
    invoice_ref: str | None
    customer_number: str | None
    charge_codes: tuple[ChargeCode, ...] = ()


def generate_order(engine: Engine, job: OrderJob) -> Generated:
    return make_order(job.form, job.seller, job.profile, job.customer_number, engine)


def generate_invoice(engine: Engine, job: InvoiceJob) -> Generated:
    """As :func:`app.service.make_invoice`, with the account's UNCL7161 charge codes on the fees."""
    choice = choose_profile(job.form, job.profile)
    kind = "creditnote" if job.credit_note else "invoice"
    prof = (CREDIT_NOTE_PROFILES if job.credit_note else INVOICE_PROFILES)[choice.profile]
    doc = build_invoice(job.form, job.seller, kind, job.customer_number, job.invoice_ref)
    if job.charge_codes:
        charges = list(doc.allowance_charges)
        for cc in job.charge_codes:
            # source 003: the fee is booked as the account mapped it (BT-105 charge reason code)
            ac = charges[cc.fee_index]
            charges[cc.fee_index] = replace(ac, reason_code=cc.code, reason=cc.reason or ac.reason)
        doc = replace(doc, allowance_charges=tuple(charges))
    xml, report = write_and_validate(doc, prof, engine)
    return Generated(doc, xml, report, prof.name, choice)
