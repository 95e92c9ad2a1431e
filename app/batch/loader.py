"""Loader: command-line paths (files, folders, .zip archives) → a lazy stream of :class:`Input`.

- A file given explicitly is read whatever its name; a folder is walked recursively (sorted, symlinked
  folders not followed) for ``*.xml`` and ``*.zip`` (any case); a ``*.zip``, given explicitly or found in
  a folder, is opened as an archive and its ``*.xml`` entries become inputs named ``archive.zip!inner/path.xml``, the entry's part cut to
  :data:`MAX_NAME` characters like an uploaded file's name (a name is for display; its control
  characters are escaped where it is printed, :func:`app.terminal.printable`).
- Archives are streamed: entries are decompressed in chunks into memory, one at a time, with counters;
  nothing is extracted or written to disk. Before any entry is read the archive's structure is checked
  (entry count, size of the central directory, overlapping entries) so a hostile archive costs little.
- Every refused input is an :class:`Input` carrying one ``input.*`` issue that names the limit and the
  setting (``NORDUBL_…``) that controls it; a refusal never stops the batch.
- At most one input's bytes are held at a time: the generator reads the next one only when asked.

Codes: ``input.unreadable`` (a path or archive that cannot be read), ``input.too_large``
(``max_xml_bytes``), ``input.too_many_files`` (``batch_max_files``), ``input.zip_too_many_entries``
(``zip_max_entries``), ``input.zip_bomb`` (``zip_max_ratio``, ``zip_max_uncompressed_bytes``, or an
entry that inflates past its declared size), ``input.zip_overlap``, ``input.zip_traversal``,
``input.zip_absolute``, ``input.zip_symlink``, ``input.zip_nested``, ``input.zip_encrypted``,
``input.zip_corrupt``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from app.batch.zipscan import (
    LOCAL_HEADER_SIG,
    ZipStructureError,
    is_symlink,
    name_problem,
    overlapping_entries,
    read_central_directory,
)
from app.codes import issue
from app.config import Settings, get_settings
from app.issues import Issue

XML_SUFFIX = ".xml"
ZIP_SUFFIX = ".zip"
#: Decompression chunk: memory per read stays at this size whatever the archive claims.
CHUNK = 64 * 1024
#: Entries no larger than this are never refused for their ratio alone: a few padded kilobytes cannot
#: exhaust anything, and tiny files compress to very little. Archive totals still count them.
RATIO_FLOOR_BYTES = 1 << 20
#: Largest average central-directory record accepted per allowed entry (46 fixed bytes + name, extra
#: field and comment): bounds the memory :mod:`zipfile` spends reading the directory.
MAX_CD_RECORD = 1024

#: Longest file name kept for display: an uploaded file's (app.api.batch_upload) and a zip entry's.
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class Input:
    """One document to validate (``data``), or one refused before validation (``issue``)."""

    name: str
    data: bytes | None = None
    issue: Issue | None = None

    @property
    def refused(self) -> bool:
        return self.issue is not None


def _refuse(name: str, code: str, variant: str | None = None, **params: str) -> Input:
    """The refusal of one catalogued ``input.*`` code (app/codes/requests.py); these name no form field."""
    filled = params | ({"variant": variant} if variant else {})
    return Input(name, issue=issue(code, params=filled))


def _unreadable(name: str, why: str, variant: str | None = None) -> Input:
    return _refuse(name, "input.unreadable", variant, detail=why)


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class Loader:
    """Turns paths, folders and archives into :class:`Input` items, applying the limits in ``settings``."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    # -- paths ----------------------------------------------------------------------------------
    def iter_paths(self, paths: Iterable[str | os.PathLike[str]]) -> Iterator[Input]:
        """Every input under ``paths``, at most ``batch_max_files`` of them (then one refusal)."""
        return limit_files(self._walk_paths(paths), self.settings.batch_max_files)

    def _walk_paths(self, paths: Iterable[str | os.PathLike[str]]) -> Iterator[Input]:
        seen: set[tuple[int, int]] = set()
        for raw in paths:
            name = os.fspath(raw)
            path = Path(name)
            try:
                st = path.stat()
            except OSError as exc:
                yield _unreadable(name, _os_reason(exc))
                continue
            if stat.S_ISDIR(st.st_mode):
                yield from self._walk_dir(name, seen)
            elif self._first_visit(st, seen):
                yield from self._load_file(name)

    @staticmethod
    def _first_visit(st: os.stat_result, seen: set[tuple[int, int]]) -> bool:
        """A file reached twice (``nordubl validate dir dir/sub``) is validated once."""
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return False
        seen.add(key)
        return True

    def _walk_dir(self, top: str, seen: set[tuple[int, int]]) -> Iterator[Input]:
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield _unreadable(folder, _os_reason(exc))
                continue
            subdirs: list[str] = []
            for entry in entries:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    subdirs.append(entry.path)
                elif entry.name.lower().endswith((XML_SUFFIX, ZIP_SUFFIX)):
                    try:
                        st = entry.stat()
                    except OSError as exc:  # e.g. a dangling symlink named *.xml
                        yield _unreadable(entry.path, _os_reason(exc))
                        continue
                    if self._first_visit(st, seen):
                        # an archive in a folder is opened like one given on the command line
                        yield from self._load_file(entry.path)
            stack.extend(reversed(subdirs))  # depth-first, in name order

    def _load_file(self, name: str) -> Iterator[Input]:
        if name.lower().endswith(ZIP_SUFFIX):
            try:
                fh = open(name, "rb")  # noqa: SIM115 - held open while the generator streams entries
            except OSError as exc:
                yield _unreadable(name, _os_reason(exc))
                return
            with fh:
                yield from self.iter_zip(fh, name)
        else:
            yield self.read_file(name)

    def read_file(self, name: str) -> Input:
        """One file's bytes, refusing anything above ``max_xml_bytes`` without reading it all."""
        limit = self.settings.max_xml_bytes
        try:
            with open(name, "rb") as fh:
                st = os.fstat(fh.fileno())
                if stat.S_ISREG(st.st_mode) and st.st_size > limit:
                    return self._too_large(name, st.st_size)
                data = fh.read(limit + 1)  # a device or a growing file stops here too
        except OSError as exc:
            return _unreadable(name, _os_reason(exc))
        if len(data) > limit:
            return self._too_large(name, len(data), at_least=True)
        return Input(name, data)

    def _too_large(self, name: str, size: int, at_least: bool = False) -> Input:
        limit = self.settings.max_xml_bytes
        return _refuse(
            name, "input.too_large", "file_more" if at_least else "file", size=str(size), limit=str(limit)
        )

    # -- archives -------------------------------------------------------------------------------
    def iter_zip(self, fh: BinaryIO, name: str) -> Iterator[Input]:
        """The ``*.xml`` entries of one archive (a seekable binary file), streamed and checked."""
        s = self.settings
        try:
            cd = read_central_directory(fh)
        except (ZipStructureError, OSError) as exc:
            yield _unreadable(name, str(exc), "zip")
            return
        if cd.entries > s.zip_max_entries or cd.size > s.zip_max_entries * MAX_CD_RECORD:
            yield self._too_many_entries(name, cd.entries)
            return
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            yield _unreadable(name, str(exc), "zip")
            return
        with zf:
            infos = zf.infolist()
            if len(infos) > s.zip_max_entries:  # the directory holds more records than its end says
                yield self._too_many_entries(name, len(infos))
                return
            archive_bytes = fh.seek(0, os.SEEK_END)
            overlap, bad_header = overlapping_entries(fh, infos, cd.start)
            budget = _Budget(s, archive_bytes)
            for i, info in enumerate(infos):
                if info.is_dir():
                    continue
                entry = f"{name}!{info.filename[:MAX_NAME]}"
                refusal = self._entry_refusal(info, entry, i in overlap)
                if refusal is not None:
                    yield refusal
                    continue
                if not info.filename.lower().endswith(XML_SUFFIX):
                    continue  # like a folder: only *.xml is validated
                if i in bad_header:
                    yield _refuse(entry, "input.zip_corrupt", "header")
                    continue
                yield self._read_entry(zf, info, entry, budget)

    def _too_many_entries(self, name: str, count: int) -> Input:
        limit = self.settings.zip_max_entries
        return _refuse(name, "input.zip_too_many_entries", count=str(count), limit=str(limit))

    def _entry_refusal(self, info: zipfile.ZipInfo, entry: str, overlaps: bool) -> Input | None:
        """Refusals decided from the central directory alone, before any byte is decompressed."""
        s = self.settings
        problem = name_problem(info.filename)
        if problem is not None:
            return _refuse(entry, problem[0], entry_name=problem[1])
        if is_symlink(info):
            return _refuse(entry, "input.zip_symlink")
        if overlaps:
            return _refuse(entry, "input.zip_overlap")
        if info.filename.lower().endswith(ZIP_SUFFIX):
            return _nested(entry)
        if not info.filename.lower().endswith(XML_SUFFIX):
            return None
        if info.flag_bits & 0x1:  # APPNOTE.TXT 4.4.4 bit 0: encrypted
            return _refuse(entry, "input.zip_encrypted")
        if info.file_size > s.max_xml_bytes:
            return _refuse(
                entry, "input.too_large", "entry", size=str(info.file_size), limit=str(s.max_xml_bytes)
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > s.zip_max_ratio * max(
            info.compress_size, 1
        ):
            return _bomb_ratio(entry, info.file_size, info.compress_size, s.zip_max_ratio, declared=True)
        return None

    def _read_entry(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: str, budget: _Budget) -> Input:
        s = self.settings
        if not budget.allows(info.file_size):
            return budget.refusal(entry)
        buf = bytearray()
        try:
            with zf.open(info) as member:
                while chunk := member.read(CHUNK):
                    buf += chunk
                    n = len(buf)
                    # the actual bytes are counted, whatever the headers declared
                    if n > info.file_size:
                        return _refuse(entry, "input.zip_bomb", "past_declared", size=str(info.file_size))
                    if n > RATIO_FLOOR_BYTES and n > s.zip_max_ratio * max(info.compress_size, 1):
                        return _bomb_ratio(entry, n, info.compress_size, s.zip_max_ratio, declared=False)
                    if not budget.allows(n):
                        return budget.refusal(entry)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            return _refuse(entry, "input.zip_corrupt", detail=str(exc))
        budget.spend(len(buf))
        if bytes(buf[:4]) == LOCAL_HEADER_SIG:
            return _nested(entry)
        return Input(entry, bytes(buf))


class _Budget:
    """Bytes one archive may still decompress: ``zip_max_uncompressed_bytes`` in total and at most
    ``zip_max_ratio`` times the archive's own size."""

    def __init__(self, settings: Settings, archive_bytes: int) -> None:
        self.settings = settings
        self.archive_bytes = max(archive_bytes, 1)
        self.spent = 0
        self._variant = ""
        self._params: dict[str, str] = {}

    def allows(self, more: int) -> bool:
        total = self.spent + more
        s = self.settings
        if total > s.zip_max_uncompressed_bytes:
            self._variant = "total"
            self._params = {"limit": str(s.zip_max_uncompressed_bytes)}
            return False
        if total > RATIO_FLOOR_BYTES and total > s.zip_max_ratio * self.archive_bytes:
            self._variant = "archive_ratio"
            self._params = {"limit": str(s.zip_max_ratio), "size": str(self.archive_bytes)}
            return False
        return True

    def spend(self, n: int) -> None:
        self.spent += n

    def refusal(self, entry: str) -> Input:
        return _refuse(entry, "input.zip_bomb", self._variant, **self._params)


def _bomb_ratio(entry: str, size: int, compressed: int, limit: int, *, declared: bool) -> Input:
    return _refuse(
        entry,
        "input.zip_bomb",
        None if declared else "inflates",
        size=str(size),
        compressed=str(compressed),
        ratio=str(size // max(compressed, 1)),
        limit=str(limit),
    )


def _nested(entry: str) -> Input:
    return _refuse(entry, "input.zip_nested")


def limit_files(inputs: Iterable[Input], max_files: int) -> Iterator[Input]:
    """Pass on at most ``max_files`` inputs; the next one becomes a single ``input.too_many_files``
    refusal and the rest are not read."""
    it = iter(inputs)
    try:
        for n, item in enumerate(it):
            if n >= max_files:
                yield _refuse(item.name, "input.too_many_files", limit=str(max_files))
                return
            yield item
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                close()


def estimate_count(paths: Iterable[str | os.PathLike[str]], settings: Settings | None = None) -> int:
    """A quick count of the inputs under ``paths`` (for a progress bar): folders are walked, archives'
    directories read; no content is decompressed. Only an estimate (refusals and skips differ)."""
    s = settings or get_settings()
    total = 0
    for raw in paths:
        name = os.fspath(raw)
        if os.path.isdir(name):
            for _root, _dirs, files in os.walk(name):
                total += sum(1 for f in files if f.lower().endswith(XML_SUFFIX))
                total += sum(
                    _zip_count(os.path.join(_root, f), s) for f in files if f.lower().endswith(ZIP_SUFFIX)
                )
        elif name.lower().endswith(ZIP_SUFFIX):
            total += _zip_count(name, s)
        else:
            total += 1
    return min(total, s.batch_max_files + 1)


def _zip_count(name: str, s: Settings) -> int:
    try:
        with open(name, "rb") as fh:
            cd = read_central_directory(fh)
            if cd.entries > s.zip_max_entries or cd.size > s.zip_max_entries * MAX_CD_RECORD:
                return 1
            with zipfile.ZipFile(fh) as zf:
                return sum(1 for n in zf.namelist() if n.lower().endswith((XML_SUFFIX, ZIP_SUFFIX))) or 1
    except (ZipStructureError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 1
