"""POST /v1/validate/batch and GET /v1/validate/batch/{id}: reports, jobs, limits, streaming (the rate limit:
test_ratelimit.py)."""

from __future__ import annotations

import http.client
import io
import os
import select
import socket
import struct
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import etree
from waiting import CAP_S

from app.api import leftovers
from app.api.main import app, create_app
from app.batch.jobs import Jobs
from app.config import Settings, get_settings, settings_dependency
from app.validation.engine import Engine

EXAMPLES = get_settings().standards_dir / "peppol-2026.5" / "examples"
BASE = (EXAMPLES / "billing" / "base-example.xml").read_bytes()
VAT_S = (EXAMPLES / "billing" / "Vat-category-S.xml").read_bytes()
ORDER = (EXAMPLES / "order" / "Order_Example.xml").read_bytes()
BROKEN = b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'><unclosed>"
PROBLEM = "application/problem+json"
URL = "/v1/validate/batch"


def _wrong_total() -> bytes:
    start = BASE.index(b"<cbc:TaxInclusiveAmount")
    end = BASE.index(b"</cbc:TaxInclusiveAmount>", start)
    head = BASE[:start] + b'<cbc:TaxInclusiveAmount currencyID="EUR">1.00'
    return head + BASE[end:]


def zip_of(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def files(*items: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    out = []
    for name, data in items:
        kind = "application/zip" if name.endswith(".zip") else "application/xml"
        out.append(("files", (name, data, kind)))
    return out


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@contextmanager
def settings(**changes: Any) -> Iterator[Settings]:
    """The app's settings with ``changes``, for the length of the block."""
    custom = get_settings().model_copy(update=changes)
    app.dependency_overrides[settings_dependency] = lambda: custom
    try:
        yield custom
    finally:
        app.dependency_overrides.pop(settings_dependency, None)


def codes(body: dict[str, Any]) -> list[str]:
    return [i["code"] for i in body["issues"]]


def wait_done(client: TestClient, location: str, timeout: float = CAP_S) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(location).json()
        if body["status"] != "running":
            return body
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


# -- reports ----------------------------------------------------------------------------------------
def test_files_and_a_zip_answer_one_report_per_document_as_the_engine_does(
    client: TestClient, validation_engine: Engine
) -> None:
    wrong = _wrong_total()
    archive = zip_of({"in/vat-s.xml": VAT_S, "in/wrong.xml": wrong, "notes.txt": b"not validated"})
    r = client.post(URL, files=files(("base.xml", BASE), ("broken.xml", BROKEN), ("set.zip", archive)))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "done" and body["total"] == body["done"] == 4
    assert (body["valid"], body["invalid"]) == (2, 2)
    rows = body["files"]
    assert [(f["index"], f["file"], f["entry"], f["archive"]) for f in rows] == [
        (0, "base.xml", "base.xml", None),
        (1, "broken.xml", "broken.xml", None),
        (2, "set.zip!in/vat-s.xml", "in/vat-s.xml", "set.zip"),
        (3, "set.zip!in/wrong.xml", "in/wrong.xml", "set.zip"),
    ]
    for row, data in zip(rows, (BASE, BROKEN, VAT_S, wrong), strict=True):
        expected = validation_engine.validate(data, row["file"]).as_dict()
        assert {k: row[k] for k in expected} == expected  # Report.as_dict, key for key
    assert codes(rows[1]) == ["xml.malformed"]
    assert "BR-CO-15" in codes(rows[3])
    # broken XML is "invalid", as in the CLI and on the page (the report's verdict)
    assert [f["verdict"] for f in rows] == ["valid", "invalid", "valid", "invalid"]


def test_broken_xml_is_invalid_for_one_document_too(client: TestClient) -> None:
    r = client.post("/v1/validate", content=BROKEN, headers={"Content-Type": "application/xml"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["valid"], body["verdict"], codes(body)) == (False, "invalid", ["xml.malformed"])


def test_calculation_values_and_the_rule_set_in_the_report(client: TestClient) -> None:
    r = client.post(URL, files=files(("wrong.xml", _wrong_total())))
    (row,) = r.json()["files"]
    issue = next(i for i in row["issues"] if i["code"] == "BR-CO-15")
    assert issue["found"] == "TaxInclusiveAmount 1.00"
    assert issue["expected"] == "TaxExclusiveAmount 1325.00 + TaxAmount 331.25 = 1656.25"
    assert (row["ruleset"], row["release"]) == ("peppol-billing", "2026.5")


def test_every_issue_is_explained(client: TestClient) -> None:
    r = client.post(URL, files=files(("wrong.xml", _wrong_total())))
    (row,) = r.json()["files"]
    issue = next(i for i in row["issues"] if i["code"] == "BR-CO-15")
    assert "BT-112" in issue["message"]  # the rule's official text
    assert issue["xpath"] == "/Invoice" and issue["line"] == etree.fromstring(BASE).sourceline
    assert issue["hint"].startswith("TaxInclusiveAmount must be")
    for i in row["issues"]:
        assert {"code", "severity", "message", "xpath", "line"} <= set(i), i


def test_entry_names_are_cleaned_and_cut_like_uploaded_names(client: TestClient) -> None:
    """Issue 18 (12): an entry's name loses its control characters and is cut to 255 characters, as the
    name of an uploaded file is."""
    long = "n" * 300 + ".xml"
    archive = zip_of({"a\x1b[2J\n1 files, 1 valid.xml": BROKEN, long: BROKEN})
    r = client.post(URL, files=files(("b\x1b[31m" + "m" * 300 + ".zip", archive)))
    assert r.status_code == 200, r.text
    name = "b[31m" + "m" * 250
    assert len(name) == 255
    assert r.json()["names"] == [f"{name}!a[2J1 files, 1 valid.xml", f"{name}!{long[:255]}"]
    assert [(f["archive"], f["entry"]) for f in r.json()["files"]] == [
        (name, "a[2J1 files, 1 valid.xml"),
        (name, long[:255]),
    ]


def test_raw_zip_body_and_raw_xml_body(client: TestClient) -> None:
    r = client.post(
        URL,
        content=zip_of({"a.xml": BASE}),
        headers={"content-type": "application/zip", "x-filename": "x.zip"},
    )
    assert r.status_code == 200 and [f["file"] for f in r.json()["files"]] == ["x.zip!a.xml"]
    r = client.post(URL, content=ORDER, headers={"content-type": "application/xml"})
    assert r.status_code == 200 and r.json()["files"][0]["ruleset"] == "peppol-order"


# -- jobs -------------------------------------------------------------------------------------------
def test_large_batch_is_a_job_whose_results_fill_in(client: TestClient) -> None:
    docs = [(f"f{n:02d}.xml", ORDER if n % 3 else BROKEN) for n in range(12)]
    with settings(batch_sync_max_files=5):
        r = client.post(URL, files=files(*docs))
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] == "running" and job["total"] == 12
    assert job["names"] == [name for name, _ in docs]
    assert r.headers["location"].endswith(f"/v1/validate/batch/{job['id']}")
    body = wait_done(client, r.headers["location"])
    assert body["status"] == "done" and body["done"] == 12
    assert [f["file"] for f in body["files"]] == [name for name, _ in docs]
    assert [f["valid"] for f in body["files"]] == [bool(n % 3) for n in range(12)]
    later = client.get(r.headers["location"], params={"since": 10}).json()
    assert [f["index"] for f in later["files"]] == [10, 11] and "names" not in later


def test_prefer_respond_async_makes_a_job_of_a_small_batch(client: TestClient) -> None:
    r = client.post(URL, files=files(("a.xml", ORDER)), headers={"Prefer": "respond-async"})
    assert r.status_code == 202
    assert wait_done(client, r.headers["location"])["files"][0]["valid"] is True


def test_unknown_job_is_404_problem(client: TestClient) -> None:
    r = client.get(f"{URL}/no-such-job")
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    assert codes(r.json()) == ["batch.unknown_job"]


def test_job_registry_is_bounded_in_number_and_age() -> None:
    s = get_settings().model_copy(update={"batch_jobs_max": 2, "batch_job_ttl_seconds": 60})
    jobs = Jobs()
    a = jobs.add(["a.xml"], s)
    b = jobs.add(["b.xml"], s)
    with pytest.raises(Exception) as exc:  # both running: no room
        jobs.add(["c.xml"], s)
    assert getattr(exc.value, "status", None) == 503
    assert "batch_jobs_max" in exc.value.issues[0].message  # type: ignore[attr-defined]
    a.finished = time.monotonic()
    c = jobs.add(["c.xml"], s)  # the finished one makes room
    assert jobs.get(a.id, s) is None and jobs.get(c.id, s) is c
    b.finished = time.monotonic() - 61
    jobs.prune(s)
    assert jobs.get(b.id, s) is None and jobs.get(c.id, s) is c


# -- limits -----------------------------------------------------------------------------------------
def test_file_over_max_xml_bytes_is_413_naming_the_setting(client: TestClient) -> None:
    with settings(max_xml_bytes=10_000):
        r = client.post(URL, files=files(("small.xml", ORDER[:5000]), ("big.xml", b"<a>" + b" " * 20_000)))
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    (issue,) = r.json()["issues"]
    assert issue["code"] == "input.too_large" and "max_xml_bytes" in issue["message"]
    assert "NORDUBL_MAX_XML_BYTES" in issue["hint"]


def test_zip_entry_over_max_xml_bytes_is_413(client: TestClient) -> None:
    with settings(max_xml_bytes=10_000):
        r = client.post(URL, files=files(("set.zip", zip_of({"big.xml": b"<a>" + b"x" * 20_000}))))
    assert r.status_code == 413
    (issue,) = r.json()["issues"]
    assert issue["code"] == "input.too_large" and issue["value"] == "set.zip!big.xml"


def test_upload_over_the_limit_with_content_length_is_refused_unread(client: TestClient) -> None:
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(100):
            sent += 1 << 16
            yield b"x" * (1 << 16)

    with settings(batch_upload_max_bytes=1 << 20):
        r = client.post(
            URL,
            content=body(),
            headers={"content-type": "application/zip", "content-length": str(100 << 16)},
        )
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    (issue,) = r.json()["issues"]
    assert "batch_upload_max_bytes" in issue["message"] and "NORDUBL_BATCH_UPLOAD_MAX_BYTES" in issue["hint"]


def test_too_many_files_is_413(client: TestClient) -> None:
    with settings(batch_http_max_files=3):
        r = client.post(URL, files=files(*[(f"{n}.xml", ORDER) for n in range(5)]))
        assert r.status_code == 413 and codes(r.json()) == ["input.too_many_files"]
        assert "batch_http_max_files" in r.json()["issues"][0]["message"]
        r = client.post(URL, files=files(("a.zip", zip_of({f"{n}.xml": ORDER for n in range(4)}))))
        assert r.status_code == 413 and codes(r.json()) == ["input.too_many_files"]


def test_zip_bomb_is_413_naming_the_ratio(client: TestClient) -> None:
    bomb = zip_of({"bomb.xml": b"<a>" + b" " * (4 << 20) + b"</a>", "ok.xml": ORDER})
    r = client.post(URL, files=files(("bomb.zip", bomb)))
    assert r.status_code == 413
    (issue,) = r.json()["issues"]
    assert issue["code"] == "input.zip_bomb" and "zip_max_ratio" in issue["message"]
    assert issue["value"] == "bomb.zip!bomb.xml"


def test_archive_over_its_uncompressed_total_is_413(client: TestClient) -> None:
    with settings(zip_max_uncompressed_bytes=len(ORDER) * 2 + 10):
        r = client.post(URL, files=files(("a.zip", zip_of({f"{n}.xml": ORDER for n in range(3)}))))
    assert r.status_code == 413
    assert "zip_max_uncompressed_bytes" in r.json()["issues"][0]["message"]


def _overlapping_zip() -> bytes:
    """Two central records pointing at one local header (a non-recursive zip bomb's trick)."""
    data = bytearray(zip_of({"a.xml": ORDER, "b.xml": ORDER}, zipfile.ZIP_STORED))
    second = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    struct.pack_into("<L", data, second + 42, 0)  # APPNOTE 4.3.12: relative offset of local header
    return bytes(data)


def _symlink_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("link.xml")
        info.create_system = 3
        info.external_attr = 0o120777 << 16  # S_IFLNK
        zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("archive", "code"),
    [
        (zip_of({"../up.xml": ORDER}), "input.zip_traversal"),
        (zip_of({"/etc/abs.xml": ORDER}), "input.zip_absolute"),
        (zip_of({"inner.zip": zip_of({"a.xml": ORDER})}), "input.zip_nested"),
        (_symlink_zip(), "input.zip_symlink"),
        (_overlapping_zip(), "input.zip_overlap"),
        (b"PK\x03\x04 this is no archive", "input.unreadable"),
    ],
    ids=["traversal", "absolute", "nested", "symlink", "overlap", "corrupt"],
)
def test_hostile_archives_are_422_before_anything_is_validated(
    client: TestClient, archive: bytes, code: str
) -> None:
    r = client.post(URL, files=files(("ok.xml", ORDER), ("hostile.zip", archive)))
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert code in codes(r.json())
    assert all(i["value"].startswith("hostile.zip") for i in r.json()["issues"])


def test_nothing_to_validate_bad_multipart_and_media_type(client: TestClient) -> None:
    r = client.post(URL, files=files(("only-text.zip", zip_of({"readme.txt": b"hello"}))))
    assert r.status_code == 422 and codes(r.json()) == ["input.no_documents"]
    r = client.post(
        URL, content=b"--x\r\nbroken", headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert r.status_code == 400 and codes(r.json()) == ["input.multipart"]
    r = client.post(URL, content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415 and codes(r.json()) == ["input.content_type"]


def test_uploads_stay_in_a_temporary_directory_that_is_removed(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    made: list[str] = []
    real = tempfile.TemporaryDirectory

    def spy(*args: Any, **kwargs: Any) -> tempfile.TemporaryDirectory[str]:
        d = real(*args, **kwargs)
        made.append(d.name)
        return d

    monkeypatch.setattr(tempfile, "TemporaryDirectory", spy)
    r = client.post(URL, files=files(("a.xml", ORDER), ("s.zip", zip_of({"b.xml": ORDER}))))
    assert r.status_code == 200
    r = client.post(URL, files=files(("t.zip", zip_of({"../c.xml": ORDER}))))
    assert r.status_code == 422
    assert len(made) == 2 and all(Path(d).parent == tmp_path for d in made)
    assert list(tmp_path.iterdir()) == []  # removed after the answer and after the refusal


# -- a real server: streaming, a slow big upload, other requests meanwhile --------------------------
@contextmanager
def live_server(application: FastAPI) -> Iterator[tuple[str, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + CAP_S
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
            time.sleep(0.02)
        yield host, port
    finally:
        server.should_exit = True
        thread.join(CAP_S)
        sock.close()


def _get(host: str, port: int, path: str) -> tuple[int, float]:
    start = time.monotonic()
    with socket.create_connection((host, port), timeout=CAP_S) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = _read_response(s)
    return int(data.split(b" ", 2)[1]), time.monotonic() - start


def _upload(host: str, port: int, total: int, chunked: bool, during: Any = None) -> tuple[bytes, int]:
    """POST ``total`` bytes of a zip upload, slowly at first; returns (response, bytes sent before it)."""
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.zip"\r\n'
        "Content-Type: application/zip\r\n\r\n"
    ).encode()
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    request = (
        f"POST /v1/validate/batch HTTP/1.1\r\nHost: x\r\n{length}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n"
    ).encode()
    block = b"\0" * (1 << 20)
    sent = 0
    with socket.create_connection((host, port), timeout=CAP_S) as s:
        s.sendall(request)
        pieces = [head] + [block] * (total // len(block))
        for n, piece in enumerate(pieces, start=1):
            if select.select([s], [], [], 0)[0]:
                break  # the server answered before the upload ended
            frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            try:
                s.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
            if n <= 8:  # slowly at first: other requests are served meanwhile
                if during is not None and n == 4:
                    during()
                time.sleep(0.1)
        s.settimeout(CAP_S)
        return _read_response(s), sent


def _read_response(s: socket.socket) -> bytes:
    """One HTTP/1.1 response (its Content-Length body), whether or not the server closes afterwards."""
    data = b""
    try:
        while b"\r\n\r\n" not in data and (chunk := s.recv(65536)):
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].lower()
        length = int(head.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
        while len(data) < len(head) + 4 + length and (chunk := s.recv(65536)):
            data += chunk
    except ConnectionResetError:
        pass
    return data


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_200_mb_upload_is_refused_while_the_server_keeps_serving(chunked: bool) -> None:
    total = 200 * 1024 * 1024
    limit = get_settings().batch_upload_max_bytes
    assert limit < total
    health: list[tuple[int, float]] = []
    # this process's own scratch folders only: other test runs on the machine make theirs meanwhile
    mine = f"nordubl-batch-{leftovers.me().tag}-"
    before = {d for d in os.listdir(tempfile.gettempdir()) if d.startswith(mine)}
    with live_server(create_app()) as (host, port):
        # one validation first: any start-up compilation of the rules is over before the clock starts
        conn = http.client.HTTPConnection(host, port, timeout=300)
        conn.request("POST", "/v1/validate", body=ORDER, headers={"Content-Type": "application/xml"})
        assert conn.getresponse().status == 200
        conn.close()
        response, sent = _upload(
            host, port, total, chunked, lambda: health.append(_get(host, port, "/healthz"))
        )
        after = _get(host, port, "/healthz")
    status_line, _, rest = response.partition(b"\r\n")
    assert b" 413 " in status_line, response[:300]
    assert b"application/problem+json" in rest and b"batch_upload_max_bytes" in rest
    if chunked:
        assert limit <= sent < limit + (32 << 20) < total  # refused soon after the count passed the limit
    else:
        assert sent < 8 << 20  # refused on the declared length, before the body
    if not chunked:
        assert health == [] or health[0][0] == 200
    else:
        # answered during the upload: the upload waits for this answer, so a server that the unfinished
        # upload blocked would never give it (the wait is capped by the socket timeout, not a stopwatch)
        assert health and health[0][0] == 200
    assert after[0] == 200
    after = {d for d in os.listdir(tempfile.gettempdir()) if d.startswith(mine)}
    assert after <= before  # the refused upload's directory is gone


# -- hints ------------------------------------------------------------------------------------------
def test_every_hint_names_a_published_rule() -> None:
    from app.validation.hints import HINTS

    standards = get_settings().standards_dir
    published: set[str] = set()
    for sch in standards.glob("*/sch/**/*.sch"):
        published.update(etree.parse(str(sch)).xpath("//*[local-name()='assert']/@id"))
    oioubl = "\n".join(p.read_text("utf-8", "replace") for p in standards.glob("oioubl-*/xslt/*.xslt"))
    unpublished = {code for code in HINTS if code not in published and f"[{code}]" not in oioubl}
    assert unpublished == set()


# -- a large document -------------------------------------------------------------------------------
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


def large_invoice(lines: int) -> etree._Element:
    """The base example's first line ``lines`` times, every total recomputed (as bench/large.py does)."""
    from decimal import Decimal

    root = etree.fromstring(BASE)
    template = root.findall(f"{CAC}InvoiceLine")[0]
    for line in root.findall(f"{CAC}InvoiceLine"):
        root.remove(line)
    for i in range(1, lines + 1):
        line = etree.fromstring(etree.tostring(template))
        line.find(f"{CBC}ID").text = str(i)  # type: ignore[union-attr]
        root.append(line)
    net = Decimal(template.findtext(f"{CBC}LineExtensionAmount") or "0") * lines
    charges = sum(Decimal(a.findtext(f"{CBC}Amount") or "0") for a in root.findall(f"{CAC}AllowanceCharge"))
    taxable = net + charges  # BR-CO-13; the example's lines and charges are all 25 % (S)
    tax = (taxable * Decimal("0.25")).quantize(Decimal("0.01"))
    for path, value in {
        f"{CAC}TaxTotal/{CBC}TaxAmount": tax,
        f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxableAmount": taxable,
        f"{CAC}TaxTotal/{CAC}TaxSubtotal/{CBC}TaxAmount": tax,
        f"{CAC}LegalMonetaryTotal/{CBC}LineExtensionAmount": net,
        f"{CAC}LegalMonetaryTotal/{CBC}TaxExclusiveAmount": taxable,
        f"{CAC}LegalMonetaryTotal/{CBC}TaxInclusiveAmount": taxable + tax,
        f"{CAC}LegalMonetaryTotal/{CBC}PayableAmount": taxable + tax,
    }.items():
        root.find(path).text = str(value)  # type: ignore[union-attr]
    return root


def test_a_1000_line_invoice_validates_and_a_bad_line_is_pinned(client: TestClient) -> None:
    root = large_invoice(1000)
    good = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert len(good) > 1_300_000
    line = root.findall(f"{CAC}InvoiceLine")[749]
    price = line.find(f"{CAC}Price/{CBC}PriceAmount")
    assert price is not None
    price.text = str(float(price.text or "0") + 1)  # PEPPOL-EN16931-R120: net amount ≠ quantity × price
    bad = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    r = client.post(URL, files=files(("large.xml", good), ("large-bad.xml", bad)))
    assert r.status_code == 200
    ok, wrong = r.json()["files"]
    assert ok["valid"] is True and ok["counts"] == {"fatal": 0, "error": 0, "warning": 0}
    assert wrong["valid"] is False
    (issue,) = [i for i in wrong["issues"] if i["code"] == "PEPPOL-EN16931-R120"]
    assert issue["xpath"] == "/Invoice/cac:InvoiceLine[750]"
    assert issue["line"] == etree.fromstring(bad).findall(f"{CAC}InvoiceLine")[749].sourceline
    assert issue["hint"].startswith("The line net amount must be")


def test_every_answer_is_the_documented_batch_job(client: TestClient) -> None:
    """The answers match the OpenAPI's BatchJob exactly (no field more, none of another type)."""
    from app.api.batch_schema import BatchJob

    batch = files(("a.xml", ORDER), ("broken.xml", BROKEN), ("z.zip", zip_of({"in/b.xml": ORDER})))
    now = client.post(URL, files=batch)
    assert now.status_code == 200, now.text
    BatchJob.model_validate(now.json())
    later = client.post(URL, files=batch, headers={"Prefer": "respond-async"})
    assert later.status_code == 202
    BatchJob.model_validate(later.json())
    done = wait_done(client, later.headers["location"])
    assert BatchJob.model_validate(done).files[2].archive == "z.zip"
    BatchJob.model_validate(client.get(later.headers["location"], params={"since": 1}).json())
    spec = client.app.openapi()  # type: ignore[attr-defined]
    documented = spec["paths"]["/v1/validate/batch/{job_id}"]["get"]["responses"]["200"]["content"]
    assert documented["application/json"]["schema"] == {"$ref": "#/components/schemas/BatchJob"}
