"""Identifier normalisation and check digits (python-stdnum, phonenumbers), with fixable messages."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from pydantic_core import PydanticCustomError
from stdnum import ean
from stdnum.dk import cvr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr
from stdnum.se import orgnr as se_orgnr


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


def _bad(kind: str, value: str, hint: str) -> PydanticCustomError:
    return PydanticCustomError(
        "identifier", "{kind} '{value}' is not valid: {hint}", {"kind": kind, "value": value, "hint": hint}
    )


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
        names = {
            "NO": "Norwegian organisation number",
            "DK": "Danish CVR number",
            "SE": "Swedish org. number",
        }
        lengths = {"NO": "9 digits", "DK": "8 digits", "SE": "10 digits"}
        hint = f"a {names[country]} has {lengths[country]} with a valid check digit ({exc})"
        raise _bad(names[country], value, hint) from None
    if not compact.isalnum():
        raise _bad("Company number", value, "use letters and digits only")
    return compact


def gln(value: str) -> str:
    """A GLN / EAN location number: 13 digits with a GS1 check digit."""
    compact = value.replace(" ", "").replace("-", "")
    try:
        if len(compact) != 13:
            raise _bad("EAN/GLN number", value, "an EAN location number has 13 digits")
        return str(ean.validate(compact))
    except StdnumError:
        suggestion = ""
        if len(compact) == 13 and compact.isdigit():
            suggestion = (
                f"; with a correct check digit it would be {compact[:12]}{ean.calc_check_digit(compact[:12])}"
            )
        raise _bad("EAN/GLN number", value, "the GS1 check digit does not match" + suggestion) from None


def mobile(value: str, country: str) -> str:
    """A phone number in E.164 (+4791234567); national numbers are read in the customer's country."""
    try:
        num = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        raise _bad("Phone number", value, "write it as +47 912 34 567 or 91234567") from None
    if not phonenumbers.is_valid_number(num):
        raise _bad("Phone number", value, f"it is not a valid number in {country or 'any country'}")
    return str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))


def email(value: str) -> str:
    """Trimmed, domain in lower case; one @ with a dotted domain."""
    value = value.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain or " " in value or domain.startswith("."):
        raise _bad("E-mail address", value, "write it as name@example.no")
    return f"{local}@{domain.lower()}"
