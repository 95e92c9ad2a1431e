"""Documents made large at test time from an official example, for the tests of the validation pool and of
the service that runs it."""

from __future__ import annotations

import re
from pathlib import Path


def big_invoice(standards_dir: Path, lines: int) -> bytes:
    """An invoice with ``lines`` copies of one line (totals left as they were): seconds of Saxon work."""
    src = (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_text()
    m = re.search(r"<cac:InvoiceLine>.*?</cac:InvoiceLine>", src, re.S)
    assert m
    return (src[: m.start()] + m.group(0) * lines + src[m.end() :]).encode()
