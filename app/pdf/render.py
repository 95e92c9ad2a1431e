"""``render_pdf(xml, lang, logo, draft=...)``: a stored UBL invoice or credit note → its PDF/A-3b, XML
embedded.

Read (safe parser) → view (plain strings, Babel) → HTML (sandboxed Jinja) in the calling process; HTML → PDF
in a capped worker process (:mod:`app.pdf.worker`). Output depends only on the input bytes, the language,
the logo, the draft mark and :data:`TEMPLATE_VERSION`, so a cache may key on those.
"""

from __future__ import annotations

import atexit
import base64
import logging
import threading
from datetime import datetime, time
from io import BytesIO
from typing import TypedDict, Unpack, cast, get_args

from app.config import get_settings
from app.document.model import BusinessDocument
from app.errors import NordublError
from app.pdf.html import render_html
from app.pdf.labels import Lang
from app.pdf.view import invoice_view
from app.pdf.worker import Job, PdfPool
from app.reader import read_document

#: Bump whenever the templates, stylesheet, fonts, labels or view change what a PDF looks like: cached PDFs
#: are keyed on it. tests/pdf/test_pdf_bundle.py pins the bundle's hash to this value.
TEMPLATE_VERSION = "2026.4"

log = logging.getLogger(__name__)
_POOL: PdfPool | None = None
_POOL_LOCK = threading.Lock()
_LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def default_pool() -> PdfPool:
    """The process's worker pool, created on first use from the settings (``NORDUBL_PDF_*``)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            s = get_settings()
            _POOL = PdfPool(workers=s.pdf_workers, timeout=s.pdf_timeout_seconds, memory_mb=s.pdf_memory_mb)
            atexit.register(_POOL.close)
        return _POOL


#: the title of every refusal of the PDF renderer
REFUSED = "The PDF could not be rendered"


def check_lang(lang: str) -> Lang:
    if lang not in get_args(Lang):
        raise NordublError.of("input.lang", title=REFUSED, status=400, value=lang)
    return cast(Lang, lang)


def logo_uri(logo: bytes | None) -> str:
    """The logo as a data: URI after checking it is a PNG or JPEG of sane size (Pillow reads the header)."""
    if not logo:
        return ""
    settings = get_settings()
    if len(logo) > settings.pdf_max_logo_bytes:
        raise NordublError.of(
            "input.logo",
            title=REFUSED,
            status=413,
            variant="size",
            size=str(len(logo)),
            limit=str(settings.pdf_max_logo_bytes),
        )
    mime = next((m for magic, m in _LOGO_TYPES.items() if logo.startswith(magic)), None)
    if mime is None:
        raise NordublError.of("input.logo", title=REFUSED)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(logo)) as img:
            width, height = img.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise NordublError.of("input.logo", title=REFUSED, variant="unreadable", detail=str(exc)) from None
    if width * height > 4096 * 4096:
        raise NordublError.of(
            "input.logo", title=REFUSED, variant="pixels", width=str(width), height=str(height)
        )
    return f"data:{mime};base64," + base64.b64encode(logo).decode("ascii")


def attachment_name(doc: BusinessDocument) -> str:
    """A fixed name per document type: nothing from the document's text names the attachment."""
    return "creditnote.xml" if doc.kind == "creditnote" else "invoice.xml"


def prepare(
    xml: bytes, lang: str, logo: bytes | None = None, *, draft: bool = False
) -> tuple[BusinessDocument, Job]:
    """Everything up to the HTML, in this process: the parts that cannot hang or explode."""
    settings = get_settings()
    language = check_lang(lang)
    doc = read_document(xml, settings.max_xml_bytes)
    if len(doc.lines) > settings.pdf_max_lines:
        # refused before rendering: the render time grows with the lines (docs/performance.md, "PDF")
        raise NordublError.of(
            "pdf.too_large",
            "document",
            title=REFUSED,
            status=413,
            variant="lines",
            lines=str(len(doc.lines)),
            limit=str(settings.pdf_max_lines),
        )
    html = render_html(invoice_view(doc, language, logo_uri(logo), draft))
    return doc, Job(html, xml, attachment_name(doc), datetime.combine(doc.issue_date, time()))


class RenderOptions(TypedDict, total=False):
    """How :func:`render_pdf` renders: ``draft`` marks every page (source 003: not yet approved, not sent);
    ``pool`` the worker pool (default: :func:`default_pool`); ``timeout`` its limit in seconds."""

    draft: bool
    pool: PdfPool | None
    timeout: float | None


def render_document(
    xml: bytes, lang: str, logo: bytes | None = None, **options: Unpack[RenderOptions]
) -> tuple[BusinessDocument, bytes]:
    """As :func:`render_pdf`, also answering the document read (for file names, headers, logs)."""
    doc, job = prepare(xml, lang, logo, draft=options.get("draft", False))
    result = (options.get("pool") or default_pool()).render(job, options.get("timeout"))
    for message in result.messages:  # a clean render logs nothing; anything else is worth a look
        log.warning("renderer: %s", message)
    return doc, result.pdf


def render_pdf(xml: bytes, lang: str, logo: bytes | None = None, **options: Unpack[RenderOptions]) -> bytes:
    """The PDF/A-3b of a UBL invoice or credit note in ``lang`` (nb, da, sv, en), with ``xml`` embedded.

    ``draft``: the document is a draft (source 003: not yet approved, not sent), and every page says so
    in ``lang`` (UTKAST, KLADDE, DRAFT). The XML is rendered as it is: validate it first (the HTTP route
    does). Raises :class:`NordublError`:
    ``xml.*`` / ``reader.*`` for an unreadable document, ``input.lang`` / ``input.logo`` for bad arguments,
    ``pdf.too_large``, ``pdf.timeout`` or ``pdf.failed`` from the renderer. Thread-safe.
    """
    return render_document(xml, lang, logo, **options)[1]
