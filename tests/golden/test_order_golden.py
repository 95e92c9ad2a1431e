"""Golden orders: every form in fixtures/forms becomes an EHF and a Peppol order equal (after C14N) to
fixtures/expected/<form>.<profile>.xml; every golden file passes the project's validator and the oracle.

Regenerate after an intended change with ``NORDUBL_UPDATE_GOLDEN=1 pytest tests/golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from goldens import assert_golden, invalid_goldens, oracle

from app.accounts.profile import load_seller
from app.config import PROJECT_ROOT
from app.forms.loader import load_form_bytes
from app.service import make_order

FORMS = sorted((PROJECT_ROOT / "fixtures" / "forms").glob("*.json"))
EXPECTED = PROJECT_ROOT / "fixtures" / "expected"
SELLER = PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json"
#: Danish and prepaid forms are also written as OIOUBL 2.1 orders (Danish EAN buyers order too).
OIOUBL_FORMS = {"dk-company", "dk-ean-public", "no-prepaid-vipps", "no-company-single"}
CASES = [(f, p) for f in FORMS for p in ("ehf", "peppol")] + [
    (f, "oioubl") for f in FORMS if f.stem in OIOUBL_FORMS
]
RULESETS = {"ehf": "ehf-order", "peppol": "peppol-order", "oioubl": "oioubl-order"}


def golden_path(form: Path, profile: str) -> Path:
    return EXPECTED / f"{form.stem}.{profile}.xml"


def test_enough_forms() -> None:
    assert len(FORMS) >= 12


@pytest.mark.parametrize(("form", "profile"), CASES, ids=[f"{f.stem}.{p}" for f, p in CASES])
def test_order_matches_golden(form: Path, profile: str) -> None:
    result = make_order(load_form_bytes(form.read_bytes()), load_seller(SELLER), profile=profile)
    assert result.report.valid
    assert result.report.ruleset == RULESETS[profile]
    assert_golden(golden_path(form, profile), result.xml)


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
