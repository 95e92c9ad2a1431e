"""The one ``Content-Disposition`` header of every download the service answers (RFC 6266).

A file name comes from data (an order id, an invoice number): it may hold any character. The header carries

- ``filename="…"``: an ASCII fallback (RFC 6266 §4.3, Appendix D). Letters with diacritics lose them,
  every other character outside ``[A-Za-z0-9._-]`` becomes ``_``, quotes and backslashes are dropped, so
  the quoted-string (RFC 9110 §5.6.4) needs no escape and no parameter can be closed from inside it;
- ``filename*=UTF-8''…``: the name itself, percent-encoded (RFC 8187 §3.2, which obsoletes RFC 5987),
  sent only when it differs from the fallback (RFC 6266 Appendix D).

Characters no file name should hold are replaced first, in both: control characters (CR and LF among
them, so the header can never be split), format and separator characters, unassigned and private-use
code points, and path separators (RFC 6266 §4.3: recipients must not use path information).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal
from urllib.parse import quote

#: Longest name sent, in characters (without the extension).
MAX_STEM = 150
#: Unicode general categories never kept in a file name: controls, format characters (bidi overrides
#: among them), surrogates, private use, unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_PATH_SEPARATORS = frozenset("/\\")
#: RFC 6266 Appendix D: the fallback is plain ASCII; these are safe in any file system.
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
#: Latin letters that have no decomposition (NFKD leaves them whole), spelt in ASCII as Nordic and German
#: readers spell them.
_TRANSLITERATION = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
    }
)
#: RFC 8187 §3.2.1 attr-char, besides ALPHA and DIGIT: sent as they are, everything else percent-encoded.
_ATTR_CHAR_PUNCTUATION = "!#$&+-.^_`|~"


def _clean(text: str) -> str:
    """The name with every refused character replaced by ``_`` and white space runs made one space."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(
        "_" if c in _PATH_SEPARATORS or unicodedata.category(c) in _REFUSED_CATEGORIES else c for c in text
    )
    return " ".join(kept.split())


def _ascii(text: str) -> str:
    """RFC 6266 Appendix D: an ASCII-only fallback (diacritics dropped, quotes and backslashes removed)."""
    text = unicodedata.normalize("NFKD", text.replace('"', "").replace("\\", "").translate(_TRANSLITERATION))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _ASCII_UNSAFE.sub("_", text)


def _split(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if dot and stem and _EXTENSION.fullmatch(extension):
        return stem, extension
    return name, ""


def content_disposition(
    filename: str, disposition: Literal["inline", "attachment"] = "inline", default: str = "download"
) -> str:
    """The header value for a download named ``filename`` (``default`` when nothing of it is left)."""
    stem, extension = _split(filename)
    suffix = f".{extension}" if extension else ""
    name_stem = _clean(stem)[:MAX_STEM].strip(" .") or default
    ascii_stem = _ascii(name_stem).strip("._") or default
    name, fallback = name_stem + suffix, ascii_stem + suffix
    value = f'{disposition}; filename="{fallback}"'
    if name != fallback:
        value += "; filename*=UTF-8''" + quote(name, safe=_ATTR_CHAR_PUNCTUATION)
    return value
