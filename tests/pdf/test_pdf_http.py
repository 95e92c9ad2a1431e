"""POST /v1/render (validate, then render) and ``nordubl pdf``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pdfcheck import OWN, STANDARDS, attachments, page_texts

from app.api.main import create_app
from app.cli import main
from app.pdf import TEMPLATE_VERSION
from app.pdf.worker import PdfPool

OIOUBL = STANDARDS / "oioubl-1.17.2/examples/OIOUBL_Invoice_v2p2.xml"


@pytest.fixture(scope="module")
def client(pool: PdfPool) -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


def test_valid_invoice_answers_its_pdf(client: TestClient) -> None:
    xml = OIOUBL.read_bytes()
    r = client.post("/v1/render?lang=da", content=xml, headers={"content-type": "application/xml"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'inline; filename="A00095678.pdf"'
    assert r.headers["x-nordubl-template-version"] == TEMPLATE_VERSION
    assert r.headers["x-nordubl-ruleset"].startswith("oioubl-invoice")
    text = " ".join(page_texts(r.content))
    assert "A00095678" in text and "6.312,50 DKK" in text and "Den Lille Skole" in text
    assert attachments(r.content) == {"invoice.xml": [xml]}


def test_default_language_is_norwegian(client: TestClient) -> None:
    r = client.post("/v1/render", content=(OWN / "no-b2b-single.ehf.xml").read_bytes())
    assert r.status_code == 200 and "Å betale" in page_texts(r.content)[0]


def test_invalid_invoice_answers_its_report_not_a_pdf(client: TestClient) -> None:
    xml = (OWN / "no-b2b-kid.ehf.xml").read_bytes()
    broken = re.sub(rb'(<cbc:PayableAmount currencyID="NOK">)[^<]*', rb"\g<1>1.00", xml)
    r = client.post("/v1/render?lang=nb", content=broken)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 422 and body["valid"] is False and body["ruleset"] == "peppol-billing"
    assert "BR-CO-16" in {i["code"] for i in body["issues"]}
    assert {s["name"] for s in body["stages"]} >= {"xsd"}


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"not xml at all", "xml.malformed"), (b"", "xml.empty")],
)
def test_unreadable_upload_answers_problem_json(client: TestClient, content: bytes, code: str) -> None:
    r = client.post("/v1/render", content=content)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert code in {i["code"] for i in r.json()["issues"]}


def test_unknown_language_answers_problem_json(client: TestClient) -> None:
    r = client.post("/v1/render?lang=de", content=OIOUBL.read_bytes())
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


def test_cli_renders_a_pdf(tmp_path: Path, pool: PdfPool) -> None:
    out = tmp_path / "out.pdf"
    assert main(["pdf", str(OWN / "se-b2b.peppol.xml"), "--lang", "sv", "-o", str(out)]) == 0
    text = page_texts(out.read_bytes())[0]
    assert "Att betala" in text and "F-4001" in text


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.pdf"
    assert main(["pdf", str(tmp_path / "missing.xml"), "-o", str(out)]) == 2
    assert "input.unreadable" in capsys.readouterr().err
    assert main(["pdf", str(OWN / "se-b2b.peppol.xml"), "--lang", "de", "-o", str(out)]) == 2
    order = STANDARDS / "peppol-2026.5/examples/order/Order_Example.xml"
    assert main(["pdf", str(order), "-o", str(out)]) == 1
    assert "reader.unsupported" in capsys.readouterr().err
    assert not out.exists()
