"""The hostile HTTP corpus: ``fixtures/hostile-api/cases.json`` names each request; small bodies are files
in ``fixtures/hostile-api/files/``, big ones are generated here at test time (``"generate"``).

A generator answers the body as bytes, or as an iterator of chunks (sent with chunked transfer
encoding, no Content-Length: the server cannot know the size up front).
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "hostile-api"
FORM = json.loads((ROOT / "fixtures" / "forms" / "no-company-single.json").read_text())
GOLDEN_ORDER = (ROOT / "fixtures" / "expected" / "no-company-single.ehf.xml").read_bytes()
INV = (
    'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)
CUST = (
    "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    "</cbc:CustomizationID>"
)
MB = 1024 * 1024
Body = bytes | Iterator[bytes]


def cases() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text())["cases"]
    return data


def body_of(case: dict[str, Any]) -> Body:
    if "file" in case:
        return (CORPUS / "files" / case["file"]).read_bytes()
    gen = case["generate"]
    fn = GENERATORS[gen["name"]]
    return fn(**gen.get("args", {}))


# -- XML --------------------------------------------------------------------------------------------


def quadratic_blowup(entity_kb: int, references: int) -> bytes:
    """One big internal entity referenced many times: no nesting, yet gigabytes once expanded."""
    big = "a" * (entity_kb * 1024)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY a "{big}">]>\n<Invoice {INV}>{CUST}<cbc:Note>'
        + "&a;" * references
        + "</cbc:Note></Invoice>\n"
    ).encode()


def deep_nesting(depth: int) -> bytes:
    return (f"<Invoice {INV}>{CUST}" + "<x>" * depth + "</x>" * depth + "</Invoice>").encode()


def huge_attribute(mb: int) -> bytes:
    return f'<Invoice {INV}>{CUST}<cbc:Note languageID="{"a" * (mb * MB)}">n</cbc:Note></Invoice>'.encode()


def huge_text(mb: int) -> bytes:
    return f"<Invoice {INV}>{CUST}<cbc:Note>{'a' * (mb * MB)}</cbc:Note></Invoice>".encode()


def many_attributes(count: int) -> bytes:
    attrs = " ".join(f'a{i}="1"' for i in range(count))
    return f"<Invoice {INV}>{CUST}<cbc:Note {attrs}>n</cbc:Note></Invoice>".encode()


def long_name(chars: int) -> bytes:
    name = "n" * chars
    return f"<Invoice {INV}>{CUST}<{name}/></Invoice>".encode()


def many_namespaces(count: int) -> bytes:
    decls = " ".join(f'xmlns:p{i}="urn:x:{i}"' for i in range(count))
    return f"<Invoice {INV} {decls}>{CUST}</Invoice>".encode()


def golden_with_bom() -> bytes:
    return b"\xef\xbb\xbf" + GOLDEN_ORDER


def golden_utf16() -> bytes:
    text = GOLDEN_ORDER.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    return text.encode("utf-16")  # with its byte order mark


def golden_utf32() -> bytes:
    text = GOLDEN_ORDER.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-32"', 1)
    return text.encode("utf-32")


def many_lines(lines: int) -> bytes:
    """An official invoice with one line repeated (totals left as they were: invalid, but every rule runs)."""
    from app.config import get_settings

    src = (get_settings().standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_text()
    m = re.search(r"<cac:InvoiceLine>.*?</cac:InvoiceLine>", src, re.S)
    assert m
    return (src[: m.start()] + m.group(0) * lines + src[m.end() :]).encode()


def zeros_stream(mb: int) -> Iterator[bytes]:
    chunk = b"<" + b"a" * (MB - 1)
    for _ in range(mb):
        yield chunk


def gzip_bomb(mb: int) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        block = b"\0" * MB
        for _ in range(mb):
            gz.write(block)
    return out.getvalue()


# -- zip archives ----------------------------------------------------------------------------------


def _zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method, compresslevel=9) as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def zip_ratio_bomb(mb: int) -> bytes:
    """One entry of ``mb`` MiB of zeros, deflated (about 1,000 : 1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("zeros.xml", "w") as fh,
    ):
        block = b"\0" * MB
        for _ in range(mb):
            fh.write(block)
    return out.getvalue()


def zip_nested(levels: int) -> bytes:
    data = _zip([("order.xml", GOLDEN_ORDER)])
    for i in range(levels):
        data = _zip([(f"level{i}-{k}.zip", data) for k in range(4)])
    return data


def zip_many_entries(count: int) -> bytes:
    return _zip([(f"e{i}.xml", b"<a/>") for i in range(count)], zipfile.ZIP_STORED)


def zip_traversal() -> bytes:
    return _zip(
        [
            ("../../../../etc/passwd.xml", GOLDEN_ORDER),
            ("/abs/order.xml", GOLDEN_ORDER),
            ("a/../../b.xml", b"<a/>"),
        ]
    )


