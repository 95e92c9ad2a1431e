"""XSD errors in words: libxml2's schema messages rewritten with the usual UBL prefixes and what the schema
expects at that place.

libxml2 writes every name in Clark notation (``{urn:oasis:…:CommonBasicComponents-2}IssueDate``) and its
own phrasing (``This element is not expected. Expected is one of ( … )``). Its messages come in a handful
of fixed forms (libxml2 ``xmlschemas.c``: ``xmlSchemaComplexTypeErr``, ``xmlSchemaSimpleTypeErr``,
``xmlSchemaIllegalAttrErr``, ``xmlSchemaFacetErr``); these are rephrased here, and any other message keeps
libxml2's words with the names shortened. Hand-written because no library turns libxml2's text into
readable sentences; the forms are matched exactly and anything else passes through.
"""

from __future__ import annotations

import re

_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
#: The prefixes the UBL specification uses (UBL 2.1 §B.2, "Namespace prefixes"); a main document's own
#: namespace (``…:Invoice-2``) is written without one.
PREFIXES = {
    f"{_UBL}CommonBasicComponents-2": "cbc",
    f"{_UBL}CommonAggregateComponents-2": "cac",
    f"{_UBL}CommonExtensionComponents-2": "ext",
    f"{_UBL}CommonSignatureComponents-2": "sig",
    f"{_UBL}SignatureAggregateComponents-2": "sac",
    f"{_UBL}SignatureBasicComponents-2": "sbc",
    f"{_UBL}QualifiedDataTypes-2": "qdt",
    f"{_UBL}UnqualifiedDataTypes-2": "udt",
    "http://www.w3.org/2000/09/xmldsig#": "ds",
    "http://uri.etsi.org/01903/v1.3.2#": "xades",
    "http://www.w3.org/2001/XMLSchema": "xs",
}
_CLARK = re.compile(r"\{([^}]*)\}([\w.-]+)")
_ELEMENT = re.compile(r"^Element '(?P<el>[^']+)'(?:, attribute '(?P<attr>[^']+)')?: (?P<rest>.*)$", re.DOTALL)
_EXPECTED = re.compile(r"Expected is(?: one of)? \( (?P<names>.*?) \)\.?$", re.DOTALL)
_BAD_VALUE = re.compile(
    r"^'(?P<value>.*)' is not a valid value of the (?:local )?(?:atomic|list|union) type(?: '(?P<type>[^']+)')?\.$",
    re.DOTALL,
)
_FACET = re.compile(r"^\[facet '(?P<facet>\w+)'\] (?P<rest>.*)$", re.DOTALL)

#: XML Schema Part 2 built-in types, in words.
TYPE_WORDS = {
    "xs:date": "a date written YYYY-MM-DD (e.g. 2026-05-31)",
    "xs:time": "a time written hh:mm:ss (e.g. 14:30:00)",
    "xs:dateTime": "a date and time written YYYY-MM-DDThh:mm:ss",
    "xs:decimal": "a number with a point as decimal separator (e.g. 1250.00)",
    "xs:integer": "a whole number",
    "xs:boolean": "true or false",
    "xs:base64Binary": "base64-encoded content",
    "xs:anyURI": "a URI",
    "xs:normalizedString": "text",
    "xs:token": "text",
    "xs:string": "text",
}
#: UBL unqualified data types by the ending of an element's name (UBL 2.1 §4.4, CCTS representation
#: terms): what a value of a "local atomic type" is, which libxml2 does not name.
_BY_NAME = (
    (("Amount", "Quantity", "Measure", "Numeric", "Percent", "Rate"), "xs:decimal"),
    (("DateTime",), "xs:dateTime"),
    (("Date",), "xs:date"),
    (("Time",), "xs:time"),
    (("Indicator",), "xs:boolean"),
)


def short(text: str) -> str:
    """Every ``{namespace}name`` in ``text`` written ``prefix:name`` (a main document's own name bare)."""

    def one(m: re.Match[str]) -> str:
        ns, local = m.group(1), m.group(2)
        if ns in PREFIXES:
            return f"{PREFIXES[ns]}:{local}"
        if ns.startswith(_UBL):
            return local
        return f"{local} (namespace {ns})" if ns else local

    return _CLARK.sub(one, text)


def _words(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def _type_words(xs_type: str | None, element: str) -> str:
    if xs_type and xs_type in TYPE_WORDS:
        return TYPE_WORDS[xs_type]
    local = element.rsplit(":", 1)[-1]
    for endings, builtin in _BY_NAME:
        if local.endswith(endings):
            return TYPE_WORDS[builtin]
    return f"a value of the type {xs_type}" if xs_type else "a value of the element's type"


def describe(message: str) -> tuple[str, str | None]:
    """(message in words, what the schema expects there or None) for one libxml2 schema error."""
    text = short(" ".join(message.split()))
    m = _ELEMENT.match(text)
    if not m:
        if "No matching global declaration available for the validation root" in text:
            return "The root element is not a UBL main document of this type (no XSD declares it).", None
        return text, None
    el, attr, rest = m.group("el"), m.group("attr"), m.group("rest")
    expected_m = _EXPECTED.search(rest)
    names = [n.strip() for n in expected_m.group("names").split(",")] if expected_m else []
    if rest.startswith("This element is not expected."):
        if names:
            return (
                f"{el} is not allowed at this place. The schema expects {_words(names)} here: an element "
                "may be missing before it, or it stands in the wrong order.",
                _words(names),
            )
        return f"{el} is not allowed at this place: nothing more is expected inside its parent here.", None
    if rest.startswith("Missing child element(s)."):
        return f"{el} lacks a required child element: add {_words(names)}.", _words(names) or None
    bad = _BAD_VALUE.match(rest)
    if bad:
        want = _type_words(bad.group("type"), el)
        return f"{el} holds '{bad.group('value')}', which is not {want}.", want
    if attr and rest.endswith("is not allowed."):
        return f"{el} may not carry the attribute {attr}.", None
    required = re.match(r"^The attribute '([^']+)' is required but missing\.$", rest)
    if required:
        return f"{el} needs the attribute {required.group(1)}.", f"the attribute {required.group(1)}"
    if rest.startswith("Character content other than whitespace is not allowed"):
        return f"{el} may hold only child elements, not text.", "child elements only"
    if rest.startswith("Element content is not allowed, because the content type is a simple type"):
        return f"{el} holds a value, not child elements.", "a value, no child elements"
    facet = _FACET.match(rest)
    if facet:
        length = re.search(r"minimum length of '(\d+)'", rest)
        if facet.group("facet") == "minLength" and length:
            n = int(length.group(1))
            return f"{el} is too short: at least {n} character{'s' if n > 1 else ''}.", f"{n}+ characters"
        enum = re.search(r"not an element of the set \{(.*)\}", rest)
        if facet.group("facet") == "enumeration" and enum:
            allowed = [v.strip().strip("'") for v in enum.group(1).split(",")]
            return f"{el} holds a value outside the list the schema allows.", _words(allowed)
        return f"{el}: {facet.group('rest')}", None
    return f"{el}: {rest}", None
