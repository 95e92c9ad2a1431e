"""Parse untrusted XML: refuse before any rule runs what could read files, reach the network or explode.

- any DOCTYPE is refused (entity tricks: XXE, billion laughs, quadratic blow-up, external DTDs);
  lxml with ``resolve_entities=False`` would keep the declarations when re-serialising, and Saxon
  resolves external entities by default, so they must never get that far;
- no network, no DTD loading, libxml2's default depth and size limits (no ``huge_tree``);
- an element with more attributes than Saxon's XML parser accepts (:data:`MAX_ATTRIBUTES`) is refused
  here, with its line, rather than left to fail inside the rule stage;
- empty input, a size over the limit, malformed XML and non-UBL roots each get their own code, and so
  does each of libxml2's parser limits (``xml.too_deep``, ``xml.text_too_long``, ``xml.name_too_long``),
  in words rather than libxml2's "use XML_PARSE_HUGE".
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from app.codes import issue
from app.errors import NordublError
from app.validation.rulesets import UBL_NS_PREFIX

#: The root of an SBDH envelope (UN/CEFACT Standard Business Document Header 1.3).
SBDH_ROOT = "{http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader}StandardBusinessDocument"

# The DOCTYPE can only stand in the prolog, before the root element (XML 1.0 §2.8); this much is read
# before parsing. A prolog longer than that is left to the check of the parsed tree.
_PROLOG_SCAN = 1 << 16
# XML 1.0 appendix F.1: the encoding family from a byte order mark or the first "<" (UTF-32 before UTF-16,
# whose marks are prefixes of UTF-32's); markup is ASCII, so any other family is read as ISO-8859-1.
_FAMILIES = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8"),
)
# XML 1.0 §2.8: prolog ::= XMLDecl? Misc* (doctypedecl Misc*)?, Misc ::= Comment | PI | S
_MISC = re.compile(r"[ \t\r\n]+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
# XML 1.0 §2.3: S ::= (#x20 | #x9 | #xD | #xA)+
_XML_SPACE = " \t\r\n"
# The JAXP limit jdk.xml.elementAttributeLimit (10,000 attributes per element), which the parser Saxon
# reads documents with enforces (JAXP00010002); UBL elements carry at most a handful of attributes.
MAX_ATTRIBUTES = 10_000
# Byte order marks (XML 1.0 appendix F.1) a file of white space may start with.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _is_blank(data: bytes) -> bool:
    """Nothing but an optional byte order mark and XML white space (XML 1.0 §2.3, production S)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            rest = data[len(bom) :]
            try:  # the head first: a document has markup early, so the whole file is rarely decoded
                return not rest[:4096].decode(codec).strip(_XML_SPACE) and not rest.decode(codec).strip(
                    _XML_SPACE
                )
            except UnicodeDecodeError:  # not white space, whatever it is
                return False
    return not data.strip(_XML_SPACE.encode("ascii"))


def _prolog_has_doctype(head: bytes) -> bool:
    """Whether a DOCTYPE follows the XML declaration, comments, PIs and white space of the prolog.

    Only the prolog is read: ``<!DOCTYPE`` inside a comment or a CDATA section of the content is text.
    """
    codec = next((c for mark, c in _FAMILIES if head.startswith(mark)), "latin-1")
    text = head.decode(codec, errors="replace").removeprefix("\ufeff")
    pos = 0
    while (m := _MISC.match(text, pos)) is not None:
        pos = m.end()
    return text.startswith("<!DOCTYPE", pos)


# libxml2's limits without XML_PARSE_HUGE (parserInternals.h: xmlParserMaxDepth, XML_MAX_TEXT_LENGTH,
# XML_MAX_NAME_LENGTH); a UBL document nests about 10 deep and has no value near these sizes.
MAX_DEPTH = 256
MAX_TEXT = 10_000_000
MAX_NAME = 50_000


def _parser_limit(exc: etree.XMLSyntaxError, line: int | None) -> NordublError | None:
    """The refusal for one of libxml2's parser limits (error codes of libxml2's xmlerror.h), or None."""
    msg = str(exc.msg if hasattr(exc, "msg") else exc)
    code = getattr(exc, "code", None)  # libxml2's error number (lxml-stubs lack it)
    if code == etree.ErrorTypes.ERR_RESOURCE_LIMIT or "XML_PARSE_HUGE" in msg:
        if "depth" in msg.lower():
            return _refuse("xml.too_deep", line, limit=str(MAX_DEPTH))
        return _refuse("xml.text_too_long", line, limit=f"{MAX_TEXT:,}")
    if code == etree.ErrorTypes.ERR_NAME_TOO_LONG:
        return _refuse("xml.name_too_long", line, limit=f"{MAX_NAME:,}")
    return None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
    )


def _refuse(code: str, line: int | None = None, status: int = 422, **params: str) -> NordublError:
    """The refusal of one catalogued ``xml.*`` code (app/codes/)."""
    return NordublError(
        title="The document was refused before validation",
        issues=[issue(code, line=line, params=params)],
        status=status,
    )


def parse_untrusted(data: bytes, max_bytes: int | None = None, envelope: bool = False) -> etree._ElementTree:
    """Parse bytes into a tree, or raise :class:`NordublError` with an ``xml.*`` issue. With ``envelope``
    an SBDH ``StandardBusinessDocument`` root is accepted too (the caller unwraps it:
    :mod:`app.validation.sbdh`)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise _refuse("xml.too_large", status=413, size=str(len(data)), limit=str(max_bytes))
    if _is_blank(data):
        raise _refuse("xml.empty", status=400)
    if _prolog_has_doctype(data[:_PROLOG_SCAN]):
        raise _refuse("xml.doctype_forbidden")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        limit = _parser_limit(exc, line)
        if limit is not None:
            raise limit from None
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        code = "xml.encoding" if "encoding" in msg.lower() or "utf-8" in msg.lower() else "xml.malformed"
        raise _refuse(code, line, detail=msg) from None
    except ValueError as exc:  # e.g. unicode strings with an encoding declaration
        raise _refuse("xml.malformed", detail=str(exc), variant="unparsable") from None
    docinfo: Any = tree.docinfo  # lxml-stubs lack DocInfo.doctype
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _refuse("xml.doctype_forbidden")
    root = tree.getroot()
    ns = etree.QName(root).namespace or ""
    if not ns.startswith(UBL_NS_PREFIX) and not (envelope and root.tag == SBDH_ROOT):
        raise _refuse(
            "xml.not_ubl",
            root.sourceline if isinstance(root.sourceline, int) else None,
            element=str(root.tag),
        )
    if data.count(b"=") > MAX_ATTRIBUTES:  # fewer "=" in the file: no element can pass the limit
        _check_attribute_counts(tree)
    return tree


def _check_attribute_counts(tree: etree._ElementTree) -> None:
    for element in tree.iter():
        count = len(element.attrib)
        if count > MAX_ATTRIBUTES:
            name = etree.QName(element).localname if isinstance(element.tag, str) else str(element.tag)
            raise _refuse(
                "xml.too_many_attributes",
                element.sourceline if isinstance(element.sourceline, int) else None,
                element=name,
                count=str(count),
                limit=f"{MAX_ATTRIBUTES:,}",
            )
