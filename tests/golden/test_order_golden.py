"""Golden orders: every form in fixtures/forms becomes an EHF and a Peppol order equal (after C14N) to
fixtures/expected/<form>.<profile>.xml; every golden file passes the project's validator and the oracle.

Regenerate after an intended change with ``NORDUBL_UPDATE_GOLDEN=1 pytest tests/golden``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from app.accounts.profile import load_seller
from app.config import PROJECT_ROOT
from app.forms.loader import load_form_bytes
from app.service import make_order
from app.validation.engine import default_engine

FORMS = sorted((PROJECT_ROOT / "fixtures" / "forms").glob("*.json"))
EXPECTED = PROJECT_ROOT / "fixtures" / "expected"
SELLER = PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json"
ORACLE = PROJECT_ROOT.parent / "shared" / "tools" / "oracle.py"
#: Danish and prepaid forms are also written as OIOUBL 2.1 orders (Danish EAN buyers order too).
OIOUBL_FORMS = {"dk-company", "dk-ean-public", "no-prepaid-vipps", "no-company-single"}
CASES = [(f, p) for f in FORMS for p in ("ehf", "peppol")] + [
    (f, "oioubl") for f in FORMS if f.stem in OIOUBL_FORMS
]
RULESETS = {"ehf": "ehf-order", "peppol": "peppol-order", "oioubl": "oioubl-order"}


def c14n(xml: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.tostring(etree.fromstring(xml, parser), method="c14n2")


def golden_path(form: Path, profile: str) -> Path:
    return EXPECTED / f"{form.stem}.{profile}.xml"


def test_enough_forms() -> None:
    assert len(FORMS) >= 12


@pytest.mark.parametrize(("form", "profile"), CASES, ids=[f"{f.stem}.{p}" for f, p in CASES])
def test_order_matches_golden(form: Path, profile: str) -> None:
    result = make_order(load_form_bytes(form.read_bytes()), load_seller(SELLER), profile=profile)
    assert result.report.valid
    assert result.report.ruleset == RULESETS[profile]
    golden = golden_path(form, profile)
    if os.environ.get("NORDUBL_UPDATE_GOLDEN"):
        EXPECTED.mkdir(exist_ok=True)
        golden.write_bytes(result.xml)
    assert golden.is_file(), f"missing golden file {golden}: run with NORDUBL_UPDATE_GOLDEN=1"
    assert c14n(result.xml) == c14n(golden.read_bytes())


def test_every_golden_passes_project_validator() -> None:
    files = sorted(EXPECTED.glob("*.xml"))
    assert len(files) >= 30
    engine = default_engine()
    failed = {
        f.name: sorted(r.fatal_codes()) for f in files if not (r := engine.validate(f.read_bytes())).valid
    }
    assert failed == {}


def test_every_golden_passes_the_oracle() -> None:
    files = sorted(str(f) for f in EXPECTED.glob("*.xml"))
    proc = subprocess.run(
        [sys.executable, str(ORACLE), "--json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    results = json.loads(proc.stdout)
    assert len(results) == len(files)
    assert [r["file"] for r in results if not r["pass"]] == []
    assert proc.returncode == 0
