"""Shared helpers of the invoice tests: fixture forms, the seller each one is issued by, C14N."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from app.accounts.profile import SellerProfile, load_seller
from app.config import PROJECT_ROOT
from app.forms.loader import load_form_bytes
from app.forms.models import RegistrationForm

FORMS_DIR = PROJECT_ROOT / "fixtures" / "forms" / "invoices"
FORMS = sorted(FORMS_DIR.glob("*.json"))
EXPECTED = PROJECT_ROOT / "fixtures" / "expected" / "invoices"
SELLER_NO = PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json"
SELLER_DK = FORMS_DIR / "accounts" / "demo-dk.json"
ORACLE = PROJECT_ROOT.parent / "shared" / "tools" / "oracle.py"


def seller_for(form: Path) -> SellerProfile:
    """Forms named ``dk-seller-*`` are issued by the Danish demo seller, the rest by the Norwegian one."""
    return load_seller(SELLER_DK if form.stem.startswith("dk-seller-") else SELLER_NO)


def load(form: Path) -> RegistrationForm:
    return load_form_bytes(form.read_bytes())


def c14n(xml: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.tostring(etree.fromstring(xml, parser), method="c14n2")
