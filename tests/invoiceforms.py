"""Shared helpers of the invoice tests: fixture forms and the seller each one is issued by."""

from __future__ import annotations

from pathlib import Path

from app.accounts.profile import SellerProfile, load_seller
from app.config import PROJECT_ROOT
from app.forms.loader import load_form_bytes
from app.forms.models import RegistrationForm

FORMS_DIR = PROJECT_ROOT / "fixtures" / "forms" / "invoices"
FORMS = sorted(FORMS_DIR.glob("*.json"))
EXPECTED = PROJECT_ROOT / "fixtures" / "expected" / "invoices"
SELLER_NO = PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json"
SELLER_DK = FORMS_DIR / "accounts" / "demo-dk.json"


def seller_for(form: Path) -> SellerProfile:
    """Forms named ``dk-seller-*`` are issued by the Danish demo seller, the rest by the Norwegian one."""
    return load_seller(SELLER_DK if form.stem.startswith("dk-seller-") else SELLER_NO)


def load(form: Path) -> RegistrationForm:
    return load_form_bytes(form.read_bytes())
