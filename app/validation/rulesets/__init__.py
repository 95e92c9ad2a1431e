"""Which official rule set applies to a document: root element, CustomizationID and ProfileID.

The rule sets are one table, :data:`~app.validation.rulesets.kinds.KINDS` (data, not code): each row names the document's root
element(s), its exact CustomizationID, the ProfileIDs of the specification, the UBL version of its XSD
and the compiled stylesheets to run. docs/validation.md shows the table, written from it
(``python -m app.validation.rulesets`` rewrites the generated part; ``tests/validation/test_rulesets.py``
fails when the page is out of date).

Detection (:func:`detect`):

1. the rows whose roots include the document's root and whose CustomizationID is the document's, exactly;
   where two rows share both (EHF Ordering and EHF Advanced Ordering), the ProfileID chooses
   (``by_profile`` rows match only their own ProfileIDs; the other row takes the rest, and its rules then
   report a wrong ProfileID);
2. otherwise a known specialisation of a row: the row's CustomizationID followed by ``#compliant#``,
   ``#conformant#`` or ``:restrictive:`` and a national part (the Italian CIUS on Peppol BIS Billing,
   ``…:trns:order:3:restrictive:urn:www.agid.gov.it:…``): checked by that row's rules, with the warning
   ``ruleset.partial`` that the national rules were not run;
3. otherwise :class:`UnsupportedDocument`, naming what the document is where :data:`KNOWN_OTHERS`
   recognises it (XRechnung, Peppol PINT, OIOUBL 3.0, NLCIUS …). The engine then runs only the XSD and
   reports ``ruleset.unsupported``: such a document never reads as valid.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from app.validation.rulesets.kinds import (
    CBC,
    KIND_BY_NAME,
    KINDS,
    OIOUBL_DOCUMENTS,
    SPECIALISATION_MARKERS,
    UBL_NS_PREFIX,
    Kind,
    RuleSet,
)

__all__ = [
    "CBC",
    "FAMILIES",
    "HEAD_SCAN",
    "KINDS",
    "KIND_BY_NAME",
    "KNOWN_OTHERS",
    "OIOUBL_DOCUMENTS",
    "UBL_NS_PREFIX",
    "Kind",
    "RuleSet",
    "UnsupportedDocument",
    "all_rulesets",
    "detect",
    "eager_rulesets",
    "guess",
    "head_fields",
    "recognise",
    "render_docs",
    "supported_list",
]

_BY_KEY: dict[tuple[str, str], list[Kind]] = {}
for _kind in KINDS:
    for _root in _kind.roots:
        _BY_KEY.setdefault((_root, _kind.customization), []).append(_kind)

#: Specifications recognised by their identifiers but not installed: (field, pattern, name). The name may
#: use the pattern's groups (``{1}``). The first match names the document in ``ruleset.unsupported``.
#: Identifiers as in the public test files of phax/phive-rules @ 432f0e9 (``test-files/``).
KNOWN_OTHERS: tuple[tuple[str, str, str], ...] = (
    ("customization", r"xrechnung_(\d+\.\d+)", "XRechnung {1} (Germany)"),
    ("customization", r"^urn:peppol:pint:[\w-]+@([\w-]+)", "Peppol PINT ({1})"),
    ("customization", r"^urn:peppol:pint:", "Peppol PINT"),
    ("customization", r"^urn:peppol:taxdata:", "Peppol Tax Data"),
    ("customization", r"^urn:fdc:peppol:jp:", "JP BIS Billing (Japan)"),
    ("customization", r"nen\.nl:nlcius", "NLCIUS (Netherlands)"),
    ("customization", r"simplerinvoicing", "SI-UBL 1.x (Netherlands)"),
    ("customization", r"CIUS-RO:([\d.]+)", "CIUS-RO {1} (Romania)"),
    ("customization", r"CIUS-PT", "CIUS-PT (Portugal)"),
    ("customization", r"(?i)urn:UBL\.BE:", "UBL.BE (Belgium)"),
    ("customization", r"mfin\.gov\.rs", "SRBDT (Serbia)"),
    ("customization", r"oioubl\.dk:", "OIOUBL 3.0 (Denmark)"),
    ("customization", r"^OIOUBL-2\.0", "OIOUBL 2.0 (Denmark, superseded by OIOUBL 2.1)"),
    ("customization", r"^OIOUBL-2\.1$", "OIOUBL 2.1 (Denmark), a document type with no official rules"),
    ("customization", r"agid\.gov\.it", "Italian CIUS (AgID)"),
    ("customization", r"international:aunz", "Peppol BIS Billing A-NZ (Australia, New Zealand)"),
    ("customization", r"international:sg", "Peppol BIS Billing (Singapore)"),
    ("customization", r"^TR1\.", "UBL-TR (Turkey)"),
    ("customization", r"difi\.no:ehf", "EHF 2.x (Norway, withdrawn)"),
    ("customization", r"^urn:www\.cenbii\.eu:", "CEN BII 2 / Peppol BIS 2 (withdrawn)"),
    ("profile", r"^reporting:1\.0$", "ZATCA e-invoice (Saudi Arabia)"),
    ("customization", r"^urn:cen\.eu:en16931:2017$", "EN 16931 without a CIUS"),
    (
        "customization",
        r"^urn:cen\.eu:en16931:2017#(?:compliant|conformant)#(.+)$",
        "an EN 16931 specification ({1})",
    ),
    ("customization", r"^urn:fdc:peppol\.eu:poacc:trns:(\w+):3", "a Peppol BIS {1} specification"),
)
_KNOWN = tuple((f, re.compile(p), name) for f, p, name in KNOWN_OTHERS)


def recognise(customization: str, profile: str, specific: bool = False) -> str | None:
    """What a document no rule set checks is, in words, where its identifiers say it; else None. With
    ``specific``, the generic names (``an EN 16931 specification (…)``) do not count."""
    for fieldname, pattern, name in _KNOWN:
        if specific and name.startswith(("a ", "an ")):
            continue
        m = pattern.search(customization if fieldname == "customization" else profile)
        if m:
            return name.format(*([m.group(0), *m.groups()]))
    return None


def supported_list() -> str:
    """The installed rule sets in words (the hint of ``ruleset.unsupported``)."""
    return "; ".join(kind.title for kind in KINDS)


class UnsupportedDocument(Exception):
    """The document's root, CustomizationID and ProfileID match no installed rule set."""

    def __init__(self, root_name: str, customization: str, profile: str = "") -> None:
        super().__init__(root_name)
        self.root_name = root_name
        self.customization = customization
        self.profile = profile
        #: What it is, where its identifiers say (``XRechnung 3.0 (Germany)``); else None.
        self.what = recognise(customization, profile)


