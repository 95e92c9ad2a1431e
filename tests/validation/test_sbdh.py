"""An SBDH envelope around a UBL document: the header checked, the payload validated and noted."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.validation.engine import Engine

SBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def header(
    standard: str = INVOICE_NS,
    doc_type: str = "Invoice",
    document_id: str = f"{INVOICE_NS}::Invoice##{CUSTOMIZATION}::2.1",
    process: str = PROFILE,
    sender: bool = True,
) -> str:
    who = (
        '<Sender><Identifier Authority="iso6523-actorid-upis">0192:987654325</Identifier></Sender>'
        if sender
        else ""
    )
    return f"""<StandardBusinessDocumentHeader>
    <HeaderVersion>1.0</HeaderVersion>
    {who}
    <Receiver><Identifier Authority="iso6523-actorid-upis">0192:123456785</Identifier></Receiver>
    <DocumentIdentification>
      <Standard>{standard}</Standard>
      <TypeVersion>2.1</TypeVersion>
      <InstanceIdentifier>6f6d3c1a-0b5e-4c7e-9a55-3a1f4c1d2e01</InstanceIdentifier>
      <Type>{doc_type}</Type>
      <CreationDateAndTime>2026-05-31T10:00:00Z</CreationDateAndTime>
    </DocumentIdentification>
    <BusinessScope>
      <Scope><Type>DOCUMENTID</Type><InstanceIdentifier>{document_id}</InstanceIdentifier></Scope>
      <Scope><Type>PROCESSID</Type><InstanceIdentifier>{process}</InstanceIdentifier></Scope>
    </BusinessScope>
  </StandardBusinessDocumentHeader>"""


def wrap(payload: bytes, head: str | None = None) -> bytes:
    body = payload.split(b"?>", 1)[1] if payload.startswith(b"<?xml") else payload
    top = f'<?xml version="1.0" encoding="UTF-8"?>\n<StandardBusinessDocument xmlns="{SBDH}">\n  '
    return (
        (top + (header() if head is None else head) + "\n").encode()
        + body.strip()
        + b"\n</StandardBusinessDocument>\n"
    )


@pytest.fixture
def invoice(standards_dir: Path) -> bytes:
    return (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_bytes()


def test_the_payload_is_validated_and_noted(validation_engine: Engine, invoice: bytes) -> None:
    alone = validation_engine.validate(invoice)
    report = validation_engine.validate(wrap(invoice), "wrapped.xml")
    assert alone.valid and report.valid
    assert (report.ruleset, report.document) == ("peppol-billing", "Invoice")
    assert ("sbdh", "passed") in [(s.name, s.status) for s in report.stages]
    (note,) = [i for i in report.issues if i.code == "sbdh.unwrapped"]
    assert note.severity == "warning" and "Invoice payload (line 21)" in note.message


def test_issues_of_the_payload_keep_their_lines_in_the_wrapped_file(
    validation_engine: Engine, invoice: bytes
) -> None:
    broken = invoice.replace(
        b'<cbc:TaxInclusiveAmount currencyID="EUR">1656.25<',
        b'<cbc:TaxInclusiveAmount currencyID="EUR">1.00<',
    )
    alone = next(i for i in validation_engine.validate(broken).issues if i.code == "BR-CO-15")
    wrapped = validation_engine.validate(wrap(broken))
    issue = next(i for i in wrapped.issues if i.code == "BR-CO-15")
    assert not wrapped.valid and alone.line is not None
    shift = wrap(broken).split(b"<Invoice", 1)[0].count(b"\n") - broken.split(b"<Invoice", 1)[0].count(b"\n")
    assert issue.line == alone.line + shift


@pytest.mark.parametrize(
    ("head", "code", "words"),
    [
        (
            header(doc_type="CreditNote"),
            "sbdh.mismatch",
            "Type is 'CreditNote', but the payload is a Invoice",
        ),
        (header(standard="urn:x"), "sbdh.mismatch", "Standard is 'urn:x'"),
        (
            header(document_id=f"{INVOICE_NS}::Invoice##urn:fdc:other::2.1"),
            "sbdh.mismatch",
            "CustomizationID 'urn:fdc:other'",
        ),
        (header(process="urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"), "sbdh.mismatch", "PROCESSID"),
        (header(sender=False), "sbdh.missing", "no Sender/Identifier"),
        ("", "sbdh.missing", "StandardBusinessDocumentHeader is missing"),
    ],
)
def test_a_wrong_header_fails_the_document(
    validation_engine: Engine, invoice: bytes, head: str, code: str, words: str
) -> None:
    report = validation_engine.validate(wrap(invoice, head))
    assert not report.valid
    found = [i for i in report.issues if i.code == code]
    assert found and words in found[0].message and found[0].severity == "error"
    assert ("sbdh", "failed") in [(s.name, s.status) for s in report.stages]


def test_an_envelope_without_a_ubl_document_is_refused(validation_engine: Engine) -> None:
    report = validation_engine.validate(wrap(b"<Other xmlns='urn:x'/>"))
    assert [i.code for i in report.issues] == ["xml.not_ubl"]
    assert "holds no UBL document" in report.issues[0].message
