"""The codes of a document after it is built: the invoice mail (``mail.*``), the PDF renderer
(``pdf.*``), the reader of UBL files (``reader.*``), the stored documents and blobs (``document.*``,
``store.*``) and the webhooks that announce them (``webhook.*``).
"""

from __future__ import annotations

from app.codes.code import Code
from app.i18n import NP_

CODES: dict[str, Code] = {
    # source 003: the invoice mail (app/mail/owner.py records these; {number} is the document's number,
    # {detail} the worker's or the provider's own words). English repeats what the worker records.
    "mail.failed": Code(
        "fatal",
        "mail",
        NP_("mail.failed", "Invoice mail {number}: {detail}"),
        NP_("mail.failed", "Check the customer's e-mail address, then resend the invoice mail."),
    ),
    "mail.unknown": Code(
        "fatal",
        "mail",
        NP_("mail.unknown", "Invoice mail {number}: {detail}"),
        NP_("mail.unknown", "Ask the customer whether the invoice arrived; resend it only if it did not."),
    ),
    "mail.no_recipient": Code(
        "fatal",
        "customer.email",
        NP_("mail.no_recipient", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.no_recipient",
            "Add the customer's e-mail address to the order, then resend the invoice mail.",
        ),
    ),
    "mail.no_sender": Code(
        "fatal",
        "mail.sender",
        NP_("mail.no_sender", "Invoice mail {number}: {detail}"),
        NP_("mail.no_sender", "Set the account's mail sender (mail.sender), then resend the invoice mail."),
    ),
    "mail.document_missing": Code(
        "fatal",
        "mail",
        NP_("mail.document_missing", "Invoice mail {number}: {detail}"),
        NP_("mail.document_missing", "The stored document is gone: create the invoice again."),
    ),
    "mail.document_unreadable": Code(
        "fatal",
        "mail",
        NP_("mail.document_unreadable", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.document_unreadable",
            "Check the e-mail addresses in the document and the account's mail settings, then resend the "
            "invoice mail.",
        ),
    ),
    "mail.prepare_failed": Code(
        "fatal",
        "mail",
        NP_("mail.prepare_failed", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.prepare_failed",
            "Nothing was sent. Resend the invoice mail; if it fails again, contact support with this message.",
        ),
    ),
    "mail.store": Code(
        "fatal",
        "mail",
        NP_("mail.store", "Invoice mail {number}: {detail}"),
        NP_(
            "mail.store",
            "Nothing was sent: the document store could not be read. Resend the invoice mail when it is back.",
        ),
    ),
    "document.no_pdf": Code(
        "fatal",
        "id",
        NP_(
            "document.no_pdf",
            "Document {document_id} is an {value}: only invoices and credit notes have a PDF.",
        ),
        NP_("document.no_pdf", "Read the order's XML instead: /v1/documents/{document_id}.xml"),
    ),
    "document.not_approvable": Code(
        "fatal",
        "id",
        NP_(
            "document.not_approvable",
            "Document {document_id} is an {value}: orders are not sent, so there is nothing to approve.",
        ),
        NP_("document.not_approvable", "Approve the order's invoice or credit note instead."),
    ),
    "document.not_found": Code(
        "fatal",
        "id",
        NP_("document.not_found", "This account has no document {document_id}."),
        NP_(
            "document.not_found", "Check the document's id (GET /v1/documents lists the account's documents)."
        ),
    ),
    "mail.in_progress": Code(
        "fatal",
        "id",
        NP_(
            "mail.in_progress",
            "The invoice mail of document {document_id} is {state}: it cannot be resent now.",
        ),
        NP_(
            "mail.in_progress",
            "Wait until it is sent, failed or unknown (GET /v1/documents/{document_id}/mail).",
        ),
        variants={
            "raced": (
                NP_("mail.in_progress:raced", "Another resend of this mail came first."),
                NP_(
                    "mail.in_progress:raced",
                    "Read the mail's state (GET /v1/documents/{document_id}/mail) before resending it.",
                ),
            ),
        },
    ),
    "mail.not_found": Code(
        "fatal",
        "id",
        NP_("mail.not_found", "This account has no document {document_id} with an invoice mail."),
        NP_("mail.not_found", "Only final invoices and credit notes are mailed; approve a draft first."),
    ),
    "pdf.failed": Code(
        "fatal",
        None,
        NP_("pdf.failed", "The renderer failed: {detail}"),
        NP_("pdf.failed", "Try again later; if the PDF still fails, tell the operator of the service."),
        variants={
            "start_timeout": (
                NP_("pdf.failed:start_timeout", "The PDF worker did not start within {seconds} s."),
                None,
            ),
            "start": (
                NP_("pdf.failed:start", "The PDF worker could not start: {detail}"),
                None,
            ),
            "shut_down": (
                NP_("pdf.failed:shut_down", "The PDF renderer has been shut down."),
                NP_("pdf.failed:shut_down", "Try again in a moment: the server is restarting."),
            ),
            "died": (
                NP_("pdf.failed:died", "The PDF worker died (exit code {exit_code})."),
                None,
            ),
        },
    ),
    "pdf.timeout": Code(
        "fatal",
        None,
        NP_("pdf.timeout", "Rendering took longer than {seconds} s and was stopped."),
        NP_("pdf.timeout", "Send fewer lines or shorter texts, or raise NORDUBL_PDF_TIMEOUT_SECONDS."),
    ),
    "pdf.too_large": Code(
        "fatal",
        None,
        NP_("pdf.too_large", "Rendering needed more than the renderer's memory cap of {mb} MB."),
        NP_("pdf.too_large", "Send fewer lines or shorter texts, or raise NORDUBL_PDF_MEMORY_MB."),
        variants={
            "signal": (
                NP_(
                    "pdf.too_large:signal",
                    "Rendering needed more than the renderer's memory cap of {mb} MB (the worker died of "
                    "{signal}).",
                ),
                None,
            ),
            # refused before rendering: the render time grows with the lines (docs/performance.md, "PDF")
            "lines": (
                NP_(
                    "pdf.too_large:lines",
                    "The document has {lines} lines; a PDF is rendered for at most {limit} (pdf_max_lines).",
                ),
                NP_(
                    "pdf.too_large:lines",
                    "Use the XML itself for documents this long, split the invoice, or raise "
                    "NORDUBL_PDF_MAX_LINES together with NORDUBL_PDF_TIMEOUT_SECONDS on the server.",
                ),
            ),
        },
    ),
    "reader.missing": Code(
        "fatal",
        None,
        NP_("reader.missing", "The document has no amount due (BT-115)."),
        NP_("reader.missing", "Send a complete UBL invoice or credit note, as the validation accepts it."),
        variants={
            "id": (
                NP_("reader.missing:id", "The document has no invoice number (BT-1) (cbc:ID)."),
                None,
            ),
            "currency": (
                NP_(
                    "reader.missing:currency",
                    "The document has no currency (BT-5) (cbc:DocumentCurrencyCode).",
                ),
                None,
            ),
            "issue_date": (
                NP_("reader.missing:issue_date", "The document has no issue date (BT-2, cbc:IssueDate)."),
                None,
            ),
            "parties": (
                NP_("reader.missing:parties", "The document names no seller (BG-4) or no buyer (BG-7)."),
                None,
            ),
        },
    ),
    "reader.number": Code(
        "fatal",
        None,
        NP_("reader.number", "{element} is not a number."),
        NP_("reader.number", "Write amounts and quantities as numbers with a decimal point, e.g. 1234.50."),
    ),
    "reader.date": Code(
        "fatal",
        None,
        NP_("reader.date", "{element} is not a date."),
        NP_("reader.date", "Write dates as YYYY-MM-DD."),
    ),
    "reader.unsupported": Code(
        "fatal",
        None,
        NP_(
            "reader.unsupported",
            "A {element} cannot be read as an invoice: only UBL Invoice and CreditNote documents.",
        ),
        NP_("reader.unsupported", "Send a UBL Invoice or CreditNote document."),
    ),
    "store.blob_corrupt": Code(
        "fatal",
        "id",
        NP_(
            "store.blob_corrupt",
            "Document {document_id}: the stored XML no longer hashes to {sha256} (it hashes to {actual}); it "
            "was changed after it was written.",
        ),
        NP_(
            "store.blob_corrupt",
            "Restore the blob from a backup; the document's hash in the database is the reference.",
        ),
    ),
    "store.blob_missing": Code(
        "fatal",
        "id",
        NP_("store.blob_missing", "Document {document_id}: blob {sha256} is not in the blob store."),
        NP_(
            "store.blob_missing",
            "Check the blob store setting (folder or bucket) or restore the blob from a backup.",
        ),
    ),
    "store.unavailable": Code(
        "fatal",
        None,
        NP_("store.unavailable", "The document store cannot be written: {detail}"),
        NP_("store.unavailable", "Nothing was stored: send the request again when the blob store is back."),
        variants={
            "read": (
                NP_("store.unavailable:read", "The document store cannot be read: {detail}"),
                NP_("store.unavailable:read", "Try again when the blob store is back."),
            ),
        },
    ),
    "webhook.url": Code(
        "fatal",
        "url",
        NP_("webhook.url", "'{value}' is not an absolute http(s) URL."),
        NP_("webhook.url", "Give an absolute http:// or https:// URL of the receiving endpoint."),
        variants={
            "credentials": (
                NP_(
                    "webhook.url:credentials",
                    "The URL must not carry credentials; the signature authenticates the calls.",
                ),
                NP_(
                    "webhook.url:credentials",
                    "Give an absolute http:// or https:// URL of the receiving endpoint, without a user or "
                    "password.",
                ),
            ),
        },
    ),
}
