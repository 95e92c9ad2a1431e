"""No English of the service's own in a Norwegian, Danish or Swedish output.

A cut of the matrix (tests/matrix/matrixcases.py): each seller (NO → EHF, DK → OIOUBL, SE → Peppol BIS)
writing in each of nb, da and sv, each document kind (order, invoice, credit note), two customer kinds (a
company with a contact, a private person) and the ``fees`` variant with a line discount and a card payment
added, so every text the service writes itself appears: payment terms, fee reasons, the discount (and
OIOUBL's discount note), the prepaid note. For each document: its XML text, the PDF's text (pypdf) of an
invoice or credit note, and the default invoice mail (subject and body). The vocabulary is every word of the
catalogue's English msgids, less the words the target language's own translations use (Status, Standard,
IBAN …), the words of the input (the shop's data, the seller's settings) and the official code names.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from lxml import etree
from matrixcases import CURRENCY, FORMS, SELLER_FILES, SELLERS
from pdfcheck import page_texts

from app.accounts.models import Account
from app.accounts.profile import SellerProfile
from app.accounts.settings import DEFAULT_MAIL_SUBJECT, DEFAULT_MAIL_TEXT
from app.forms.models import RegistrationForm
from app.i18n import LANGUAGES, LOCALE_DIR, SOURCE
from app.mail.compose import compose
from app.mail.facts import read_facts
from app.service import make

TARGETS = [lang for lang in LANGUAGES if lang != SOURCE]
DOCUMENTS = ("order", "invoice", "creditnote")
CUSTOMERS = ("company_contact", "private")
WORD = re.compile(r"[^\W\d_]{2,}")
#: UBL element names a translation keeps as published ("et UBL 2.1 Invoice-dokument"): code, not a word of
#: the language, so they do not take "invoice" or "order" out of its vocabulary (capitalised, as in UBL).
UBL_ELEMENT = re.compile(
    r"\b(?:Invoice|CreditNote|Order|OrderResponse|OrderChange|OrderCancellation|Catalogue)\b"
)
#: Code names that stay as published in every language (standards, identifiers, file formats).
CODE_NAMES = frozenset(
    w.lower()
    for w in [
        "UBL",
        "XML",
        "XSD",
        "PDF",
        "CSV",
        "JSON",
        "HTTP",
        "API",
        "EHF",
        "OIOUBL",
        "Peppol",
        "BIS",
        "EAN",
        "GLN",
        "KID",
        "FIK",
        "CVR",
        "IBAN",
        "BIC",
        "MVA",
        "VAT",
        "XPath",
        "GTIN",
        "ISO",
        "ERP",
        "PUT",
        "PATCH",
        "BT",
        "ID",
    ]
)
#: Elements whose text is a code, an identifier or a boolean (ids, codes, URNs, true/false), never a word
#: of ours.
CODED = re.compile(r"(ID|Code|Indicator)$")


def _catalog(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "nordubl.po").open("rb") as fp:
        return read_po(fp, locale=lang)


def _words(text: str) -> set[str]:
    # placeholders name values, and field names, settings and paths (seller.iban, process_orders_from,
    # /v1/account/payment-terms), commands and their options (`nordubl validate`, --invoice-ref,
    # 'nordubl[all]') and HTTP header names (Content-Length) are code: neither is a word of a language
    text = re.sub(r"\{\w+\}", " ", text)
    text = re.sub(r"`[^`]*`|--\w[\w-]*|\S*\w\[\w+\]\S*|\b[A-Z][a-z]+(?:-[A-Z][a-z]+)+\b", " ", text)
    text = re.sub(r"\S*\w[_./]\w\S*", " ", text)
    return {w.lower() for w in WORD.findall(text)}


@cache
def english() -> frozenset[str]:
    words: set[str] = set()
    for m in _catalog("nb"):
        for text in m.id if isinstance(m.id, tuple) else (m.id,):
            if text:
                words |= _words(text)
    return frozenset(words)


@cache
def vocabulary(lang: str) -> frozenset[str]:
    """The English words of ours that must not appear in ``lang``."""
    own: set[str] = set()
    for m in _catalog(lang):
        if not m.id:
            continue  # the header
        for text in m.string if isinstance(m.string, tuple) else (m.string,):
            own |= _words(UBL_ELEMENT.sub(" ", text or ""))
    return frozenset(english() - own - CODE_NAMES)


def form_of(seller: str, customer: str) -> dict[str, Any]:
    form = copy.deepcopy(FORMS[(seller, customer, "fees")])
    form["products"][0]["discount_percent"] = "20"  # BG-27 line allowance, OIOUBL's discount note
    if customer == "private":
        # a prepaid order (source 004): the payment in the note; the company's invoice has terms to pay by
        form["payment"] = {"status": "paid", "method": "card", "reference": "VIPPS-77"}
    return form


def seller_of(seller: str, lang: str) -> SellerProfile:
    data = json.loads(SELLER_FILES[seller].read_text())
    return SellerProfile.model_validate({**data, "language": lang})


def xml_text(xml: bytes) -> str:
    """The text of every element that carries words (not ids, codes or URNs)."""
    root = etree.fromstring(xml)
    return "\n".join(
        el.text
        for el in root.iter()
        if isinstance(el.tag, str)
        and el.text
        and el.text.strip()
        and not CODED.search(etree.QName(el).localname)
    )


def mail_text(xml: bytes, seller: SellerProfile) -> str:
    account = Account(
        name=seller.name,
        trading_name=seller.trading_name,
        email=seller.email,
        country=seller.country,
        language=seller.language,
        mail_sender=None,
        mail_subject=DEFAULT_MAIL_SUBJECT,
        mail_text=DEFAULT_MAIL_TEXT,
    )
    facts = read_facts(xml)
    message = compose(
        account,
        facts,
        recipient="kunde@example.no",
        message_id="<leak@nordubl>",
        pdf=b"%PDF-",
        xml=None,
        now=datetime(2026, 11, 20, tzinfo=UTC),
    )
    assert message["Content-Language"] == seller.language
    body = message.get_body(("plain",))
    assert body is not None
    return f"{message['Subject']}\n{body.get_content()}"


def leaks(text: str, lang: str, data: str) -> set[str]:
    return (_words(text) & vocabulary(lang)) - _words(data)


CASES = [(s, lang, c) for s in SELLERS for lang in TARGETS for c in CUSTOMERS]


@pytest.fixture(scope="module")
def outputs(pool: Any) -> Iterator[dict[tuple[str, str, str, str], dict[str, str]]]:
    from app.pdf import render_pdf

    out: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for seller, lang, customer in CASES:
        profile = seller_of(seller, lang)
        form = RegistrationForm.model_validate(form_of(seller, customer))
        for kind in DOCUMENTS:
            ref = form.order_id if kind == "creditnote" else None
            made = make(form, profile, kind, invoice_ref=ref)  # the official rules pass, or it raises
            texts = {"xml": xml_text(made.xml)}
            if kind != "order":
                texts["mail"] = mail_text(made.xml, profile)
                if customer == "company_contact":  # one PDF per seller, language and kind
                    texts["pdf"] = "\n".join(page_texts(render_pdf(made.xml, lang, pool=pool)))
            out[(seller, lang, customer, kind)] = texts
    yield out


@pytest.fixture(scope="module")
def pool() -> Any:
    from app.pdf.render import default_pool

    p = default_pool()
    p.warm()
    return p


def _values(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    else:
        yield str(data)


def _data(seller: str, customer: str) -> str:
    """The input's values (the shop's data, the seller's settings; not the field names)."""
    return "\n".join(_values([form_of(seller, customer), json.loads(SELLER_FILES[seller].read_text())]))


