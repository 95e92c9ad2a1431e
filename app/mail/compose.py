"""The invoice mail: the account's sender, subject and fixed text with the placeholders filled, the PDF
attached (and the UBL XML when the account wants it), and a Message-ID derived from the document."""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from app.accounts.models import Account
from app.accounts.settings import DEFAULT_MAIL_SUBJECT, DEFAULT_MAIL_TEXT, InvoiceMail
from app.i18n import NP_, language_of, translator
from app.mail.facts import InvoiceFacts

#: What the attachment's file name calls the document (msgids, msgctxt "file name").
_NAMES: dict[str, str] = {
    "Invoice": NP_("file name", "Invoice"),
    "CreditNote": NP_("file name", "CreditNote"),
}
_FILE_UNSAFE = re.compile(r"[^\w.-]+")
_SPACE = re.compile(r"\s+")


class MailSetupError(ValueError):
    """The mail cannot be composed: no sender configured, no recipient in the document."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def sender_of(account: Account) -> str:
    sender = account.mail_sender or account.email
    if not sender:
        raise MailSetupError(
            "mail.no_sender",
            "The account has no mail sender: set mail.sender (or the seller's e-mail) in its settings.",
        )
    return sender


def derive_message_id(document_id: int, account_id: int, sender: str) -> str:
    """The Message-ID of a document's mail when the outbox row carries none: stable for the document."""
    domain = sender.rpartition("@")[2] or "nordubl.invalid"
    return f"<invoice.{account_id}.{document_id}@{domain}>"


def resend_message_id(message_id: str, n: int) -> str:
    """The Message-ID of the ``n``-th explicit resend: a new message, so receivers never fold it into the first
    one (RFC 5322 §3.6.4: one Message-ID per message), yet recognisably the same document's."""
    local, _, domain = message_id.strip("<> ").rpartition("@")
    local = re.sub(r"\.resend-\d+$", "", local)
    return f"<{local}.resend-{n}@{domain}>"


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def file_name(kind: str, number: str, language: str, suffix: str) -> str:
    """``Faktura-F-1001.pdf``: the document type in ``language`` and its number, safe as a file name.
    ``kind`` is the root element (``Invoice``, ``CreditNote``) or the store's kind (``creditnote``)."""
    root = "CreditNote" if kind.lower() == "creditnote" else "Invoice"
    word = translator(language).pgettext("file name", _NAMES[root])
    safe = _FILE_UNSAFE.sub("_", number).strip("_") or "document"
    return f"{word}-{safe}.{suffix}"


def attachment_name(facts: InvoiceFacts, language: str, suffix: str) -> str:
    return file_name(facts.kind, facts.number, language, suffix)


def default_in(language: str, text: str, default: str) -> str:
    """The account's own text; the default (a msgid) in the account's language when the account kept it."""
    if text.replace("\r\n", "\n") == default:
        return translator(language).gettext(default)
    return text


def compose(
    account: Account,
    facts: InvoiceFacts,
    *,
    recipient: str,
    message_id: str,
    pdf: bytes,
    xml: bytes | None,
    now: datetime,
) -> EmailMessage:
    """The message to send; ``xml`` is attached when given."""
    sender = sender_of(account)
    language = language_of(account.language, account.country)
    values = facts.placeholders(language)
    if not values["seller_name"]:
        values["seller_name"] = account.trading_name or account.name
    template = InvoiceMail.model_construct(
        sender=account.mail_sender,
        subject=default_in(language, account.mail_subject, DEFAULT_MAIL_SUBJECT),
        text=default_in(language, account.mail_text, DEFAULT_MAIL_TEXT),
    )
    subject, body = template.render(values)

    message = EmailMessage()
    message["From"] = formataddr((_one_line(account.trading_name or account.name), sender))
    message["To"] = str(Address(addr_spec=recipient))
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to invoice mail
    message.set_content(body.replace("\r\n", "\n"), subtype="plain", charset="utf-8")
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=attachment_name(facts, language, "pdf")
    )
    if xml is not None:
        message.add_attachment(
            xml, maintype="application", subtype="xml", filename=attachment_name(facts, language, "xml")
        )
    # RFC 3282: the language of the message and of its text (set last: set_content and add_attachment move
    # or drop the Content-* headers set before them)
    message["Content-Language"] = language
    text_part = message.get_body(("plain",))
    if text_part is not None and text_part is not message:
        text_part["Content-Language"] = language
    return message
