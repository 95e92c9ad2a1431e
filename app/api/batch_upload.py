"""The upload of ``POST /v1/validate/batch``: the request body streamed into a private temporary
directory, and the documents it holds.

- **Upload**, streamed with counters (:func:`receive`): a declared ``Content-Length`` above
  ``batch_upload_max_bytes`` is refused before any byte is read; without one the running count refuses as
  soon as it passes the limit. An XML file above ``max_xml_bytes`` and more files than
  ``batch_http_max_files`` are refused the same way (413). Files are stored under generated names, never
  the names the client sent. The body is read within the time limits and upload slots of
  :mod:`app.api.upload` (408, 503).
- **Scan** (:func:`scan`, in a worker thread): archives are read by the batch loader
  (:meth:`app.batch.Loader.iter_zip`: streamed entry by entry, never extracted). Any refusal answers 413
  (a size limit) or 422 problem+json with one ``input.*`` issue per refused entry, before any document is
  validated.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header

from app import codes
from app.api import leftovers
from app.api.deps import too_large
from app.api.upload import upload_body
from app.batch import Input, Loader
from app.batch.loader import MAX_NAME
from app.config import Settings
from app.errors import NordublError
from app.issues import Issue

ZIP_MAGIC = b"PK\x03\x04"
ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})
XML_TYPES = frozenset({"application/xml", "text/xml"})
#: Loader refusals that are size limits (413); the others are refused content (422).
SIZE_CODES = frozenset(
    {"input.too_large", "input.too_many_files", "input.zip_too_many_entries", "input.zip_bomb"}
)
#: Most issues one refusal lists (the first ones; ``detail`` says how many there were).
MAX_LISTED = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _refused(status: int, title: str, issues: list[Issue], detail: str | None = None) -> NordublError:
    err = NordublError(title=title, issues=issues, status=status)
    if detail:
        err.title = f"{title} ({detail})"
    return err


@dataclass
class Part:
    """One uploaded file, stored in the upload's temporary directory under a generated name."""

    name: str
    path: Path
    size: int = 0
    archive: bool = False


class Upload:
    """The files of one request, in a private temporary directory that :meth:`close` removes."""

    def __init__(self) -> None:
        self._dir = leftovers.scratch_dir("batch")  # named after this process: swept at start-up if it dies
        self.root = Path(self._dir.name)
        self.parts: list[Part] = []

    def new_part(self, name: str, archive: bool) -> tuple[Part, IO[bytes]]:
        part = Part(clean_name(name, len(self.parts)), self.root / f"{len(self.parts):06d}.part", 0, archive)
        self.parts.append(part)
        return part, part.path.open("xb")

    def close(self) -> None:
        self._dir.cleanup()


def clean_name(name: str, index: int) -> str:
    """A file name for display only: no control characters, at most MAX_NAME characters."""
    name = _CONTROL.sub("", name).strip()[:MAX_NAME]
    return name or f"file-{index + 1}.xml"


def clean_entry(item: Input, archive: str) -> Input:
    """An archive's input named as an uploaded file is: the entry's part (cut to MAX_NAME by the loader)
    without control characters."""
    prefix = f"{archive}!"
    if not item.name.startswith(prefix):
        return item  # the archive itself (unreadable, too many entries)
    entry = _CONTROL.sub("", item.name[len(prefix) :]).strip()
    return replace(item, name=prefix + (entry or "entry.xml"))


class _Receiver:
    """Feeds the request body to a multipart parser, writing each file part to the :class:`Upload`."""

    def __init__(self, upload: Upload, settings: Settings) -> None:
        self.upload = upload
        self.settings = settings
        self.error: NordublError | None = None
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._type = b""
        self._part: Part | None = None
        self._out: IO[bytes] | None = None
        self._head = b""
        self.ended = False

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._field,
            "on_header_value": self._value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
            "on_part_end": self._end,
            "on_end": self._finished,
        }

    def _finished(self) -> None:
        self.ended = True

    def _begin(self) -> None:
        self._disposition = self._type = b""
        self._part, self._out, self._head = None, None, b""

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        name = self._header_name.lower()
        if name == b"content-disposition":
            self._disposition = self._header_value
        elif name == b"content-type":
            self._type = self._header_value
        self._header_name = self._header_value = b""

    def _headers_done(self) -> None:
        if self.error is not None:
            return
        _kind, options = parse_options_header(self._disposition)
        if b"filename" not in options:
            return  # a plain form field: counted in the body's size, otherwise ignored
        filename = options[b"filename"].decode("utf-8", "replace")
        if not filename:
            return  # an empty file input: browsers send filename="" and no content
        media = parse_options_header(self._type)[0].decode("latin-1").lower()
        if len(self.upload.parts) >= self.settings.batch_http_max_files:
            self.error = too_many_files(len(self.upload.parts) + 1, self.settings)
            return
        archive = filename.lower().endswith(".zip") or media in ZIP_TYPES
        self._part, self._out = self.upload.new_part(filename, archive)

    def _data(self, data: bytes, start: int, end: int) -> None:
        part, out = self._part, self._out
        if part is None or out is None or self.error is not None:
            return
        chunk = data[start:end]
        if len(self._head) < len(ZIP_MAGIC):
            self._head += chunk[: len(ZIP_MAGIC)]
            part.archive = part.archive or self._head.startswith(ZIP_MAGIC)
        part.size += len(chunk)
        limit = self.settings.max_xml_bytes
        if not part.archive and part.size > limit:
            self.error = too_large(part.size, limit, f"file {part.name!r}", "max_xml_bytes")
            return
        out.write(chunk)

    def _end(self) -> None:
        if self._out is not None:
            self._out.close()
        self._part, self._out = None, None

    def close(self) -> None:
        if self._out is not None:
            self._out.close()


