"""``POST /v1/preview``: a shop order through the account's processing with every write rolled back."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import Engine

from app.api.deps import validation_runner
from app.forms.models import RegistrationForm
from app.pdf.labels import LANGUAGES
from app.pdf.render import render_pdf
from app.processing import pipeline
from app.processing.clock import Clock
from app.processing.preview import dry_context
from app.store.documents import read_xml
from app.validation.service import ValidationService


def preview(
    engine: Engine,
    account_id: int,
    clock: Clock,
    validation: ValidationService,
    form: RegistrationForm,
    invoice: bool,
    pdf: bool,
) -> dict[str, Any]:
    """What the order would produce (documents, their XML and, with ``pdf``, the invoice's draft PDF),
    its warnings, or the findings that block it; in the request's worker thread."""
    run = validation_runner(validation)
    with dry_context(engine, account_id, clock, run) as ctx:
        outcome = pipeline.submit_order(ctx, form, invoice_now=invoice)
        documents = []
        for document in outcome.created:
            xml = read_xml(ctx.blobs, document)
            shown: dict[str, Any] = {
                "kind": document.kind,
                "number": document.number,
                "status": document.status,
                "profile": document.profile,
                "sha256": document.sha256,
                "xml": xml.decode("utf-8"),
            }
            if pdf and document.kind in ("invoice", "creditnote"):
                lang = ctx.account.language if ctx.account.language in LANGUAGES else "en"
                rendered = render_pdf(xml, lang, draft=True)  # not an invoice to pay: marked so
                shown["pdf_base64"] = base64.b64encode(rendered).decode("ascii")
            documents.append(shown)
        return {
            "preview": True,
            "order_id": form.order_id,
            "status": outcome.order.state,
            "customer": outcome.customer.as_dict() if outcome.customer else None,
            "documents": documents,
            "warnings": [i.as_dict() for i in outcome.warnings],
            "skipped": outcome.skipped.as_dict() if outcome.skipped else None,
        }
