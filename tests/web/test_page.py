"""The page without a browser: language choice, headers, assets, translations."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import app
from app.api.routes.page import ASSET_TYPES
from app.web.i18n import LANGS, STRINGS, negotiate, strings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize(
    ("query", "header", "lang"),
    [
        (None, None, "en"),
        ("nb", "da", "nb"),
        ("no", None, "nb"),
        ("NN", None, "nb"),
        ("da", None, "da"),
        ("fr", "da-DK,da;q=0.9,en;q=0.5", "da"),  # an unknown ?lang= falls back to the header
        (None, "fi-FI, nb;q=0.8, da;q=0.9", "da"),  # highest quality among ours
        (None, "sv-SE, nb;q=0.8", "sv"),
        (None, "nn-NO, da;q=0.9", "nb"),  # nynorsk reads as bokmål before the next range
        (None, "nb-NO;q=0.5, en;q=0.5", "nb"),  # equal quality: the first one
        (None, "da;q=0, en", "en"),  # q=0 means "not acceptable"
        (None, "de, fr;q=0.9", "en"),
        (None, "da;q=abc", "en"),
    ],
)
def test_language_negotiation(query: str | None, header: str | None, lang: str) -> None:
    assert negotiate(query, header) == lang


def test_every_text_exists_in_every_language_with_the_same_placeholders() -> None:
    texts = {lang: strings(lang) for lang in LANGS}
    assert set(LANGS) == {"en", "nb", "da", "sv"}
    for key in STRINGS:
        assert all(texts[lang][key].strip() for lang in LANGS), key
        assert {tuple(sorted(re.findall(r"\{(\w+)\}", texts[lang][key]))) for lang in LANGS} == {
            tuple(sorted(re.findall(r"\{(\w+)\}", texts["en"][key])))
        }, key
    assert strings("da")["choose"] == "Vælg filer" and strings("sv")["choose"] == "Välj filer"
    # the document types a report names and the CSV's header row are translated too
    assert strings("nb")["doctype_CreditNote"] == "Kreditnota" and strings("sv")["csv_severity"] != "severity"


@pytest.mark.parametrize("path", ["/", "/validate"])
def test_page_in_the_header_language(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-language"] == "nb" and "Accept-Language" in r.headers["vary"]
    assert '<html lang="nb">' in r.text and "Valider UBL-dokumenter" in r.text and "Velg filer" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_page_config_names_the_routes_it_calls(client: TestClient) -> None:
    r = client.get("/?lang=da")
    assert "Vælg filer" in r.text
    assert '"batchUrl": "/v1/validate/batch"' in r.text and '"renderUrl": "/v1/render"' in r.text
    assert '"documentsUrl": "/v1/documents"' in r.text and 'id="account-form"' in r.text
    assert "1\u202f000 dokumenter og 128 MB pr. upload, 64 MB pr. dokument" in r.text
    for name in ASSET_TYPES:
        assert re.search(rf'/web/{re.escape(name)}\?v=[0-9a-f]{{12}}"', r.text), name


def test_the_page_carries_its_hints_and_csv_separator_in_its_language(client: TestClient) -> None:
    import json

    from app.validation.hints import HINTS

    def config(lang: str) -> dict[str, object]:
        page = client.get(f"/?lang={lang}").text
        found = re.search(r'<script type="application/json" id="config">(.*?)</script>', page, re.S)
        assert found
        return dict(json.loads(found.group(1)))

    sv, en = config("sv"), config("en")
    assert sv["csvSeparator"] == ";" and en["csvSeparator"] == ","
    hints = sv["hints"]
    assert isinstance(hints, dict) and set(HINTS.values()) <= set(hints)
    assert hints[HINTS["BR-CO-15"]] == "TaxInclusiveAmount ska vara TaxExclusiveAmount + momstotalen."
    assert en["hints"] == {}  # English hints are shown as the report gives them


def test_query_text_never_reaches_the_page_unescaped(client: TestClient) -> None:
    r = client.get("/", params={"lang": '"><script>alert(1)</script>'})
    assert r.status_code == 200 and "<script>alert(1)" not in r.text
    assert r.headers["content-language"] == "en"


def test_assets_are_served_with_their_types_and_nothing_else(client: TestClient) -> None:
    for name, media in ASSET_TYPES.items():
        r = client.get(f"/web/{name}")
        assert r.status_code == 200 and r.headers["content-type"] == media and r.content
    for name in ("../routes.py", "i18n.py", "validate.html", "%2e%2e%2fconfig.py"):
        r = client.get(f"/web/{name}")
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json", name
