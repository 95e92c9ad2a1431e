"""HTML → PDF/A-3b with the UBL XML embedded, in the calling process. :mod:`app.pdf.worker` runs this in a
capped child process; the benchmark runs it directly beside a bare WeasyPrint render of the same HTML.

The HTML is ours (a sandboxed template of plain strings); the only resources are the bundled stylesheet and
fonts and the logo's data: URI, all through :class:`~app.pdf.fetcher.BundleFetcher`. No ``stylesheets=``
and no attachment comes from the document: the one attachment is the XML the caller passed.
"""

from __future__ import annotations

import base64
import logging
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from weasyprint import HTML, Attachment

from app.pdf.fetcher import BASE_URL, BundleFetcher

#: PDF/A-3 (ISO 19005-3) level B: the only PDF/A part that allows an arbitrary embedded file (the XML)
PDF_VARIANT = "pdf/a-3b"
#: ISO 32000-2 §7.11.3 AFRelationship: the PDF is a rendition made from the embedded XML
RELATIONSHIP = "Source"
#: the bundled sRGB profile (``@color-profile`` in invoice.css) as the PDF/A output intent
OUTPUT_INTENT = "--nordubl-srgb"
_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


@dataclass
class Rendered:
    pdf: bytes
    #: every URL WeasyPrint asked the fetcher for (data: URIs by their media type only)
    requested: list[str] = field(default_factory=list)
    #: what the renderer logged (warning and above) or warned: a clean render has none
    messages: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.levelname} {record.getMessage()}")


def _unique_af(document: Any, pdf: Any) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF array (once from /EmbeddedFiles,
    once from the file specification): keep one reference per file (ISO 19005-3 §6.8)."""
    af = pdf.catalog.get("AF")
    if af:
        seen: dict[str, Any] = {}
        for ref in af:  # the same reference, once as bytes and once as str
            seen.setdefault(ref.decode() if isinstance(ref, bytes) else str(ref), ref)
        unique = list(seen.values())
        af.clear()
        af.extend(unique)


def write_pdf(html: str, xml: bytes, attachment_name: str, created: datetime) -> Rendered:
    """Render ``html`` to PDF/A-3b with ``xml`` embedded byte for byte as ``attachment_name``.

    ``created`` dates the attachment (the document's issue date), so equal input gives equal bytes.
    """
    fetcher = BundleFetcher()
    collect = _Collect()
    loggers = [logging.getLogger(n) for n in _LOGGERS]
    for lg in loggers:
        lg.addHandler(collect)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            attachment = Attachment(
                # through the fetcher as a data: URI, so the attachment's MIME type is stated, not guessed
                url="data:application/xml;base64," + base64.b64encode(xml).decode("ascii"),
                url_fetcher=fetcher,
                name=attachment_name,
                description="UBL 2.1 source of this document",
                created=created,
                modified=created,
                relationship=RELATIONSHIP,
            )
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
            pdf = document.write_pdf(
                pdf_variant=PDF_VARIANT,
                output_intent=OUTPUT_INTENT,
                attachments=[attachment],
                finisher=_unique_af,
            )
    finally:
        for lg in loggers:
            lg.removeHandler(collect)
    messages = collect.messages + [f"{w.category.__name__}: {w.message}" for w in caught]
    return Rendered(pdf, list(fetcher.requested), messages)


def bare_pdf(html: str) -> bytes:
    """WeasyPrint with its defaults on the same HTML: the benchmark's baseline, never used to serve."""
    result: bytes = HTML(string=html, base_url=BASE_URL).write_pdf()
    return result
