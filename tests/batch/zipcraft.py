"""Zip archives built byte by byte (APPNOTE.TXT 4.3), for structures no zip tool would write."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

LOCAL = struct.Struct("<4s5H3L2H")  # 4.3.7 local file header
CENTRAL = struct.Struct("<4s6H3L5H2L")  # 4.3.12 central directory header
EOCD = struct.Struct("<4s4H2LH")  # 4.3.16 end of central directory record


@dataclass
class Entry:
    name: str
    #: Bytes as stored (compressed when method is 8).
    stored: bytes
    crc: int
    size: int
    method: int = 0
    #: Offset of the local header this entry's central record points at (None: its own).
    offset: int | None = None
    external_attr: int = 0
    #: General purpose bit flags (4.4.4): bit 0 = encrypted.
    flags: int = 0


def stored(name: str, data: bytes) -> Entry:
    return Entry(name, data, zlib.crc32(data), len(data))


def deflated(name: str, data: bytes) -> Entry:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = c.compress(data) + c.flush()
    return Entry(name, raw, zlib.crc32(data), len(data), method=8)


def local_header(e: Entry) -> bytes:
    name = e.name.encode()
    return (
        LOCAL.pack(b"PK\x03\x04", 20, e.flags, e.method, 0, 0, e.crc, len(e.stored), e.size, len(name), 0)
        + name
    )


def central_record(e: Entry, offset: int) -> bytes:
    name = e.name.encode()
    return (
        CENTRAL.pack(
            b"PK\x01\x02",
            (3 << 8) | 20,  # made by Unix, so external_attr carries the mode
            20,
            e.flags,
            e.method,
            0,
            0,
            e.crc,
            len(e.stored),
            e.size,
            len(name),
            0,
            0,
            0,
            0,
            e.external_attr,
            offset,
        )
        + name
    )


def build(local: list[Entry], central: list[Entry]) -> bytes:
    """Write the local entries in order, then a central directory of ``central`` (which may point
    several records at one local header through ``Entry.offset``)."""
    out = bytearray()
    offsets: dict[str, int] = {}
    for e in local:
        offsets[e.name] = len(out)
        out += local_header(e) + e.stored
    cd_start = len(out)
    for e in central:
        out += central_record(e, e.offset if e.offset is not None else offsets[e.name])
    out += EOCD.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(out) - cd_start, cd_start, 0)
    return bytes(out)
