"""A fee the account maps to a UNCL7161 charge code (PUT /v1/catalogue/fees) keeps that code in an OIOUBL
invoice as in a Peppol one: AllowanceChargeReasonCode, its list named (listID "UN/ECE 7161", agency 6), and
the invoice passes the independent oracle (the official OIOUBL 2.1 schema and rules)."""

from __future__ import annotations

from pathlib import Path

from goldens import oracle
from lxml import etree
from shopfixtures import SELLER_NO, Shop, form

from app.profiles.oioubl import CUSTOMIZATION as OIOUBL_CUSTOMIZATION

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
#: a Danish company (CVR): source 001 gives it an OIOUBL invoice
DK_COMPANY = {
    "country": "DK",
    "org_number": "13585628",
    "company_name": "Webshoppen ApS",
    "first_name": "Mette",
    "last_name": "Jensen",
    "email": "mette@webshoppen.example.dk",
    "external_invoice_reference": "INDKØB-55",
}


def test_a_mapped_charge_code_reaches_the_oioubl_invoice(shop: Shop, tmp_path: Path) -> None:
    acc = shop.account(SELLER_NO)
    # source 003: freight booked as a charge of the account's own code (SAA = shipping and handling), not
    # the builder's default (FC)
    fees = {"fees": [{"kind": "freight", "charge_code": "SAA", "reason": "Forsendelse"}]}
    assert shop.put(acc, "/v1/catalogue/fees", fees).status_code == 200

    r = shop.post(acc, "/v1/invoices", form("OIO-FEE-1", customer=DK_COMPANY))
    assert r.status_code == 201, r.text
    assert r.headers["X-Nordubl-Profile"] == "oioubl"
    xml = shop.get(acc, f"/v1/documents/{r.headers['X-Nordubl-Document-Id']}.xml").content
    doc = etree.fromstring(xml)
    assert doc.findtext("cbc:CustomizationID", namespaces=NS) == OIOUBL_CUSTOMIZATION
    charges = []
    for c in doc.xpath("/*/cac:AllowanceCharge", namespaces=NS):
        code = c.find("cbc:AllowanceChargeReasonCode", namespaces=NS)
        charges.append(
            (
                c.findtext("cbc:ChargeIndicator", namespaces=NS),
                (code.text, dict(code.attrib)) if code is not None else None,
                c.findtext("cbc:AllowanceChargeReason", namespaces=NS),
                c.findtext("cbc:Amount", namespaces=NS),
            )
        )
    assert charges == [
        ("true", ("SAA", {"listAgencyID": "6", "listID": "UN/ECE 7161"}), "Forsendelse", "149.00")
    ]

    stored = tmp_path / "oioubl-charge.xml"
    stored.write_bytes(xml)
    returncode, results = oracle([stored])
    assert [(r["ruleset"], r["pass"]) for r in results] == [("oioubl-Invoice", True)], results
    assert returncode == 0
