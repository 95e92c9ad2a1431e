"""The structure of a zip archive, read before any entry is: the end-of-central-directory record (and its
zip64 form), the extent of each entry (overlapping entries are a zip bomb technique), symbolic links and
entry names that leave the archive (APPNOTE.TXT)."""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

# APPNOTE.TXT 4.3.16 end of central directory, 4.3.15 zip64 locator, 4.3.14 zip64 end record,
# 4.3.7 local file header.
_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIG = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIG = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIG = b"PK\x06\x06"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
LOCAL_HEADER_SIG = b"PK\x03\x04"
_DRIVE = re.compile(r"^[A-Za-z]:")


class ZipStructureError(Exception):
    """The archive's end-of-central-directory records are missing or inconsistent."""


@dataclass(frozen=True, slots=True)
class CentralDirectory:
    entries: int
    size: int
    #: Where the central directory really starts in the file (after any prepended data).
    start: int


def read_central_directory(fh: BinaryIO) -> CentralDirectory:
    """Read the end-of-central-directory record (and its zip64 form) without parsing any entry."""
    file_size = fh.seek(0, os.SEEK_END)
    tail_len = min(file_size, _EOCD.size + 0xFFFF)  # the record plus the longest comment
    fh.seek(file_size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(_EOCD_SIG)
    if pos < 0 or len(tail) - pos < _EOCD.size:
        raise ZipStructureError("no end-of-central-directory record (not a zip archive)")
    _sig, _disk, _cd_disk, _n_disk, entries, cd_size, _cd_offset, _comment = _EOCD.unpack_from(tail, pos)
    end = file_size - tail_len + pos  # the central directory ends where its end record starts
    if end >= _ZIP64_LOCATOR.size:
        fh.seek(end - _ZIP64_LOCATOR.size)
        locator = fh.read(_ZIP64_LOCATOR.size)
        if locator[:4] == _ZIP64_LOCATOR_SIG:
            record_at = end - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
            if record_at < 0:
                raise ZipStructureError("truncated zip64 end record")
            fh.seek(record_at)
            record = fh.read(_ZIP64_EOCD.size)
            if record[:4] != _ZIP64_EOCD_SIG:
                raise ZipStructureError("zip64 locator without a zip64 end record")
            fields = _ZIP64_EOCD.unpack(record)
            entries, cd_size = fields[7], fields[8]
            end = record_at
    if cd_size > end:
        raise ZipStructureError("the central directory is larger than the archive")
    return CentralDirectory(entries=entries, size=cd_size, start=end - cd_size)


def overlapping_entries(
    fh: BinaryIO, infos: list[zipfile.ZipInfo], cd_start: int
) -> tuple[set[int], set[int]]:
    """Indexes of entries whose local header + data overlap another entry or the central directory,
    and of entries without a valid local header.

    The extent of an entry is header_offset + local header (30 bytes + its own name and extra field
    lengths) + compress_size (APPNOTE.TXT 4.3.7). Overlapping entries are how "non-recursive" zip bombs
    reuse one compressed kernel many times; Python 3.11's zipfile does not detect them.
    """
    spans: list[tuple[int, int, int]] = []
    corrupt: set[int] = set()
    for i, info in enumerate(infos):
        fh.seek(info.header_offset)
        raw = fh.read(_LOCAL_HEADER.size)
        if len(raw) < _LOCAL_HEADER.size or raw[:4] != LOCAL_HEADER_SIG:
            corrupt.add(i)
            continue
        name_len, extra_len = _LOCAL_HEADER.unpack(raw)[9:11]
        end = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len + info.compress_size
        spans.append((info.header_offset, end, i))
    spans.sort()
    overlap: set[int] = set()
    reach, reach_i = -1, -1
    for start, end, i in spans:
        if start < reach:  # starts inside the extent of an earlier entry
            overlap.update((i, reach_i))
        if end > cd_start:  # runs into the central directory
            overlap.add(i)
        if end > reach:
            reach, reach_i = end, i
    return overlap, corrupt


def is_symlink(info: zipfile.ZipInfo) -> bool:
    # Unix mode bits in the high 16 bits of external_attr (APPNOTE.TXT 4.4.15, Info-ZIP convention)
    return stat.S_ISLNK(info.external_attr >> 16)


def name_problem(name: str) -> tuple[str, str] | None:
    """The code refusing an entry name that is not a relative path inside the archive (APPNOTE.TXT
    4.4.17), with the name; None for a good one."""
    clean = name.replace("\\", "/")
    if clean.startswith("/") or _DRIVE.match(clean):
        return "input.zip_absolute", name
    if ".." in clean.split("/"):
        return "input.zip_traversal", name
    return None
