"""One-sentence hints for the rules people trip over most, keyed by the published rule id.

The hints are ours (the rule texts are the official ones): English msgids (msgctxt "rule hint"), which the
page shows in its language (:func:`translated`); they are written by rule family in the modules beside this
one.
"""

from __future__ import annotations

from app.i18n import NP_, translator
from app.validation.hints import en16931, oioubl, peppol

HINTS: dict[str, str] = {**en16931.HINTS, **peppol.HINTS, **oioubl.HINTS}
for _text, _codes in peppol.SHARED.items():
    for _code in _codes:
        HINTS.setdefault(_code, _text)  # a hint naming the party (e.g. EHF-P09-RES-B03301) stays
#: Rules whose fix reads as another's: the same text (one translation).
_SAME_AS = {
    "PEPPOL-COMMON-R001": "PEPPOL-EN16931-R008",
    "EHF-COMMON-R002": "PEPPOL-EN16931-R008",
    "PEPPOL-T01-R024": "PEPPOL-EN16931-R120",
    "PEPPOL-T01-R019": "PEPPOL-EN16931-R046",
    "PEPPOL-T01-R016": "BR-CO-16",
    "PEPPOL-T01-R017": "BR-CO-15",
    "PEPPOL-T01-R030": "BR-S-05",
    "EHF-P09-RES-B01101": "BR-CL-03",
    "F-LIB385": "BR-CO-14",
    "F-LIB301": "BR-CL-14",
    "F-CRN079": "F-INV133",
    "PEPPOL-T111-B00104": "PEPPOL-T01-B00104",
    "PEPPOL-T76-B04201": "EHF-T76-B04001",
    "PEPPOL-EN16931-F001": "PEPPOL-COMMON-R030",
    "BR-CL-17": "BR-CL-18",
    "EHF-REMINDER-B10901": "BR-CL-16",
    "EHF-REMINDER-B11901": "PEPPOL-EN16931-R043",
}
HINTS.update({code: HINTS[other] for code, other in _SAME_AS.items()})


XSD_HINT = NP_(
    "rule hint", "Fix the element named in the message: it is missing, misplaced or has the wrong type."
)


def hint_for(code: str) -> str | None:
    if code in HINTS:
        return HINTS[code]
    if code.startswith("xsd."):
        return XSD_HINT
    return None


def translated(lang: str) -> dict[str, str]:
    """Every hint's English → its text in ``lang`` (the page translates the hints of a report with it)."""
    t = translator(lang)
    return {hint: t.pgettext("rule hint", hint) for hint in (*HINTS.values(), XSD_HINT)}