async def receive(request: Request, settings: Settings) -> Upload:
    """Stream the body into an :class:`Upload`, refusing it as soon as a limit is passed."""
    limit = settings.batch_upload_max_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared), limit, "upload", "batch_upload_max_bytes")
    media, params = parse_options_header(request.headers.get("content-type", ""))
    kind = media.decode("latin-1").lower()
    upload = Upload()
    try:
        if kind == "multipart/form-data":
            await _receive_multipart(request, settings, upload, params.get(b"boundary"))
        elif kind in ZIP_TYPES or kind in XML_TYPES:
            await _receive_single(request, settings, upload, kind in ZIP_TYPES)
        else:
            found = {"content_type": kind} if kind else {"variant": "missing"}
            raise _refused(415, "Unsupported media type", [codes.issue("input.content_type", params=found)])
    except BaseException:
        upload.close()
        raise
    return upload


async def _receive_multipart(
    request: Request, settings: Settings, upload: Upload, boundary: bytes | None
) -> None:
    if not boundary:
        raise _bad_multipart("The multipart Content-Type has no boundary.")
    receiver = _Receiver(upload, settings)
    try:
        parser = MultipartParser(boundary, receiver.callbacks())
    except Exception as exc:  # python-multipart refuses over-long boundaries
        raise _bad_multipart(str(exc)) from None
    size = 0
    try:
        async with upload_body(request, settings) as body:  # 408 past the time limits, 503 when busy
            async for chunk in body:
                size += len(chunk)
                if size > settings.batch_upload_max_bytes:
                    raise too_large(size, settings.batch_upload_max_bytes, "upload", "batch_upload_max_bytes")
                try:
                    parser.write(chunk)
                except Exception as exc:  # python-multipart's parse errors
                    raise _bad_multipart(str(exc)) from None
                if receiver.error is not None:
                    raise receiver.error
        try:
            parser.finalize()
        except Exception as exc:
            raise _bad_multipart(str(exc)) from None
        if not receiver.ended:
            raise _bad_multipart("the body ends before the closing boundary")
    finally:
        receiver.close()


async def _receive_single(request: Request, settings: Settings, upload: Upload, archive: bool) -> None:
    name = request.headers.get("x-filename") or ("upload.zip" if archive else "upload.xml")
    limit = (
        settings.batch_upload_max_bytes
        if archive
        else min(settings.max_xml_bytes, settings.batch_upload_max_bytes)
    )
    setting = (
        "batch_upload_max_bytes" if archive or limit == settings.batch_upload_max_bytes else "max_xml_bytes"
    )
    async with upload_body(request, settings) as body:  # 408 past the time limits, 503 when busy
        part, out = upload.new_part(name, archive)
        with out:
            async for chunk in body:
                part.size += len(chunk)
                if part.size > limit:
                    raise too_large(part.size, limit, "upload", setting)
                out.write(chunk)


def _bad_multipart(why: str) -> NordublError:
    return _refused(
        400,
        "The upload is not valid multipart/form-data",
        [codes.issue("input.multipart", params={"detail": why})],
    )


def too_many_files(count: int, settings: Settings) -> NordublError:
    limit = settings.batch_http_max_files
    return _refused(
        413,
        "Too many files in one batch",
        [
            codes.issue(
                "input.too_many_files",
                "files",
                params={"variant": "http", "count": str(count), "limit": str(limit)},
            )
        ],
    )


def documents(upload: Upload, settings: Settings) -> Generator[Input, None, None]:
    """Every document of the upload, in order: plain files as sent, archives through the batch loader."""
    loader = Loader(settings)
    for part in upload.parts:
        if part.archive:
            with part.path.open("rb") as fh:
                for item in loader.iter_zip(fh, part.name):
                    yield clean_entry(item, part.name)
        else:
            yield replace(loader.read_file(str(part.path)), name=part.name)


def scan(upload: Upload, settings: Settings) -> list[str]:
    """The names of every document the upload holds; raises 413/422 when the loader refuses anything.

    Archives are decompressed here once (streamed, nothing kept) so that every limit is known before
    any document is validated and before the answer is chosen (at once, or a job).
    """
    names: list[str] = []
    refusals: list[Issue] = []
    for item in documents(upload, settings):
        if item.issue is not None:
            refusals.append(replace(item.issue, field="files", value=item.name))
        else:
            names.append(item.name)
        if len(names) > settings.batch_http_max_files:
            raise too_many_files(len(names), settings)
    if refusals:
        status = 413 if any(i.code in SIZE_CODES for i in refusals) else 422
        title = "The upload exceeds a limit" if status == 413 else "The upload holds files that are refused"
        more = (
            f"{len(refusals)} refused, the first {MAX_LISTED} listed" if len(refusals) > MAX_LISTED else None
        )
        raise _refused(status, title, refusals[:MAX_LISTED], more)
    if not names:
        raise _refused(
            422,
            "No document to validate",
            [codes.issue("input.no_documents")],
        )
    return names
