"""The page's texts in English, Norwegian (bokmål) and Danish, and the choice of language.

The language comes from ``?lang=`` when it names one of :data:`LANGS` (``no`` and ``nn`` read as ``nb``),
else from the ``Accept-Language`` header (RFC 9110 §12.5.4, quality values honoured), else English.
Rule texts in reports stay as the official rules publish them (English); hints are English too.
"""

from __future__ import annotations

from typing import Final, Literal

Lang = Literal["en", "nb", "da"]
LANGS: Final[tuple[Lang, ...]] = ("en", "nb", "da")
DEFAULT: Final[Lang] = "en"
#: Language tags read as one of ours (primary subtag, lower case).
ALIASES: Final[dict[str, Lang]] = {"en": "en", "nb": "nb", "no": "nb", "nn": "nb", "da": "da"}
#: The name of each language in itself, for the language switch.
NAMES: Final[dict[Lang, str]] = {"en": "English", "nb": "Norsk bokmål", "da": "Dansk"}

STRINGS: Final[dict[str, dict[Lang, str]]] = {
    "title": {"en": "Validate UBL documents", "nb": "Valider UBL-dokumenter", "da": "Valider UBL-dokumenter"},
    "lead": {
        "en": "Check Peppol BIS Billing 3, EHF and OIOUBL 2.1 documents against the official XSD and "
        "Schematron rules. Files are validated, then discarded.",
        "nb": "Kontroller Peppol BIS Billing 3-, EHF- og OIOUBL 2.1-dokumenter mot de offisielle XSD- og "
        "Schematron-reglene. Filene valideres og slettes deretter.",
        "da": "Kontrollér Peppol BIS Billing 3-, EHF- og OIOUBL 2.1-dokumenter mod de officielle XSD- og "
        "Schematron-regler. Filerne valideres og slettes derefter.",
    },
    "drop": {
        "en": "Drop XML files or zip archives here",
        "nb": "Slipp XML-filer eller zip-arkiver her",
        "da": "Slip XML-filer eller zip-arkiver her",
    },
    "or": {"en": "or", "nb": "eller", "da": "eller"},
    "choose": {"en": "Choose files", "nb": "Velg filer", "da": "Vælg filer"},
    "limits": {
        "en": "Up to {files} documents and {upload} per upload, {xml} per document.",
        "nb": "Opptil {files} dokumenter og {upload} per opplasting, {xml} per dokument.",
        "da": "Op til {files} dokumenter og {upload} pr. upload, {xml} pr. dokument.",
    },
    "uploading": {"en": "Uploading … {pct} %", "nb": "Laster opp … {pct} %", "da": "Uploader … {pct} %"},
    "validating": {
        "en": "Validating: {done} of {total} done",
        "nb": "Validerer: {done} av {total} ferdig",
        "da": "Validerer: {done} af {total} færdige",
    },
    "finished": {
        "en": "Done: {valid} valid and {invalid} not valid of {total}",
        "nb": "Ferdig: {valid} gyldige og {invalid} ugyldige av {total}",
        "da": "Færdig: {valid} gyldige og {invalid} ugyldige af {total}",
    },
    "documents": {"en": "Documents", "nb": "Dokumenter", "da": "Dokumenter"},
    "not_valid": {"en": "Not valid", "nb": "Ikke gyldige", "da": "Ikke gyldige"},
    "col_file": {"en": "File", "nb": "Fil", "da": "Fil"},
    "col_ruleset": {"en": "Rule set", "nb": "Regelsett", "da": "Regelsæt"},
    "col_document": {"en": "Document", "nb": "Dokument", "da": "Dokument"},
    "col_verdict": {"en": "Result", "nb": "Resultat", "da": "Resultat"},
    "col_errors": {"en": "Errors", "nb": "Feil", "da": "Fejl"},
    "col_warnings": {"en": "Warnings", "nb": "Advarsler", "da": "Advarsler"},
    "verdict_valid": {"en": "Valid", "nb": "Gyldig", "da": "Gyldig"},
    "valid_plural": {"en": "Valid", "nb": "Gyldige", "da": "Gyldige"},
    "verdict_invalid": {"en": "Invalid", "nb": "Ugyldig", "da": "Ugyldig"},
    "verdict_unreadable": {"en": "Unreadable", "nb": "Kan ikke leses", "da": "Kan ikke læses"},
    "verdict_pending": {"en": "Waiting", "nb": "Venter", "da": "Venter"},
    "details": {"en": "Details", "nb": "Detaljer", "da": "Detaljer"},
    "hide": {"en": "Hide", "nb": "Skjul", "da": "Skjul"},
    "download_json": {"en": "Download JSON", "nb": "Last ned JSON", "da": "Hent JSON"},
    "download_csv": {"en": "Download CSV", "nb": "Last ned CSV", "da": "Hent CSV"},
    "download_pdf": {"en": "PDF", "nb": "PDF", "da": "PDF"},
    "download_pdf_title": {
        "en": "Download the invoice as PDF",
        "nb": "Last ned fakturaen som PDF",
        "da": "Hent fakturaen som PDF",
    },
    "issue_severity": {"en": "Severity", "nb": "Alvorlighet", "da": "Alvorlighed"},
    "issue_code": {"en": "Rule", "nb": "Regel", "da": "Regel"},
    "issue_line": {"en": "Line", "nb": "Linje", "da": "Linje"},
    "issue_message": {"en": "Message", "nb": "Melding", "da": "Meddelelse"},
    "issue_hint": {"en": "How to fix it", "nb": "Slik retter du det", "da": "Sådan retter du det"},
    "issue_value": {"en": "Value", "nb": "Verdi", "da": "Værdi"},
    "sev_fatal": {"en": "Fatal", "nb": "Kritisk", "da": "Kritisk"},
    "sev_error": {"en": "Error", "nb": "Feil", "da": "Fejl"},
    "sev_warning": {"en": "Warning", "nb": "Advarsel", "da": "Advarsel"},
    "no_issues": {"en": "No issues found.", "nb": "Ingen avvik funnet.", "da": "Ingen fejl fundet."},
    "refused": {
        "en": "The upload was refused",
        "nb": "Opplastingen ble avvist",
        "da": "Uploaden blev afvist",
    },
    "network_error": {
        "en": "The server could not be reached.",
        "nb": "Fikk ikke kontakt med serveren.",
        "da": "Der kunne ikke opnås forbindelse til serveren.",
    },
    "pdf_failed": {
        "en": "The PDF could not be made: {reason}",
        "nb": "PDF-en kunne ikke lages: {reason}",
        "da": "PDF'en kunne ikke dannes: {reason}",
    },
    "rule_language": {
        "en": "Rule texts are quoted from the official rules (English).",
        "nb": "Regeltekstene er sitert fra de offisielle reglene (engelsk).",
        "da": "Regelteksterne er citeret fra de officielle regler (engelsk).",
    },
    "account_title": {
        "en": "Documents stored for your account",
        "nb": "Dokumenter lagret for kontoen din",
        "da": "Dokumenter gemt for din konto",
    },
    "account_lead": {
        "en": "Sign in with the account's client id and client key to validate its stored documents. "
        "The key is kept in this page only.",
        "nb": "Logg inn med kontoens klient-ID og klientnøkkel for å validere de lagrede dokumentene. "
        "Nøkkelen blir bare i denne siden.",
        "da": "Log ind med kontoens klient-id og klientnøgle for at validere de gemte dokumenter. "
        "Nøglen bliver kun i denne side.",
    },
    "client_id": {"en": "Client id", "nb": "Klient-ID", "da": "Klient-id"},
    "client_key": {"en": "Client key", "nb": "Klientnøkkel", "da": "Klientnøgle"},
    "show_documents": {"en": "Show documents", "nb": "Vis dokumenter", "da": "Vis dokumenter"},
    "validate_selected": {"en": "Validate selected", "nb": "Valider valgte", "da": "Valider valgte"},
    "select_all": {"en": "Select all", "nb": "Velg alle", "da": "Vælg alle"},
    "col_number": {"en": "Number", "nb": "Nummer", "da": "Nummer"},
    "col_kind": {"en": "Type", "nb": "Type", "da": "Type"},
    "col_status": {"en": "Status", "nb": "Status", "da": "Status"},
    "col_date": {"en": "Date", "nb": "Dato", "da": "Dato"},
    "col_customer": {"en": "Customer", "nb": "Kunde", "da": "Kunde"},
    "col_amount": {"en": "Amount", "nb": "Beløp", "da": "Beløb"},
    "kind_order": {"en": "Order", "nb": "Ordre", "da": "Ordre"},
    "kind_invoice": {"en": "Invoice", "nb": "Faktura", "da": "Faktura"},
    "kind_creditnote": {"en": "Credit note", "nb": "Kreditnota", "da": "Kreditnota"},
    "status_draft": {"en": "Draft", "nb": "Utkast", "da": "Kladde"},
    "status_final": {"en": "Final", "nb": "Endelig", "da": "Endelig"},
    "no_documents": {
        "en": "No documents are stored for this account yet.",
        "nb": "Ingen dokumenter er lagret for denne kontoen ennå.",
        "da": "Der er endnu ingen dokumenter gemt for denne konto.",
    },
    "documents_shown": {
        "en": "{shown} of {total} documents, newest first",
        "nb": "{shown} av {total} dokumenter, nyeste først",
        "da": "{shown} af {total} dokumenter, nyeste først",
    },
    "sign_in_failed": {
        "en": "Sign-in failed: {reason}",
        "nb": "Innloggingen mislyktes: {reason}",
        "da": "Login mislykkedes: {reason}",
    },
    "language": {"en": "Language", "nb": "Språk", "da": "Sprog"},
    "api": {"en": "HTTP API", "nb": "HTTP-API", "da": "HTTP-API"},
}


def strings(lang: Lang) -> dict[str, str]:
    return {key: texts[lang] for key, texts in STRINGS.items()}


def _from_tag(tag: str) -> Lang | None:
    return ALIASES.get(tag.strip().lower().split("-", 1)[0].split("_", 1)[0])


def negotiate(query: str | None, accept_language: str | None) -> Lang:
    """``?lang=`` first, then the best ``Accept-Language`` range we have, else English."""
    if query:
        chosen = _from_tag(query)
        if chosen is not None:
            return chosen
    best: tuple[float, int, Lang] | None = None
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        lang = _from_tag(tag)
        if lang is None or quality <= 0:
            continue
        candidate = (quality, -position, lang)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else DEFAULT
