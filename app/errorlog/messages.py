"""The error log's messages in the account's language (source 003: the shop owner gets a message they can
usually act on themselves), from the one catalogue of codes (:mod:`app.codes`), whose English the
preflight, the customer checks and the mail worker write, so each text is written once.

An official rule id (``BR-CO-15``, ``F-INV046``) keeps the rule's published text with a hint in the
account's language; a code of ours outside the catalogue gets a general message in the account's language.
"""

from __future__ import annotations

from app.codes import CODES, FEE_NAMES, fill, text, values
from app.i18n import LANGUAGES, NP_, SOURCE, language_of, translator
from app.issues import official

__all__ = ["FEE_NAMES", "LANGUAGES", "MESSAGES", "language_of", "localize", "text"]

#: Hint for a code outside the catalogue that came without one: with the field, without.
GENERIC_HINT: tuple[str, str] = (
    NP_("hint", "Correct {field} and send the order again."),
    NP_("hint", "Correct the order and send it again."),
)
#: Message for a code of ours outside the catalogue (its English text is kept in the log's English view).
GENERIC_MESSAGE: tuple[str, str] = (
    NP_("message", "{field} cannot be used as it is ({code})."),
    NP_("message", "The order cannot be used as it is ({code})."),
)


#: Each catalogued code's English (message, hint), as the error log stores them.
MESSAGES: dict[str, tuple[str, str]] = {code: (c.message, c.hint) for code, c in CODES.items()}


def localize(
    code: str,
    language: str | None,
    params: dict[str, str],
    message: str,
    hint: str | None,
    field: str | None,
) -> tuple[str, str | None]:
    """Message and hint of a finding in ``language``; the stored text when a parameter is missing."""
    lang = language_of(language)
    t = translator(lang)
    filled = values(lang, params, field)
    with_field, without = GENERIC_HINT
    generic = fill(t.pgettext("hint", with_field), filled) if field else t.pgettext("hint", without)
    shown_as = params.get("shown_as")
    if shown_as is not None and shown_as in CODES:  # in another code's words (a mail's PDF: mail.failed's)
        try:
            return text(shown_as, lang, params, field)[0], (hint or generic) if lang == SOURCE else generic
        except KeyError:
            pass
    if code in CODES:
        try:
            return text(code, lang, params, field)
        except KeyError:  # a parameter the text needs was not stored: the stored text, hint as stored
            pass
    if lang == SOURCE:
        return message, hint or generic
    if official(code):
        return message, generic
    with_field, without = GENERIC_MESSAGE
    filled.setdefault("code", code)
    general = fill(t.pgettext("message", with_field if field else without), filled)
    return general or message, generic
