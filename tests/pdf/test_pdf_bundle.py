"""The bundle a PDF is made from: complete label catalogues, and TEMPLATE_VERSION pinned to the bundle's
content, so a changed template, stylesheet, font or label (its msgid in labels.py or its translation in a
gettext catalogue) cannot reach cached PDFs under an old key."""

from __future__ import annotations

import hashlib
import json

from app.pdf import TEMPLATE_VERSION
from app.pdf.fetcher import ASSETS
from app.pdf.html import TEMPLATES
from app.pdf.labels import CATEGORIES, LABELS, LANGUAGES, LOCALES, PAYMENT_MEANS, UNITS

#: sha256 of templates/, assets/, labels.py and every PDF word in every language for each TEMPLATE_VERSION.
#: After changing any of them: bump TEMPLATE_VERSION in app/pdf/render.py and record the new hash here.
BUNDLE_SHA256 = {
    "2026.1": "ef6a1470bf970886c34ecb73f82646374e2810e64bfce1290ea12a84703ecd84",
    # the draft mark (label "draft", the badge and the watermark)
    "2026.2": "7c3998ffe6a2a6d553bb6b45a4cbb8bc70c0d27b311858dfc2c9d4e1bac8bb1c",
    # the labels as msgids translated by the gettext catalogues (app/locale)
    "2026.3": "108a76c9d9ae6006c09641d96b6067958e6c85d726e1458378fde424a2b77657",
    # the seller's and the buyer's address and identifiers written by one macro (the same text)
    "2026.4": "8daf9149eccb1348868f3be08fd5d98baca641dd97650501a2e4901272698f74",
}


def bundle_hash() -> str:
    h = hashlib.sha256()
    files = sorted([*TEMPLATES.rglob("*"), *ASSETS.rglob("*"), ASSETS.parent / "labels.py"])
    for f in files:
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f.relative_to(ASSETS.parent).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    # the words as the catalogues translate them (the .mo files also hold texts no PDF shows)
    words = {lang: [dict(t[lang]) for t in (LABELS, CATEGORIES, UNITS, PAYMENT_MEANS)] for lang in LANGUAGES}
    h.update(json.dumps(words, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def test_template_version_matches_the_bundle() -> None:
    assert BUNDLE_SHA256.get(TEMPLATE_VERSION) == bundle_hash(), (
        "the PDF bundle changed: bump TEMPLATE_VERSION and record the new hash in BUNDLE_SHA256"
    )


def test_every_language_has_every_word() -> None:
    assert (
        set(LANGUAGES) == set(LABELS) == set(LOCALES) == set(CATEGORIES) == set(UNITS) == set(PAYMENT_MEANS)
    )
    for table in (LABELS, CATEGORIES, UNITS, PAYMENT_MEANS):
        keys = {lang: set(words) for lang, words in table.items()}
        assert all(k == keys["en"] for k in keys.values()), keys
        assert all(w.strip() for words in table.values() for w in words.values())
    assert (
        LABELS["nb"]["payable"]
        != LABELS["da"]["payable"]
        != LABELS["sv"]["payable"]
        != LABELS["en"]["payable"]
    )


def test_samples_are_one_page_each_in_their_language() -> None:
    from pdfcheck import page_texts

    from app.config import PROJECT_ROOT

    samples = PROJECT_ROOT / "docs" / "samples"
    for lang in LANGUAGES:
        pages = page_texts((samples / f"invoice-{lang}.pdf").read_bytes())
        assert len(pages) == 1 and LABELS[lang]["payable"] in pages[0], lang
    assert (samples / "invoice-nb.png").read_bytes().startswith(b"\x89PNG")