def _text(root: etree._Element, name: str) -> str:
    el = root.find(f"{{{CBC}}}{name}")
    return (el.text or "").strip() if el is not None else ""


def _choose(candidates: list[Kind], profile: str) -> Kind | None:
    for kind in candidates:
        if kind.by_profile and profile in kind.profiles:
            return kind
    return next((k for k in candidates if not k.by_profile), None)


def detect(root: etree._Element) -> RuleSet:
    """Pick the rule set (see the module docstring); raises :class:`UnsupportedDocument` when none applies."""
    local = etree.QName(root).localname
    cust = _text(root, "CustomizationID")
    prof = _text(root, "ProfileID")
    kind = _choose(_BY_KEY.get((local, cust), []), prof)
    if kind is not None:
        return kind.ruleset(local)
    for marker in SPECIALISATION_MARKERS:
        base, sep, national = cust.partition(marker)
        while sep:
            found = _choose(_BY_KEY.get((local, base), []), prof)
            if found is not None and national:
                return found.ruleset(local, partial=recognise(cust, prof, specific=True) or national)
            more, sep, national = national.partition(marker)
            base = f"{base}{marker}{more}"
    raise UnsupportedDocument(local, cust, prof)


FAMILIES = ("peppol", "oioubl")

_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_CUSTOMIZATION = re.compile(rb"CustomizationID[^>]*>([^<]{0,300})<")
_PROFILE = re.compile(rb"ProfileID[^>]*>([^<]{0,300})<")
#: How far into a document :func:`head_fields` looks.
HEAD_SCAN = 8192


