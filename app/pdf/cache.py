"""Rendered PDFs kept in the blob store: each document's PDF is rendered once per language, draft mark and
:data:`~app.pdf.render.TEMPLATE_VERSION`, then read back (hash-checked) by every later download and mail.

``pdf_for(session, blobs, document_id, lang, xml, draft=...)`` answers the PDF and where it came from:

=========  =======================================================================================
hit        read from the blob store (its SHA-256 checked on the way out); nothing rendered
miss       no PDF kept for this key yet: rendered now, written to the blob store, row added
corrupt    the kept blob no longer hashes to its name: never served; rendered again from the
           (hash-checked) XML and served, and the corruption logged on every such read
missing    the kept blob is gone from the store: rendered again and written back
=========  =======================================================================================

The key is ``(document_id, lang, template_version, draft)`` (table ``pdf_cache``, model
:class:`app.store.models.PdfCacheEntry`): a stored document's XML never changes, and :func:`render_pdf`'s
output depends only on the XML, the language, the logo (none for stored documents yet), the draft mark and
the template version, whose bump therefore renders every PDF again on first use. ``draft`` is the
document's status when the PDF is asked for (source 003: a draft's PDF says UTKAST / KLADDE / DRAFT), so the
PDF of an approved document is rendered again, final, and the draft's PDF is never served for it.

Database discipline: SQLite holds its write lock for a transaction's whole life (``BEGIN IMMEDIATE``), so
the look-up's transaction is committed before the blob is read or the PDF rendered, and the new row is
written in a short transaction of its own. Within one process, concurrent calls for the same key wait for
each other, so the PDF is rendered once; two processes may both render it, and the first row wins (the
bytes are the same: rendering is reproducible).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.pdf.labels import Lang
from app.pdf.render import TEMPLATE_VERSION, check_lang, render_pdf
from app.store.blobs import BlobCorrupt, BlobError, BlobMissing, BlobStore, sha256_hex
from app.store.documents import blob_store_unreadable, ensure_blob
from app.store.models import PdfCacheEntry

# Not under ``app.pdf``: the PDF tests fail on any record of the renderer's loggers, and a corrupt blob is
# the store's news, not the renderer's.
log = logging.getLogger("nordubl.pdf.cache")

CacheState = Literal["hit", "miss", "corrupt", "missing"]
#: ``render(xml, lang, draft)``: the PDF of the XML (default: :func:`app.pdf.render_pdf`, no logo).
Render = Callable[[bytes, str, bool], bytes]
#: (document id, language, template version, draft)
Key = tuple[int, str, str, bool]


@dataclass(frozen=True, slots=True)
class CachedPdf:
    pdf: bytes
    sha256: str
    lang: Lang
    template_version: str
    #: The PDF carries the draft mark (the document was a draft when asked for).
    draft: bool
    #: Where the bytes came from (see the module's table).
    state: CacheState
    #: The PDF is kept for the next call (False when the blob store could not be written, or still holds
    #: a corrupt blob under this name).
    kept: bool


class _KeyLocks:
    """One lock per key, alive while someone holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Key, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: Key) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)


_LOCKS = _KeyLocks()


def _default_render(xml: bytes, lang: str, draft: bool) -> bytes:
    return render_pdf(xml, lang, draft=draft)  # looked up at call time: tests replace it


def cached_sha256(
    session: Session, document_id: int, lang: str, template_version: str, draft: bool
) -> str | None:
    """The SHA-256 of the kept PDF of this key, or None (in the caller's transaction)."""
    return session.scalar(
        select(PdfCacheEntry.sha256).where(
            PdfCacheEntry.document_id == document_id,
            PdfCacheEntry.lang == lang,
            PdfCacheEntry.template_version == template_version,
            PdfCacheEntry.draft == draft,
        )
    )


def pdf_for(
    session: Session,
    blobs: BlobStore,
    document_id: int,
    lang: str,
    xml: bytes | Callable[[], bytes],
    *,
    draft: bool,
    render: Render | None = None,
) -> CachedPdf:
    """The PDF of stored document ``document_id`` in ``lang``: the kept one, or rendered now and kept.

    ``xml`` is the document's XML, or a function answering it (called only when a rendering is needed, so
    a hit never reads the XML). ``draft``: the document is a draft now (``Document.status``); its PDF
    carries the draft mark and is kept apart from the final one. ``render`` renders on a miss (default
    :func:`app.pdf.render_pdf`); its errors reach the caller unchanged and nothing is kept. The caller
    checks that the document belongs to the account and is an invoice or credit note. Commits ``session``
    (see the module's notes): call it with no pending changes. Raises :class:`NordublError`
    ``store.unavailable`` (503) when the blob store cannot be read; a blob store that cannot be written
    only costs the keeping (``kept`` is False).
    """
    language = check_lang(lang)
    version = TEMPLATE_VERSION
    key: Key = (document_id, language, version, draft)
    with _LOCKS.hold(key):
        sha = cached_sha256(session, document_id, language, version, draft)
        session.commit()  # end the look-up's transaction before any slow work (SQLite: the write lock)
        state: CacheState = "miss"
        if sha is not None:
            try:
                pdf = blobs.get(sha)
            except BlobCorrupt as exc:
                log.error(
                    "cached PDF of document %s (%s, template %s%s): blob %s is corrupt (its bytes hash to "
                    "%s); not served, rendered again. Restore or delete the blob so it is written again.",
                    document_id,
                    language,
                    version,
                    ", draft" if draft else "",
                    sha,
                    exc.actual,
                )
                state = "corrupt"
            except BlobMissing:
                log.warning(
                    "cached PDF of document %s (%s, template %s%s): blob %s is missing; rendered again",
                    document_id,
                    language,
                    version,
                    ", draft" if draft else "",
                    sha,
                )
                state = "missing"
            except BlobError as exc:
                raise blob_store_unreadable(exc) from None
            else:
                return CachedPdf(pdf, sha, language, version, draft, "hit", True)

        source = xml() if callable(xml) else xml
        pdf = (render or _default_render)(source, language, draft)
        new_sha, kept = _keep(session, blobs, key, pdf)
        return CachedPdf(pdf, new_sha, language, version, draft, state, kept and state != "corrupt")


def _keep(session: Session, blobs: BlobStore, key: Key, pdf: bytes) -> tuple[str, bool]:
    """Write the PDF to the blob store and its row (committed); answers its SHA-256 and whether it is kept."""
    document_id, language, version, draft = key
    try:
        sha = blobs.put(pdf)
    except BlobError as exc:
        log.warning("PDF of document %s (%s) rendered but not kept: %s", document_id, language, exc)
        return sha256_hex(pdf), False
    ensure_blob(session, sha, len(pdf))
    entry = session.get(
        PdfCacheEntry,
        {"document_id": document_id, "lang": language, "template_version": version, "draft": draft},
    )
    if entry is None:
        try:
            with session.begin_nested():
                session.add(
                    PdfCacheEntry(
                        document_id=document_id,
                        lang=language,
                        template_version=version,
                        draft=draft,
                        sha256=sha,
                        size=len(pdf),
                    )
                )
                session.flush()
        except IntegrityError:
            pass  # another process rendered and kept it meanwhile (the same bytes)
    elif entry.sha256 != sha:
        entry.sha256 = sha
        entry.size = len(pdf)
    session.commit()
    return sha, True