def _zipcraft() -> Any:
    spec = importlib.util.spec_from_file_location(
        "zipcraft_for_fault", ROOT / "tests" / "batch" / "zipcraft.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def zip_overlapping(count: int) -> bytes:
    """Every central record points at one local header (D. Fifield's overlapping-file zip bomb)."""
    raw = zlib.compress(b"\0" * (8 * MB), 9)[2:-4]
    crc = zlib.crc32(b"\0" * (8 * MB))
    name = b"x.xml"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(raw), 8 * MB, len(name), 0)
    body = local + name + raw
    central = b""
    for i in range(count):
        n = f"x{i}.xml".encode()
        central += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(raw),
                8 * MB,
                len(n),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + n
        )
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    return body + central + eocd


def zip_encrypted() -> bytes:
    zc = _zipcraft()
    entry = zc.stored("secret.xml", GOLDEN_ORDER)
    entry.flags = 1
    return bytes(zc.build([entry], [entry]))


def zip_symlink() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        info = zipfile.ZipInfo("link.xml")
        info.external_attr = (0o120777 << 16) | 0x20  # a symbolic link to /etc/passwd
        z.writestr(info, "/etc/passwd")
    return out.getvalue()


def not_a_zip() -> bytes:
    return b"PK\x03\x04" + b"\xff" * 4000


# -- multipart ---------------------------------------------------------------------------------------


def multipart(parts: list[tuple[str, bytes]], boundary: str = "b0undary", end: bool = True) -> bytes:
    out = b""
    for filename, data in parts:
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
                "Content-Type: application/xml\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    if end:
        out += f"--{boundary}--\r\n".encode()
    return out


def multipart_no_files() -> bytes:
    return b"--b0undary--\r\n"


def multipart_unterminated() -> bytes:
    return multipart([("order.xml", GOLDEN_ORDER)], end=False)


def multipart_long_filename(chars: int) -> bytes:
    return multipart([("f" * chars + ".xml", GOLDEN_ORDER)])


def multipart_many_parts(count: int) -> bytes:
    return multipart([(f"p{i}.xml", b"<a/>") for i in range(count)])


# -- JSON --------------------------------------------------------------------------------------------


def deep_array(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_object(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def products(count: int) -> bytes:
    product = FORM["products"][0]
    return json.dumps({**FORM, "products": [product] * count}).encode()


def zeros_array(count: int) -> bytes:
    return b"[" + b"0," * (count - 1) + b"0]"


def extra_fields(count: int) -> bytes:
    extra = {f"k{i}": 1 for i in range(count)}
    return json.dumps({**FORM, **extra}).encode()


def long_string(field: str, mb: int) -> bytes:
    big = "x" * (mb * MB)
    form = json.loads(json.dumps(FORM))
    if field == "first_name":
        form["customer"]["first_name"] = big
    elif field == "product_name":
        form["products"][0]["name"] = big
    elif field == "custom_value":
        form["customer"]["custom_fields"] = {"note": big}
    elif field == "custom_key":
        form["customer"]["custom_fields"] = {big: "x"}
    elif field == "order_id":
        form["order_id"] = big
    else:
        raise ValueError(field)
    return json.dumps(form).encode()


def many_custom_fields(count: int) -> bytes:
    form = json.loads(json.dumps(FORM))
    form["customer"]["custom_fields"] = {f"f{i}": "v" for i in range(count)}
    return json.dumps(form).encode()


def duplicate_keys(count: int) -> bytes:
    inner = json.dumps(FORM)[1:-1]
    return ("{" + ('"order_id": "x",' * count) + inner + "}").encode()


def long_number(digits: int) -> bytes:
    return json.dumps(FORM).replace('"2490.00"', "1" * digits).encode()


def form_utf16() -> bytes:
    return json.dumps(FORM, ensure_ascii=False).encode("utf-16")


def form_with_bom() -> bytes:
    return b"\xef\xbb\xbf" + json.dumps(FORM, ensure_ascii=False).encode()


def oversized_form(mb: int) -> bytes:
    return json.dumps({**FORM, "pad": " " * (mb * MB)}).encode()


def form() -> bytes:
    return json.dumps(FORM).encode()


def empty() -> bytes:
    return b""


GENERATORS: dict[str, Callable[..., Body]] = {
    f.__name__: f
    for f in (
        quadratic_blowup,
        deep_nesting,
        huge_attribute,
        huge_text,
        many_attributes,
        long_name,
        many_namespaces,
        golden_with_bom,
        golden_utf16,
        golden_utf32,
        many_lines,
        zeros_stream,
        gzip_bomb,
        zip_ratio_bomb,
        zip_nested,
        zip_many_entries,
        zip_traversal,
        zip_overlapping,
        zip_encrypted,
        zip_symlink,
        not_a_zip,
        multipart_no_files,
        multipart_unterminated,
        multipart_long_filename,
        multipart_many_parts,
        deep_array,
        deep_object,
        products,
        zeros_array,
        extra_fields,
        long_string,
        many_custom_fields,
        duplicate_keys,
        long_number,
        form_utf16,
        form_with_bom,
        oversized_form,
        form,
        empty,
    )
}
