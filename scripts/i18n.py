"""Extract the service's texts, update the catalogues, compile them (Babel's extract/update/compile).

    python scripts/i18n.py            # extract from app/, update every .po, compile every .mo
    python scripts/i18n.py --check    # exit 1 when a .po or .mo is not what the code and the .po give

The same as ``pybabel extract -k N_ -k NP_:1c,2 app`` + ``pybabel update`` + ``pybabel compile``, with
the options fixed here (no source locations, so a moved line changes no catalogue). New msgids arrive with
an empty msgstr in every language: translate them in ``app/locale/<lang>/LC_MESSAGES/nordubl.po`` and run
the script again; the tests fail while one is empty.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
sys.path.insert(0, str(ROOT))

from app.i18n import DOMAIN, LANGUAGES, LOCALE_DIR  # noqa: E402

KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NP_": ((1, "c"), 2)}
METHODS = [("**.py", "python")]
WIDTH = 110
HEADER_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract() -> Catalog:
    """Every msgid marked in ``app/`` (the template catalogue, ``.pot``)."""
    template = Catalog(project="nordubl", domain=DOMAIN, fuzzy=False)
    for _filename, _lineno, message, comments, context in extract_from_dir(
        str(APP), METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="nordubl", fuzzy=False)
    with path.open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def updated(lang: str, template: Catalog) -> Catalog:
    """The language's catalogue with the template's msgids: new ones empty, gone ones dropped (no fuzzy
    matching: a changed English text is a new msgid to translate, never an old translation guessed)."""
    catalog = read(lang)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    # a fixed header: the catalogue changes only when a text does (git keeps the dates)
    catalog.creation_date = catalog.revision_date = HEADER_DATE
    catalog.last_translator = catalog.language_team = "nordubl"
    catalog.project, catalog.version, catalog.msgid_bugs_address = "nordubl", "1", ""
    catalog.header_comment = (
        f"# The {Locale.parse(lang).english_name} texts of nordubl: translate every msgstr; see docs/i18n.md.\n"
        "# scripts/i18n.py adds new msgids here and compiles this file into nordubl.mo."
    )
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, no_location=True, omit_header=False, include_previous=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when out of date")
    args = parser.parse_args(argv)
    template = extract()
    stale = []
    for lang in LANGUAGES:
        catalog = updated(lang, template)
        po = po_bytes(catalog)
        # the .mo of what the .po will say: read back, so the header is the one written
        mo = mo_bytes(read_po(io.BytesIO(po), locale=lang, domain=DOMAIN))
        for path, data in ((po_path(lang), po), (mo_path(lang), mo)):
            if path.exists() and path.read_bytes() == data:
                continue
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        empty = [m.id for m in catalog if m.id and lang != "en" and not _translated(m.string)]
        if empty:
            print(f"{lang}: {len(empty)} msgid(s) without a translation", file=sys.stderr)
    for path in stale:
        print(f"{'out of date' if args.check else 'written'}: {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


def _translated(value: object) -> bool:
    if isinstance(value, tuple | list):
        return all(value)
    return bool(value)


if __name__ == "__main__":
    raise SystemExit(main())