def head_fields(data: bytes) -> tuple[bytes, bytes, bytes]:
    """Root element name, CustomizationID and ProfileID as they stand in the first bytes of a document
    (no parsing: for guesses that steer work, never for a verdict); empty where not found."""
    head = data[:HEAD_SCAN]
    root, customization, profile = (
        m.group(1) if m else b""
        for m in (_ROOT.search(head), _CUSTOMIZATION.search(head), _PROFILE.search(head))
    )
    return root, customization.strip(), profile.strip()


@functools.lru_cache(maxsize=256)
def guess(root: bytes, customization: bytes, profile: bytes) -> RuleSet | None:
    """The rule set :func:`detect` would pick for these :func:`head_fields`, or None (not UBL, not
    decodable, unsupported). A guess from the first bytes: a wrong one may cost a compilation or a
    detour to another worker, never a wrong verdict (the engine detects again on the parsed document)."""
    try:
        local = root.decode("ascii")
        element = etree.Element(f"{{{UBL_NS_PREFIX}{local}-2}}{local}")
        etree.SubElement(element, f"{{{CBC}}}CustomizationID").text = customization.decode("utf-8")
        etree.SubElement(element, f"{{{CBC}}}ProfileID").text = profile.decode("utf-8")
        return detect(element)
    except (UnsupportedDocument, ValueError):  # not UBL, not decodable, not a valid XML name
        return None


def all_rulesets() -> list[RuleSet]:
    """Every rule set the engine knows, one per table row and root element (the readiness check, tests)."""
    return [kind.ruleset(root) for kind in KINDS for root in kind.roots]


def eager_rulesets() -> list[RuleSet]:
    """The rule sets compiled at warm-up; the others compile on first use (docs/performance.md)."""
    return [rs for rs in all_rulesets() if rs.eager]


def markdown_table() -> str:
    """The rule-set table of docs/validation.md, generated from :data:`KINDS`."""
    lines = [
        "| rule set | specification | release | root | CustomizationID | ProfileID | UBL | stylesheets | compiled |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        sheets = "<br>".join(f"`{s.rsplit('/', 1)[-1]}`" for s in kind.stylesheets)
        profiles = "<br>".join(f"`{p}`" for p in kind.profiles) or "(checked by the rules)"
        if kind.by_profile:
            profiles += " (chosen by it)"
        lines.append(
            f"| `{kind.name}` | {kind.title} | {kind.release} | {', '.join(kind.roots)} | `{kind.customization}` "
            f"| {profiles} | {kind.ubl_version} | {sheets} | {'at start-up' if kind.eager else 'on first use'} |"
        )
    return "\n".join(lines) + "\n"


def markdown_others() -> str:
    """The specifications :func:`recognise` names (docs/validation.md)."""
    lines = ["| identifier | pattern | named |", "|---|---|---|"]
    for fieldname, pattern, name in KNOWN_OTHERS:
        field_label = "CustomizationID" if fieldname == "customization" else "ProfileID"
        lines.append(f"| {field_label} | `{pattern.replace('|', chr(92) + '|')}` | {name} |")
    return "\n".join(lines) + "\n"


#: The generated part of docs/validation.md lies between these two lines.
DOCS_BEGIN = "<!-- generated by `python -m app.validation.rulesets`: edit app/validation/rulesets/ -->"
DOCS_END = "<!-- end of the generated part -->"


def render_docs(page: str) -> str:
    """``page`` (docs/validation.md) with its generated part written from the tables."""
    head, begin, rest = page.partition(DOCS_BEGIN)
    _, end, tail = rest.partition(DOCS_END)
    if not begin or not end:
        raise ValueError("the page has no generated part (its marker lines are missing)")
    body = (
        f"\n\n{markdown_table()}\n"
        f"Recognised but not installed (the first match names the document in `ruleset.unsupported`):\n\n"
        f"{markdown_others()}\n"
    )
    return f"{head}{DOCS_BEGIN}{body}{DOCS_END}{tail}"
