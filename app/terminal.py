"""Text for a terminal or a log file: characters that control the display are shown escaped.

File names and zip entry names come from the outside. Written raw, an escape sequence (ECMA-48 CSI
``ESC [``, or the C1 ``CSI`` U+009B) moves the cursor or clears the screen, a CR or LF starts a forged line
("1 files, 1 valid"), and a bidi override (Unicode TR #9, the "Trojan Source" trick) reorders what is
shown. Every such character is written as a Python escape instead: ``\\x1b``, ``\\n``, ``\\u202e``.

An issue is printed as one line (:func:`issue_line`), the same for every command and report format.
"""

from __future__ import annotations

import re
from typing import Protocol

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: C0 controls, DEL, C1 controls, line and paragraph separators, and the bidi formatting characters
#: (Unicode TR #9 §2: ALM, LRM, RLM, LRE … RLO, LRI … PDI).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control, line-breaking and bidi character escaped (one line, shown as it is)."""
    return _UNPRINTABLE.sub(_escape, text)


class PrintedIssue(Protocol):
    """What :func:`issue_line` reads of an issue (:class:`app.errors.Issue` has it)."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def line(self) -> int | None: ...
    @property
    def field(self) -> str | None: ...
    @property
    def hint(self) -> str | None: ...
    @property
    def found(self) -> str | None: ...
    @property
    def expected(self) -> str | None: ...


def issue_line(name: str, issue: PrintedIssue, ruleset: str | None = None) -> str:
    """``file:line: severity code [rule set release] message (found …; expected …) [field …] — hint``;
    the rule set part only when ``ruleset`` is given (a validation report's lines)."""
    where = f"{name}:{issue.line}" if issue.line else name
    applied = f" [{ruleset}]" if ruleset else ""
    values = []
    if issue.found:
        values.append(f"found {issue.found}")
    if issue.expected:
        values.append(f"expected {issue.expected}")
    calc = f" ({'; '.join(values)})" if values else ""
    extra = f" [field {issue.field}]" if issue.field else ""
    hint = f" — {issue.hint}" if issue.hint else ""
    return printable(f"{where}: {issue.severity} {issue.code}{applied} {issue.message}{calc}{extra}{hint}")
