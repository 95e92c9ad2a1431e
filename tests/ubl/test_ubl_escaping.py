"""XML escaping of the UBL writer: app/ubl/writer.py escapes every string of the document once, in
``view()``, and the template environment does not escape again. A value with ``<&>"'`` comes out escaped
exactly once (the parsed document holds the value itself, never ``&amp;…``), in every profile and kind,
and the document still validates.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from markupsafe import Markup, escape

from app.accounts.profile import load_seller
from app.config import PROJECT_ROOT
from app.document.invoice import build_document
from app.document.model import BusinessDocument
from app.forms.loader import load_form_bytes
from app.forms.models import RegistrationForm
from app.profiles import PRESETS
from app.service import make_invoice, make_order
from app.ubl.writer import render, view
from app.validation.engine import Engine

MARK = "<&>\"'"
FORMS = PROJECT_ROOT / "fixtures" / "forms" / "invoices"
FORM = FORMS / "no-b2b-escaping.json"
#: a form without characters to escape (each string of its documents gets the marker once)
PLAIN = FORMS / "no-b2b-single.json"
#: OIOUBL addresses a Danish customer (CVR or EAN)
FORM_DK = FORMS / "dk-cvr-b2b.json"
SELLER = PROJECT_ROOT / "fixtures" / "accounts" / "demo-no.json"
#: strings the writers branch on (UNCL codes, the document kind): not free text
CODES = {"kind", "code"}


def _form(path: Path = FORM, credit: bool = False) -> RegistrationForm:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if credit:
        data["credited_invoice"] = {"id": f"F-1 {MARK}"}
    customer = data["customer"]
    for key in ("company_name", "address", "city", "external_invoice_reference", "last_name"):
        customer[key] = f"{customer[key]} {MARK}"
    data["products"][0]["name"] = f"Kurs {MARK}"
    data["products"][0]["product_number"] = f"K{MARK}L"
    data["note"] = f"Note {MARK}"
    return load_form_bytes(json.dumps(data).encode())


def _marked(xml: bytes) -> list[str]:
    """Every text and attribute value of the parsed document that carries the marker's characters."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    values = [t for t in root.itertext() if "<" in t or "&" in t]
    values += [v for el in root.iter() for v in el.attrib.values() if "<" in v or "&" in v]
    return values


def _assert_escaped_once(xml: bytes) -> None:
    values = _marked(xml)
    assert values, "the marker went missing"
    assert all(MARK in v for v in values), values  # escaped once: parsing gives the value back
    assert not [v for v in values if "&amp;" in v or "&lt;" in v or "&#" in v]  # never twice
    assert b"&amp;amp;" not in xml and b"&amp;lt;" not in xml and b"&amp;#" not in xml


@pytest.mark.parametrize(
    ("profile", "credit"), [("ehf", False), ("peppol", False), ("oioubl", False), ("ehf", True)]
)
def test_form_text_is_escaped_once_and_the_invoice_validates(
    profile: str, credit: bool, validation_engine: Engine
) -> None:
    form = _form(FORM_DK if profile == "oioubl" else FORM, credit)
    result = make_invoice(
        form, load_seller(SELLER), profile=profile, credit_note=credit, engine=validation_engine
    )
    assert result.report.valid, sorted(result.report.fatal_codes())
    _assert_escaped_once(result.xml)
    assert f"Kurs {MARK}".encode() not in result.xml  # the raw value is not in the bytes
    assert b"Kurs &lt;&amp;&gt;&#34;&#39;" in result.xml  # markupsafe's escaping, as autoescape wrote it


@pytest.mark.parametrize("profile", ["ehf", "peppol", "oioubl"])
def test_form_text_is_escaped_once_and_the_order_validates(profile: str, validation_engine: Engine) -> None:
    result = make_order(
        _form(FORM_DK if profile == "oioubl" else FORM),
        load_seller(SELLER),
        profile=profile,
        engine=validation_engine,
    )
    assert result.report.valid, sorted(result.report.fatal_codes())
    _assert_escaped_once(result.xml)


def _mark_all(obj: Any) -> Any:
    """Every free-text string of a business document (recursively) with the marker appended."""
    if isinstance(obj, str):
        return obj + MARK
    if isinstance(obj, tuple):
        return tuple(_mark_all(o) for o in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {
            f.name: _mark_all(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if f.name not in CODES and getattr(obj, f.name) is not None
        }
        return dataclasses.replace(obj, **changes)
    return obj


def _documents() -> list[tuple[str, BusinessDocument]]:
    form, seller = load_form_bytes(PLAIN.read_bytes()), load_seller(SELLER)
    return [
        ("invoice", build_document(form, seller, "invoice")),
        ("creditnote", build_document(form, seller, "creditnote", invoice_ref="F-1")),
        ("order", build_document(form, seller, "order")),
    ]


@pytest.mark.parametrize(("kind", "profile"), [(k, name) for name, p in PRESETS.items() for k in p.documents])
def test_every_string_of_the_document_is_escaped_once(kind: str, profile: str) -> None:
    """Whatever string a template prints, it came through view(): none unescaped (the XML would not parse),
    none escaped twice."""
    doc = _mark_all(dict(_documents())[kind])
    xml = render(doc, PRESETS[profile].documents[kind])  # type: ignore[index]
    values = _marked(xml)
    assert len(values) > 10
    assert all(v.endswith(MARK) and v.count("<") == 1 for v in values), values  # once, raw when parsed
    assert b"&amp;amp;" not in xml and b"&amp;lt;" not in xml


def test_view_marks_escaped_text_safe() -> None:
    text = view(MARK)
    assert isinstance(text, Markup) and text == "&lt;&amp;&gt;&#34;&#39;"
    assert escape(text) == text  # marked safe: never escaped again
    assert view("plain text") == "plain text"  # nothing to escape
