"""The page's texts and the choice of its language (nb, da, sv, en).

The texts are English msgids translated by the gettext catalogues (:mod:`app.i18n`). The language comes
from ``?lang=`` when it names one of :data:`LANGS` (``no`` and ``nn`` read as ``nb``), else from the
``Accept-Language`` header (RFC 9110 §12.5.4, quality values honoured; Babel's locale negotiation), else
English. Rule texts in reports stay as the official rules publish them (English), and the page says so.
"""

from __future__ import annotations

from typing import Final

from app.i18n import LANGUAGES, N_, NP_, SOURCE, Lang, language_of, name_of, translator
from app.i18n import negotiate as _negotiate

__all__ = ["CSV_SEPARATORS", "LANGS", "NAMES", "STRINGS", "Lang", "negotiate", "strings"]

LANGS: Final[tuple[Lang, ...]] = ("en", *(lang for lang in LANGUAGES if lang != SOURCE))
DEFAULT: Final[Lang] = SOURCE
#: The name of each language in itself, for the language switch (CLDR's, not translated: each is its own).
NAMES: Final[dict[Lang, str]] = {lang: name_of(lang) for lang in LANGS}
#: The CSV report's field separator: a Nordic spreadsheet reads ``;`` (its decimal separator is ``,``).
CSV_SEPARATORS: Final[dict[Lang, str]] = {"en": ",", "nb": ";", "da": ";", "sv": ";"}

#: The page's texts by the key the template and the script read; ``{placeholders}`` are filled there.
STRINGS: Final[dict[str, str]] = {
    "title": N_("Validate UBL documents"),
    "lead": N_(
        "Check Peppol BIS Billing 3, EHF and OIOUBL 2.1 documents against the official XSD and Schematron rules. Files are validated, then discarded."
    ),
    "drop": N_("Drop XML files or zip archives here"),
    "or": N_("or"),
    "choose": N_("Choose files"),
    "limits": N_("Up to {files} documents and {upload} per upload, {xml} per document."),
    "uploading": N_("Uploading … {pct} %"),
    "validating": N_("Validating: {done} of {total} done"),
    "finished": N_("Done: {valid} valid and {invalid} not valid of {total}"),
    "documents": N_("Documents"),
    "not_valid": N_("Not valid"),
    "col_file": N_("File"),
    "col_ruleset": N_("Rule set"),
    "col_document": N_("Document"),
    "col_verdict": N_("Result"),
    "col_errors": N_("Errors"),
    "col_warnings": N_("Warnings"),
    "verdict_valid": N_("Valid"),
    "valid_plural": NP_("count", "Valid"),
    "verdict_invalid": N_("Invalid"),
    "verdict_unreadable": N_("Unreadable"),
    "verdict_unsupported": N_("Not supported"),
    "verdict_pending": N_("Waiting"),
    "details": N_("Details"),
    "hide": N_("Hide"),
    "download_json": N_("Download JSON"),
    "download_csv": N_("Download CSV"),
    "download_pdf": N_("PDF"),
    "download_pdf_title": N_("Download the invoice as PDF"),
    "issue_severity": N_("Severity"),
    "issue_code": N_("Rule"),
    "issue_line": N_("Line"),
    "issue_message": N_("Message"),
    "issue_hint": N_("How to fix it"),
    "issue_value": N_("Value"),
    "sev_fatal": N_("Fatal"),
    "sev_error": N_("Error"),
    "sev_warning": N_("Warning"),
    "no_issues": N_("No issues found."),
    "issue_found": N_("Found"),
    "issue_expected": N_("Expected"),
    "rules_applied": N_("Checked with {ruleset}"),
    "filter_label": N_("Show"),
    "filter_all": N_("All"),
    "filter_invalid": N_("Not valid"),
    "filter_warnings": N_("With warnings"),
    "filter_none": N_("No document matches this filter."),
    "refused": N_("The upload was refused"),
    "network_error": N_("The server could not be reached."),
    "pdf_failed": N_("The PDF could not be made: {reason}"),
    "rule_language": N_(
        "Rule texts are quoted from the official rules, in English as published; the hints on how to fix "
        "them are ours."
    ),
    "account_title": N_("Documents stored for your account"),
    "account_lead": N_(
        "Sign in with the account's client id and client key to validate its stored documents. The key is kept in this page only."
    ),
    "client_id": N_("Client id"),
    "client_key": N_("Client key"),
    "show_documents": N_("Show documents"),
    "validate_selected": N_("Validate selected"),
    "select_all": N_("Select all"),
    "col_number": N_("Number"),
    "col_kind": N_("Type"),
    "col_status": N_("Status"),
    "col_date": N_("Date"),
    "col_customer": N_("Customer"),
    "col_amount": N_("Amount"),
    "kind_order": N_("Order"),
    "kind_invoice": N_("Invoice"),
    "kind_creditnote": N_("Credit note"),
    "status_draft": N_("Draft"),
    "status_final": N_("Final"),
    "no_documents": N_("No documents are stored for this account yet."),
    "documents_shown": N_("{shown} of {total} documents, newest first"),
    "sign_in_failed": N_("Sign-in failed: {reason}"),
    "language": N_("Language"),
    "api": N_("HTTP API"),
    # the document types a report names (its root element)
    "doctype_Invoice": N_("Invoice"),
    "doctype_CreditNote": N_("Credit note"),
    "doctype_Order": N_("Order"),
    "doctype_OrderResponse": N_("Order response"),
    "doctype_OrderChange": N_("Order change"),
    "doctype_OrderCancellation": N_("Order cancellation"),
    "doctype_ApplicationResponse": N_("Application response"),
    "doctype_DespatchAdvice": N_("Despatch advice"),
    "doctype_Catalogue": N_("Catalogue"),
    # the CSV report (msgctxt "csv"): its header row (in English the field names, as before), yes/no and
    # the severities
    "csv_file": NP_("csv", "file"),
    "csv_valid": NP_("csv", "valid"),
    "csv_ruleset": NP_("csv", "ruleset"),
    "csv_release": NP_("csv", "release"),
    "csv_document": NP_("csv", "document"),
    "csv_severity": NP_("csv", "severity"),
    "csv_code": NP_("csv", "code"),
    "csv_line": NP_("csv", "line"),
    "csv_xpath": NP_("csv", "xpath"),
    "csv_value": NP_("csv", "value"),
    "csv_message": NP_("csv", "message"),
    "csv_hint": NP_("csv", "hint"),
    "csv_found": NP_("csv", "found"),
    "csv_expected": NP_("csv", "expected"),
    "csv_true": NP_("csv", "true"),
    "csv_false": NP_("csv", "false"),
    "csv_fatal": NP_("csv", "fatal"),
    "csv_error": NP_("csv", "error"),
    "csv_warning": NP_("csv", "warning"),
}


def _context(key: str) -> str | None:
    """The msgctxt of a key's msgid (as marked with NP_ above)."""
    if key == "valid_plural":
        return "count"
    return "csv" if key.startswith("csv_") else None


def strings(lang: Lang) -> dict[str, str]:
    t = translator(lang)
    out = {}
    for key, msgid in STRINGS.items():
        context = _context(key)
        out[key] = t.gettext(msgid) if context is None else t.pgettext(context, msgid)
    return out


def negotiate(query: str | None, accept_language: str | None) -> Lang:
    """``?lang=`` first, then the best ``Accept-Language`` range we have, else English."""
    found = _negotiate(query, accept_language, LANGS)
    return language_of(found) if found else DEFAULT
