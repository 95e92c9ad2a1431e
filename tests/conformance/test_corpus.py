"""Documents of other CIUS and profiles: each is named ``ruleset.unsupported`` or checked by its own rule set,
never by a wrong one.

The upstream test files are not copied here: each case is a minimal hand-made document carrying the root,
CustomizationID and ProfileID of one public upstream test file, named in the case (``phive`` is
phax/phive-rules @ 432f0e9a8cff5c03d06625abe7a5fd8e7e346a64, ``…/test-files/`` its
``<module>/src/test/resources/external/test-files/`` folder; ``einvoicing`` is
ConnectingEurope/eInvoicing-EN16931, ``ubl/examples/``). Detection reads nothing else, and the engine's
answer for an unsupported document does not depend on the body (the XSD runs, no rule does).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from app.api.main import app
from app.cli import main
from app.validation.engine import Engine
from app.validation.rulesets import KIND_BY_NAME, UBL_NS_PREFIX, UnsupportedDocument, detect

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PEPPOL_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


@dataclass(frozen=True)
class Case:
    source: str
    root: str
    customization: str
    profile: str
    #: ``ruleset.unsupported`` naming this (a substring of the message), or None for "checked".
    named: str | None = None
    #: The rule set that checks it (its own, or the one a national specialisation restricts).
    ruleset: str | None = None
    #: For a specialisation: what the ``ruleset.partial`` warning names.
    partial: str | None = None


CASES = [
    # -- Germany -------------------------------------------------------------------------------------
    Case(
        "phive-rules-xrechnung …/test-files/3.0.0/ubl-inv/01.01a-INVOICE_ubl.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
        PEPPOL_PROFILE,
        named="XRechnung 3.0 (Germany)",
    ),
    Case(
        "phive-rules-xrechnung …/test-files/3.0.2/ubl-inv-ext/04.01a-INVOICE_ubl.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
        "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0",
        PEPPOL_PROFILE,
        named="XRechnung 3.0 (Germany)",
    ),
    Case(
        "phive-rules-xrechnung …/test-files/2.1.1/ubl-cn/bad/ubl-cn-br-de-1-test-270-remove.xml",
        "CreditNote",
        "urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.1",
        PEPPOL_PROFILE,
        named="XRechnung 2.1 (Germany)",
    ),
    # -- Peppol PINT ---------------------------------------------------------------------------------
    Case(
        "phive-rules-peppol-pint …/test-files/pint-jp/1.0.2/Japan PINT Invoice UBL Example.xml",
        "Invoice",
        "urn:peppol:pint:billing-1@jp-1",
        "urn:peppol:bis:billing",
        named="Peppol PINT (jp-1)",
    ),
    Case(
        "phive-rules-peppol-pint …/test-files/pint-eu/1.0.0/base-creditnote-correction.xml",
        "CreditNote",
        "urn:peppol:pint:billing-1@eu-1",
        "urn:peppol:bis:billing",
        named="Peppol PINT (eu-1)",
    ),
    Case(
        "phive-rules-peppol-pint …/test-files/pint-aunz/1.1.2/selfbilling/AU Self Billing - Negative Invoice.xml",
        "Invoice",
        "urn:peppol:pint:selfbilling-1@aunz-1",
        "urn:peppol:bis:selfbilling",
        named="Peppol PINT (aunz-1)",
    ),
    Case(
        "phive-rules-peppol-pint …/test-files/pint-jp/0.1.2/Japan PINT Invoice UBL Example.xml",
        "Invoice",
        "urn:fdc:peppol:jp:billing:3.0",
        PEPPOL_PROFILE,
        named="JP BIS Billing (Japan)",
    ),
    # -- the Netherlands, Romania, Portugal, Belgium, Serbia, Turkey, Saudi Arabia ---------------------
    Case(
        "phive-rules-simplerinvoicing …/test-files/simplerinvoicing/SI-UBL-2.0.2/"
        "SI-UBL-2.0_BR-NL-10_error_customer_no_companyid.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0",
        PEPPOL_PROFILE,
        named="NLCIUS (Netherlands)",
    ),
    Case(
        "phive-rules-simplerinvoicing …/test-files/simplerinvoicing/SI-UBL-2.0.2/SI-UBL-2.0_BR-NL-8_ok_381.xml",
        "CreditNote",
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0",
        PEPPOL_PROFILE,
        named="NLCIUS (Netherlands)",
    ),
    Case(
        "phive-rules-energieefactuur …/test-files/3.1.0/good/20220822_SEeF 3.1  - Voorbeeldfactuur 001 - levering.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0#conformant#urn:fdc:energie-efactuur.nl:invoice:v3.1",
        PEPPOL_PROFILE,
        named="NLCIUS (Netherlands)",
    ),
    Case(
        "phive-rules-simplerinvoicing …/test-files/simplerinvoicing/general/SI-inv-v1.1.3-ok-version.xml",
        "Invoice",
        "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol4a:ver2.0"
        ":extended:urn:www.simplerinvoicing.org:si:si-ubl:ver1.1.3",
        "urn:www.cenbii.eu:profile:bii04:ver1.0",
        named="SI-UBL 1.x (Netherlands)",
    ),
    Case(
        # a Peppol ProfileID under a Romanian CustomizationID: the CustomizationID decides
        "phive-rules-cius-ro …/test-files/1.0.8/ubl_b2g_example3.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#compliant#urn:efactura.mfinante.ro:CIUS-RO:1.0.1",
        PEPPOL_PROFILE,
        named="CIUS-RO 1.0.1 (Romania)",
    ),
    Case(
        "phive-rules-cius-pt …/test-files/2.0.0/I_CIUS-PT_syntax-model - F.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#compliant#urn:feap.gov.pt:CIUS-PT:1.0.0.",
        "fatura com nota de encomenda",
        named="CIUS-PT (Portugal)",
    ),
    Case(
        "phive-rules-ublbe …/test-files/en16931/v1.31/UBLBE_BE0000000196_V01-15000001 - DocumentStatusCode Converted.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214",
        PEPPOL_PROFILE,
        named="UBL.BE (Belgium)",
    ),
    Case(
        "phive-rules-serbia …/test-files/1.0.0/faktura-avansna.xml",
        "Invoice",
        "urn:cen.eu:en16931:2017#compliant#urn:mfin.gov.rs:srbdt:2022",
        "",
        named="SRBDT (Serbia)",
    ),
    Case(
        "phive-rules-turkey …/test-files/1.2.1/invoice/TemelFaturaOrnegi.xml",
        "Invoice",
        "TR1.2",
        "TEMELFATURA",
        named="UBL-TR (Turkey)",
    ),
    Case(
        "phive-rules-zatca …/test-files/2.3.8/Simplified/Credit/Credit Note of a Simplified Tax Invoice.xml",
        "Invoice",
        "",
        "reporting:1.0",
        named="ZATCA e-invoice (Saudi Arabia)",
    ),
    # -- Denmark: OIOUBL 3.0 and the OIOUBL 2.02 predecessor of 2.1 --------------------------------------
    Case(
        "phive-rules-oioubl …/test-files/3.0.1/invoice/OIOUBL3_Invoice_billing_with_response_Example.xml",
        "Invoice",
        "urn:fdc:oioubl.dk:trns:billing:invoice:3.0",
        "urn:fdc:oioubl.dk:bis:billing_with_response:3",
        named="OIOUBL 3.0 (Denmark)",
    ),
    Case(
        "phive-rules-oioubl …/test-files/3.0.1/creditnote/OIOUBL3_CreditNote_billing_with_response_Example.xml",
        "CreditNote",
        "urn:fdc:oioubl.dk:trns:billing:creditnote:3.0",
        "urn:fdc:oioubl.dk:bis:billing_with_response:3",
        named="OIOUBL 3.0 (Denmark)",
    ),
    Case(
        # starts like Peppol MLR (T71), but "@…oioubl.dk" makes it the Danish one
        "phive-rules-oioubl …/test-files/3.0.1/mlr/OIOUBL-Message-Level-Response-Example.xml",
        "ApplicationResponse",
        "urn:fdc:peppol.eu:poacc:trns:mlr:3@urn:fdc:oioubl.dk:trns:message_level_response:3.0",
        "urn:fdc:oioubl.dk:bis:message_level_response:3",
        named="OIOUBL 3.0 (Denmark)",
    ),
    Case(
        "phive-rules-oioubl …/test-files/3.0.1/ir/OIOUBL3_InvoiceResponse_billing_with_response_Example.xml",
        "ApplicationResponse",
        "urn:fdc:peppol.eu:poacc:trns:invoice_response:3@urn:fdc:oioubl.dk:trns:billing:invoice_response:3.0",
        "urn:fdc:oioubl.dk:bis:billing_with_response:3",
        named="OIOUBL 3.0 (Denmark)",
    ),
    Case(
        "phive-rules-oioubl …/test-files/2.0.2/BASPRO_01_01_00_Invoice_v2p2.xml",
        "Invoice",
        "OIOUBL-2.02",
        "Procurement-OrdSimR-BilSim-1.0",
        named="OIOUBL 2.0",
    ),
    Case(
        "phive-rules-oioubl …/test-files/1.12.3/OIOUBL_Reminder_v2p2.xml",
        "Reminder",
        "OIOUBL-2.1",
        "Procurement-OrdSimR-BilSim-1.0",
        named="OIOUBL 2.1 (Denmark), a document type with no official rules",
    ),
    # -- Peppol BIS regional variants and withdrawn releases ---------------------------------------------
    Case(
        "phive-rules-peppol …/test-files/aunz-peppol/1.0.12/NZ Credit note.xml",
        "CreditNote",
        "urn:cen.eu:en16931:2017#conformant#urn:fdc:peppol.eu:2017:poacc:billing:international:aunz:3.0",
        PEPPOL_PROFILE,
        named="Peppol BIS Billing A-NZ",
    ),
    Case(
        "phive-rules-peppol …/test-files/aunz-peppol/1.0.12/NZ Self Billed Credit note.xml",
        "CreditNote",
        "urn:cen.eu:en16931:2017#conformant#urn:fdc:peppol.eu:2017:poacc:selfbilling:international:aunz:3.0",
        "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0",
        named="Peppol BIS Billing A-NZ",
    ),
    Case(
        "phive-rules-ehf …/test-files/2018-11/T10 BII05 gyldig faktura.xml",
        "Invoice",
        "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol5a:ver2.0"
        ":extended:urn:www.difi.no:ehf:faktura:ver2.0",
        "urn:www.cenbii.eu:profile:bii05:ver2.0",
        named="EHF 2.x (Norway, withdrawn)",
    ),
    Case(
        "phive-rules-ehf …/test-files/2018-11/T01 Eksempelfil EHF Ordre.xml",
        "Order",
        "urn:www.cenbii.eu:transaction:biitrns001:ver2.0:extended:urn:www.peppol.eu:bis:peppol28a:ver1.0"
        ":extended:urn:www.difi.no:ehf:ordre:ver1.0",
        "urn:www.cenbii.eu:profile:bii28:ver2.0",
        named="EHF 2.x (Norway, withdrawn)",
    ),
    # -- EN 16931 without a CIUS (the CEN examples) ---------------------------------------------------------
    Case(
        "einvoicing ubl/examples/ubl-tc434-example1.xml (also phive-rules-en16931 …/test-files/1.3.16/ubl/)",
        "Invoice",
        "urn:cen.eu:en16931:2017",
        "",
        named="EN 16931 without a CIUS",
    ),
    Case(
        "phive-rules-en16931 …/test-files/1.3.1/ubl/ubl-tc434-creditnote1.xml",
        "CreditNote",
        "urn:cen.eu:en16931:2017",
        PEPPOL_PROFILE,
        named="EN 16931 without a CIUS",
    ),
    Case(
        "phive-rules-simplerinvoicing …/test-files/simplerinvoicing/general/SI-inv-error-no-customizationid.xml",
        "Invoice",
        "urn:some:unknown:id",
        "urn:www.cenbii.eu:profile:bii04:ver1.0",
        named="a specification no installed rule set knows",
    ),
    # -- the Italian restrictive CIUS: Peppol BIS rules, with the warning that the AgID rules did not run ----
    Case(
        "phive-rules-peppol-italy …/test-files/3.0.2/invoice/"
        "01_FT B2G_Data fattura non coincide con data operazione, Regime di split payment.xml",
        "Invoice",
        f"{PEPPOL_BILLING}#conformant#urn:www.agid.gov.it:trns:fattura:3",
        PEPPOL_PROFILE,
        ruleset="peppol-billing",
        partial="Italian CIUS (AgID)",
    ),
    Case(
        "phive-rules-peppol-italy …/test-files/3.2.1/credit-note/"
        "01_NC B2G_Regime di split payment, CIG e Convenzione in riga.xml",
        "CreditNote",
        f"{PEPPOL_BILLING}#conformant#urn:www.agid.gov.it:trns:fattura:3",
        PEPPOL_PROFILE,
        ruleset="peppol-billing",
        partial="Italian CIUS (AgID)",
    ),
    Case(
        "phive-rules-peppol-italy …/test-files/2.2.9/order/Caso d'uso 1 - Ordine di fornitura con articoli numerati.xml",
        "Order",
        "urn:fdc:peppol.eu:poacc:trns:order:3:restrictive:urn:www.agid.gov.it:trns:ordine:3.1",
        "urn:fdc:peppol.eu:poacc:bis:order_only:3",
        ruleset="peppol-order",
        partial="Italian CIUS (AgID)",
    ),
    Case(
        "phive-rules-peppol-italy …/test-files/2.2.9/order-response/ph1.xml",
        "OrderResponse",
        "urn:fdc:peppol.eu:poacc:trns:order_response:3:restrictive:urn:www.agid.gov.it:trns:risposta_ordine:3.0",
        "urn:fdc:peppol.eu:poacc:bis:ordering:3",
        ruleset="peppol-order-response",
        partial="Italian CIUS (AgID)",
    ),
    Case(
        "phive-rules-peppol-italy …/test-files/2.3.0/order-agreement/Esempio Ordine pre-concordato di revoca.xml",
        "OrderResponse",
        "urn:fdc:peppol.eu:poacc:trns:order_agreement:3:restrictive:urn:www.agid.gov.it:trns:ordine_preconcordato:3.0",
        "urn:fdc:peppol.eu:poacc:bis:order_agreement:3",
        ruleset="peppol-order-agreement",
        partial="Italian CIUS (AgID)",
    ),
    Case(
        # an *extension* of Peppol despatch advice (":extended:"), not a restriction: not checked as T16
        "phive-rules-peppol-italy …/test-files/2.2.9/despatch-advice/Caso d'uso 1 - Spedizione semplice.xml",
        "DespatchAdvice",
        "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3:extended:urn:www.agid.gov.it:trns:ddt:3.1",
        "urn:fdc:peppol.eu:poacc:bis:despatch_advice:3",
        named="Italian CIUS (AgID)",
    ),
    # -- types with their own rule set now (once read as Peppol BIS Billing) --------------------------------
    Case(
        "phive-rules-ehf …/test-files/2020-03/reminder-3.0/Reminder-Example.xml",
        "Invoice",
        f"{PEPPOL_BILLING}#conformant#urn:fdc:anskaffelser.no:2019:ehf:reminder:3.0",
        "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:06:1.0",
        ruleset="ehf-reminder",
    ),
    Case(
        "phive-rules-ehf …/test-files/2020-03/forward-billing-3.0/forward-billing-nettleie-business.xml",
        "Invoice",
        f"{PEPPOL_BILLING}#conformant#urn:fdc:anskaffelser.no:2019:ehf:forward-billing:3.0",
        "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:08:1.0",
        ruleset="ehf-forward-billing",
    ),
    Case(
        "phive-rules-ehf …/test-files/2020-03/payment-request-3.0/PaymentRequest-example-1.xml",
        "Invoice",
        "urn:fdc:anskaffelser.no:2019:ehf:spec:payment-request:3.0",
        "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:07:1.0",
        ruleset="ehf-payment-request",
    ),
    Case(
        "phive-rules-peppol-legacy …/test-files/openpeppol/2025.3/SB-base-creditnote-correction.xml",
        "CreditNote",
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0",
        "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0",
        ruleset="peppol-self-billing",
    ),
    Case(
        "einvoicing ubl/examples/FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml",
        "Invoice",
        PEPPOL_BILLING,
        PEPPOL_PROFILE,
        ruleset="peppol-billing",
    ),
]


def document(case: Case) -> bytes:
    root = etree.Element(
        f"{{{UBL_NS_PREFIX}{case.root}-2}}{case.root}",
        nsmap={None: f"{UBL_NS_PREFIX}{case.root}-2", "cbc": CBC},
    )
    if case.customization:
        etree.SubElement(root, f"{{{CBC}}}CustomizationID").text = case.customization
    if case.profile:
        etree.SubElement(root, f"{{{CBC}}}ProfileID").text = case.profile
    etree.SubElement(root, f"{{{CBC}}}ID").text = "1"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_the_corpus_covers_the_profiles_the_issue_names() -> None:
    named = " ".join(c.named or "" for c in CASES)
    for what in ("XRechnung", "Peppol PINT", "NLCIUS", "CIUS-RO", "ZATCA", "OIOUBL 3.0", "EN 16931"):
        assert what in named, what
    assert any(c.partial == "Italian CIUS (AgID)" for c in CASES)
    assert all((c.named is None) != (c.ruleset is None) for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.source.rsplit("/", 1)[-1])
def test_detection(case: Case) -> None:
    root = etree.fromstring(document(case))
    if case.named is not None:
        with pytest.raises(UnsupportedDocument) as exc:
            detect(root)
        assert exc.value.root_name == case.root
        assert (
            exc.value.what is None
            if case.named.startswith("a specification")
            else case.named in (exc.value.what or "")
        )
        return
    rs = detect(root)
    assert (rs.name, rs.partial) == (case.ruleset, case.partial)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.source.rsplit("/", 1)[-1])
def test_engine_never_checks_it_with_a_wrong_rule_set(case: Case, validation_engine: Engine) -> None:
    report = validation_engine.validate(document(case), filename=case.source)
    assert not report.valid  # a minimal document: never valid, whichever way it goes
    codes = {i.code for i in report.issues}
    if case.named is not None:
        # XSD only, reported as such: no rule set, no rule stage, the unsupported issue naming it
        assert report.ruleset is None
        assert [s.name for s in report.stages] == ["ruleset", "xsd"]
        assert report.stages[0].status == "failed"
        [issue] = [i for i in report.issues if i.code == "ruleset.unsupported"]
        assert issue.severity == "fatal"
        assert case.named in issue.message
        assert "Peppol BIS Billing 3.0" in (issue.hint or "")  # the supported list
        assert codes <= {"ruleset.unsupported"} | {c for c in codes if c.startswith("xsd.")}
        return
    kind = KIND_BY_NAME[case.ruleset or ""]
    assert report.ruleset == case.ruleset
    sheets = [s.format(root=case.root).rsplit("/", 1)[-1] for s in kind.stylesheets]
    assert [s.name for s in report.stages] == ["xsd", *sheets]
    assert "ruleset.unsupported" not in codes
    partial = [i for i in report.issues if i.code == "ruleset.partial"]
    if case.partial is None:
        assert not partial
    else:
        [warning] = partial
        assert warning.severity == "warning"
        assert case.partial in warning.message and case.ruleset in warning.message


# -- the same answer through the CLI and the HTTP API ----------------------------------------------------
XRECHNUNG = CASES[0]
ITALIAN = next(c for c in CASES if c.partial and c.root == "Invoice")


def test_cli_reports_unsupported_as_not_valid_and_counts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], standards_dir: Path
) -> None:
    unsupported = tmp_path / "xrechnung.xml"
    unsupported.write_bytes(document(XRECHNUNG))
    valid = tmp_path / "peppol.xml"
    valid.write_bytes((standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_bytes())
    out = io.StringIO()
    code = main(["validate", str(unsupported), str(valid)], out=out)
    assert code == 1  # not valid: exit 1, as an invalid document
    lines = out.getvalue().splitlines()
    assert any(
        line.startswith(f"{unsupported}:")
        and "fatal ruleset.unsupported" in line
        and "XRechnung 3.0 (Germany)" in line
        for line in lines
    ), lines
    assert "2 files: 1 valid, 1 invalid (1 unsupported), 0 unreadable" in capsys.readouterr().err


def test_api_reports_unsupported_and_partial() -> None:
    with TestClient(app) as client:
        r = client.post(
            "/v1/validate", content=document(XRECHNUNG), headers={"Content-Type": "application/xml"}
        )
        assert r.status_code == 200
        body = r.json()
        assert (body["valid"], body["ruleset"], body["document"]) == (False, None, "Invoice")
        assert [s["name"] for s in body["stages"]] == ["ruleset", "xsd"]
        assert body["stages"][0] == {"name": "ruleset", "status": "failed", "detail": "unsupported"}
        [issue] = [i for i in body["issues"] if i["code"] == "ruleset.unsupported"]
        assert "XRechnung 3.0 (Germany)" in issue["message"] and issue["severity"] == "fatal"

        r = client.post(
            "/v1/validate", content=document(ITALIAN), headers={"Content-Type": "application/xml"}
        )
        body = r.json()
        assert body["ruleset"] == "peppol-billing"
        assert any(i["code"] == "ruleset.partial" and i["severity"] == "warning" for i in body["issues"])
