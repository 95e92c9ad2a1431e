"""Text that every supported database can store.

PostgreSQL's ``text`` and ``jsonb`` cannot hold U+0000, and no UTF-8 column can hold a surrogate code point
that is not half of a pair (RFC 3629 §3). Requests carrying them are refused at the door
(:mod:`app.api.unstorable`); :func:`storable` is for the one place that keeps refused input on purpose, the
owner's error log, which must show what was wrong instead of failing to record it.
"""

from __future__ import annotations

import re

#: U+0000 and every surrogate code point (a well-formed pair decodes to one character outside this range).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: What stands in for them: U+2400 SYMBOL FOR NULL, U+FFFD REPLACEMENT CHARACTER (Unicode 15, §23.8 and §23.1).
NUL_SYMBOL, REPLACEMENT = "\u2400", "\ufffd"


def storable(text: str) -> str:
    """``text`` with NUL shown as ␀ and unpaired surrogates as �: unchanged when there is neither."""
    if not UNSTORABLE.search(text):
        return text
    return UNSTORABLE.sub(lambda m: NUL_SYMBOL if m.group() == "\x00" else REPLACEMENT, text)
