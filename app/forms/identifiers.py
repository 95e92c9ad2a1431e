"""Identifier normalisation and check digits (python-stdnum, phonenumbers), with fixable messages."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic_core import PydanticCustomError
from stdnum import ean, luhn
from stdnum.dk import cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr
from stdnum.se import orgnr as se_orgnr

from app.codes import text


@dataclass(frozen=True)
class Scheme:
    """One party identifier scheme, in both code lists that name it: the ISO 6523 ICD / Peppol EAS code
    (Peppol BIS, EHF) and the OIOUBL schemeID (OIOUBL code list "partyidentificationid" / endpoint ids)."""

    icd: str
    oioubl: str
    #: The country whose company register it is; None for GLN (GS1, any country).
    country: str | None
    name: str


#: The one table of identifier schemes: 0192 Norwegian org. no., 0184 Danish CVR, 0007 Swedish org. no.,
#: 0088 GLN (EAN location number). Everything that maps a scheme reads it here.
SCHEMES: tuple[Scheme, ...] = (
    Scheme("0192", "NO:ORGNR", "NO", "Norwegian organisation number"),
    Scheme("0184", "DK:CVR", "DK", "Danish CVR number"),
    Scheme("0007", "SE:ORGNR", "SE", "Swedish organisation number"),
    Scheme("0088", "GLN", None, "GLN / EAN location number"),
)
SCHEME_BY_COUNTRY = {s.country: s.icd for s in SCHEMES if s.country}
GLN_SCHEME = "0088"
OIOUBL_BY_ICD = {s.icd: s.oioubl for s in SCHEMES}
ICD_BY_OIOUBL = {s.oioubl: s.icd for s in SCHEMES}


def _bad(variant: str, value: str, **params: str) -> PydanticCustomError:
    """pydantic's error ``identifier``: the variant of ``input.identifier`` (app/codes/) and its
    parameters in the context, read by :func:`app.forms.loader.pydantic_issues`; pydantic's own message
    is the catalogue's English."""
    context = {"variant": variant, "value": value, **params}
    return PydanticCustomError("identifier", text("input.identifier", "en", context)[0], context)


def company_number(value: str, country: str) -> str:
    """Compact and check a company number for ``country`` (NO org. no., DK CVR, SE org. no.)."""
    compact = value.replace(" ", "").replace("-", "").replace(".", "").upper()
    compact = compact.removeprefix(country).removesuffix("MVA")
    try:
        if country == "NO":
            return str(orgnr.validate(compact))
        if country == "DK":
            return str(cvr.validate(compact))
        if country == "SE":
            return str(se_orgnr.validate(compact))
    except StdnumError as exc:
        # orgnr: 9 digits, MOD11; CVR: 8 digits, MOD11; Swedish org. no.: 10 digits, Luhn
        raise _bad(
            {"NO": "org_number_no", "DK": "cvr", "SE": "org_number_se"}[country], value, detail=str(exc)
        ) from None
    if not compact.isalnum():
        raise _bad("company_number", value)
    return compact


def gln(value: str) -> str:
    """A GLN / EAN location number: 13 digits with a GS1 check digit."""
    compact = value.replace(" ", "").replace("-", "")
    try:
        if len(compact) != 13 or not compact.isdigit():
            raise _bad("gln_length", value)
        return str(ean.validate(compact))
    except StdnumError:
        # GS1: the 13th digit is the check digit of the first 12
        raise _bad("gln_check", value, suggestion=compact[:12] + ean.calc_check_digit(compact[:12])) from None


def mobile(value: str, country: str) -> str:
    """A phone number in E.164 (+4791234567); national numbers are read in the customer's country."""
    try:
        num = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        raise _bad("phone_format", value) from None
    if not phonenumbers.is_valid_number(num):
        raise _bad("phone_country", value, country=country) if country else _bad("phone_any", value)
    return str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))


def email(value: str) -> str:
    """One e-mail address, checked by email-validator without a DNS lookup: an RFC 5322 §3.4.1 addr-spec
    as RFC 5321 §4.1.2 sends it (RFC 6531 when internationalised), so no display name, angle brackets,
    list, quoted local part, white space or control character (CR/LF, tab, U+2028 …) gets into a mail
    header or an SMTP envelope. Answers the normalised address: the domain in lower case (IDNA, UTS #46),
    the local part NFC."""
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise _bad("email", value, detail=str(exc).rstrip(".")) from None
    return str(checked.normalized)


#: KID (kundeidentifikasjon, the Norwegian payment reference; the banks' OCR giro rules): 2–25 digits, the
#: last a MOD10 or MOD11 check digit, MOD11's check value 10 written '-'
_KID = re.compile(r"[0-9]{1,24}[0-9-]")
#: MOD11 weights, from the digit left of the check digit leftwards (repeating 2, 3, 4, 5, 6, 7)
_KID_WEIGHTS = (2, 3, 4, 5, 6, 7)


def _kid_mod11(body: str) -> str:
    """The MOD11 check digit of ``body``: 11 minus the weighted sum modulo 11; 11 is 0, 10 is '-'.

    Written here because python-stdnum has no KID module and its ISO 7064 MOD 11 variants use other
    weights (MOD10 is stdnum's ``luhn``)."""
    total = sum(int(d) * _KID_WEIGHTS[i % 6] for i, d in enumerate(reversed(body)))
    check = (11 - total % 11) % 11
    return "-" if check == 10 else str(check)


def kid(value: str) -> str:
    """A Norwegian KID, compacted (spaces removed) and checked: 2–25 digits whose last one is a MOD10
    (Luhn) or MOD11 check digit, MOD11's check value 10 written '-'.

    Raises :class:`ValueError` (python-stdnum's ``InvalidLength``, ``InvalidFormat`` or
    ``InvalidChecksum``) whose message says what is wrong."""
    compact = value.replace(" ", "")
    if not 2 <= len(compact) <= 25:
        raise InvalidLength(f"KID '{value}' has {len(compact)} characters: a KID has 2–25 digits.")
    if not _KID.fullmatch(compact):
        raise InvalidFormat(
            f"KID '{value}' is not a KID number: only digits, and '-' only as the last (MOD11) check digit."
        )
    if luhn.is_valid(compact) or _kid_mod11(compact[:-1]) == compact[-1]:
        return compact
    raise InvalidChecksum(f"KID '{value}' has no valid MOD10 or MOD11 check digit.")


def is_kid(value: str) -> bool:
    """Whether ``value`` is a valid KID (:func:`kid`)."""
    try:
        kid(value)
    except ValueError:
        return False
    return True
