"""Golden invoices and credit notes: every form in fixtures/forms/invoices becomes, in the profile chosen
for its customer, a document equal (after C14N) to fixtures/expected/invoices/<form>.<profile>.xml; a form
with ``credited_invoice`` becomes a credit note. Every golden file passes the project's validator and
the independent oracle.

Regenerate after an intended change with ``NORDUBL_UPDATE_GOLDEN=1 pytest tests/golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from goldens import assert_golden, invalid_goldens, oracle
from invoiceforms import EXPECTED, FORMS, load, seller_for

from app.service import make_invoice

#: the profile each fixture's customer must get (source 001: EAN / CVR → OIOUBL; NO org. no. → EHF)
EXPECTED_PROFILE = {"dk": "oioubl", "no-b2b": "ehf", "no-b2c": "peppol", "se": "peppol", "de": "peppol"}


def test_enough_forms() -> None:
    assert len(FORMS) >= 30


@pytest.mark.parametrize("form", FORMS, ids=[f.stem for f in FORMS])
def test_invoice_matches_golden(form: Path) -> None:
    f = load(form)
    credit = f.credited_invoice is not None
    result = make_invoice(f, seller_for(form), credit_note=credit)
    assert result.report.valid
    assert result.report.ruleset == (
        ("oioubl-creditnote" if credit else "oioubl-invoice")
        if result.profile == "oioubl"
        else "peppol-billing"
    )
    assert result.report.document == ("CreditNote" if credit else "Invoice")
    for prefix, profile in EXPECTED_PROFILE.items():
        if form.stem.startswith(prefix) and not form.stem.startswith("dk-seller-"):
            assert result.profile == profile, result.choice
    assert_golden(EXPECTED / f"{form.stem}.{result.profile}.xml", result.xml)


def test_every_golden_passes_project_validator() -> None:
    files = sorted(EXPECTED.glob("*.xml"))
    assert len(files) >= 30
    assert invalid_goldens(files) == {}


def test_every_golden_passes_the_oracle() -> None:
    files = sorted(EXPECTED.glob("*.xml"))
    returncode, results = oracle(files)
    assert len(results) == len(files)
    assert [r["file"] for r in results if not r["pass"]] == []
    assert returncode == 0
    kinds = {(r["ruleset"]) for r in results}
    assert {"peppol-billing", "oioubl-Invoice", "oioubl-CreditNote"} <= kinds, kinds