@pytest.mark.parametrize(("seller", "lang", "customer"), CASES, ids=["-".join(c) for c in CASES])
def test_no_english_of_ours(
    outputs: dict[tuple[str, str, str, str], dict[str, str]], seller: str, lang: str, customer: str
) -> None:
    data = _data(seller, customer)
    found = {
        (kind, part): sorted(leaks(text, lang, data))
        for kind in DOCUMENTS
        for part, text in outputs[(seller, lang, customer, kind)].items()
    }
    assert {k: v for k, v in found.items() if v} == {}


def test_the_outputs_carry_the_texts_the_test_is_about(
    outputs: dict[tuple[str, str, str, str], dict[str, str]],
) -> None:
    # the cut exercises every text the service writes itself: else a leak could hide in a text not written
    nb = outputs[("NO", "nb", "company_contact", "invoice")]
    assert "Netto 30 dager" in nb["xml"] or "Netto 14 dager" in nb["xml"]
    assert {"Frakt", "Betalingsgebyr", "Rabatt"} <= set(nb["xml"].split()) | {
        w.strip(",.") for w in nb["xml"].split()
    }
    assert "Betalt med kort, referanse VIPPS-77." in outputs[("NO", "nb", "private", "order")]["xml"]
    dk = outputs[("DK", "da", "company_contact", "invoice")]
    assert re.search(r"Rabat 20 %: [\d.]+,\d\d af [\d.]+,\d\d", dk["xml"]), dk["xml"]  # OIOUBL's note
    assert "Faktura" in dk["pdf"] and "Kære" in dk["mail"]
    sv = outputs[("SE", "sv", "private", "creditnote")]
    assert "Hej" in sv["mail"] and "Faktura" in sv["mail"]
    assert len(outputs) == len(CASES) * len(DOCUMENTS)


def test_the_leak_check_finds_english() -> None:
    data = _data("NO", "company_contact")
    assert leaks("Net 14 days", "nb", data) == {"net", "days"}
    assert leaks("Paid by vipps, reference VIPPS-77.", "nb", data) == {"paid", "by", "reference"}
    assert leaks("Discount 20 %: 498.00 of 2490.00", "sv", data) == {"discount", "of"}
    assert leaks("Dear Equinor ASA, attached is invoice 1", "da", data) == {
        "dear",
        "attached",
        "is",
        "invoice",
    }
    assert leaks("Netto 14 dager. Betalt med vipps.", "nb", data) == set()
    assert leaks(str(Decimal("1.5")), "nb", data) == set()
    assert {"the", "of", "freight", "invoice"} <= vocabulary("nb")
    assert "status" not in vocabulary("nb")  # the same word in Norwegian
    assert CURRENCY["NO"] == "NOK"
