"""Turn an SVRL location (an XPath written by the rule compiler) into a line in the source document."""

from __future__ import annotations

import re

from lxml import etree

# Steps as written by the compilers of the official rules:
#   Peppol/CEN:  *:Invoice[namespace-uri()='urn:…'][1]
#   OIOUBL:      *[local-name()='Invoice']        (no position: the first match is taken)
_STEP = re.compile(
    r"^(?:\*:(?P<a>[\w.-]+)|\*\[local-name\(\)\s*=\s*'(?P<b>[\w.-]+)'\]|(?P<c>[\w.-]+:[\w.-]+)|(?P<d>@[\w:.-]+))"
    r"(?:\[namespace-uri\(\)\s*=\s*'[^']*'\])?(?:\[(?P<n>\d+)\])?$"
)


def _split(path: str) -> list[str]:
    steps: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "/" and depth == 0:
            steps.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    steps.append("".join(cur))
    return [s for s in steps if s]


def resolve(root: etree._Element, location: str) -> tuple[etree._Element | None, str]:
    """Return (element, readable XPath) for an SVRL location; element is None when it cannot be followed."""
    node: etree._Element | None = None
    readable: list[str] = []
    for i, step in enumerate(_split(location)):
        m = _STEP.match(step)
        if not m:
            return node, location
        if m.group("d"):
            readable.append(m.group("d"))
            break
        name = m.group("a") or m.group("b") or (m.group("c") or "").split(":")[-1]
        pos = int(m.group("n") or 1)
        if i == 0:
            if etree.QName(root).localname != name:
                return None, location
            node = root
        else:
            assert node is not None
            same = [c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == name]
            if len(same) < pos:
                return node, location
            node = same[pos - 1]
        readable.append(f"{_prefix(node)}{name}" + (f"[{pos}]" if pos > 1 else ""))
    return node, "/" + "/".join(readable)


def _prefix(el: etree._Element) -> str:
    ns = etree.QName(el).namespace or ""
    if ns.endswith("CommonAggregateComponents-2"):
        return "cac:"
    if ns.endswith("CommonBasicComponents-2"):
        return "cbc:"
    return ""
