"""document_uuid (cbc:UUID, mail Message-ID): the RFC 4122 version 5 UUID ``uuid.uuid5`` gives."""

from __future__ import annotations

from pathlib import Path
from uuid import NAMESPACE_URL, UUID, uuid5

import pytest

from app.accounts.profile import load_seller
from app.config import PROJECT_ROOT
from app.document.build import document_uuid

SELLERS = [
    PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json",
    PROJECT_ROOT / "fixtures" / "forms" / "invoices" / "accounts" / "demo-dk.json",
]


@pytest.mark.parametrize("seller_file", SELLERS, ids=["no", "dk"])
@pytest.mark.parametrize("kind", ["order", "invoice", "creditnote"])
@pytest.mark.parametrize("doc_id", ["F-1012", "1", "Faktura 2026/ÆØÅ-7 <&>", "x" * 300])
def test_document_uuid_is_uuid5(seller_file: Path, kind: str, doc_id: str) -> None:
    seller = load_seller(seller_file)
    name = f"urn:nordubl:{seller.country}:{seller.org_number}:{kind}:{doc_id}"
    value = document_uuid(seller, kind, doc_id)
    assert value == str(uuid5(NAMESPACE_URL, name))
    assert UUID(value).version == 5
