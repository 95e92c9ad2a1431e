"""Issue 18 (4): the file name of a download is data (an order id): every ``Content-Disposition`` the service
sends is RFC 6266, an ASCII ``filename`` and, when the name is not plain ASCII, ``filename*`` (RFC 8187)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from shopfixtures import SELLER_NO, Shop, form
from werkzeug.http import parse_options_header

from app.api.disposition import content_disposition

#: RFC 6266 §4.1 with one ``filename`` (a quoted-string holding no quote nor backslash) and at most one
#: ``filename*`` (RFC 8187 §3.2.1: charset'language'value-chars).
HEADER = re.compile(
    r'(?P<type>inline|attachment); filename="(?P<ascii>[\x20\x21\x23-\x5b\x5d-\x7e]+)"'
    r"(?:; filename\*=UTF-8''(?P<ext>[A-Za-z0-9!#$&+\-.^_`|~%]+))?"
)

ODD_IDS = ["Ordre–123", "ORD-€-1", "ORD-😀", 'Q"; filename="evil.html', "ORD\r\nSet-Cookie: a=b", "../../etc"]


def parsed(value: str) -> tuple[str, str]:
    """(the ASCII fallback, the name a reader takes): one filename whichever parser reads the header."""
    m = HEADER.fullmatch(value)
    assert m, value
    assert "\r" not in value and "\n" not in value
    name = unquote(m["ext"], errors="strict") if m["ext"] else m["ascii"]
    # a reader of RFC 2231/8187 parameters (Werkzeug's, a dependency of moto's server) takes that name
    kind, params = parse_options_header(value)
    assert (kind, params) == (m["type"], {"filename": name}), (kind, params)
    return m["ascii"], name


@pytest.mark.parametrize("order_id", ODD_IDS)
def test_an_order_with_any_id_can_be_stored_and_its_xml_downloaded(shop: Shop, order_id: str) -> None:
    acc = shop.account(SELLER_NO)
    r = shop.post(acc, "/v1/shop-orders", form(order_id))
    assert r.status_code == 201, r.text
    document = next(d for d in r.json()["documents"] if d["kind"] == "order")
    xml = shop.get(acc, f"/v1/documents/{document['id']}.xml")
    assert xml.status_code == 200, xml.text
    assert xml.content.startswith(b"<?xml")
    fallback, name = parsed(xml.headers["content-disposition"])
    assert fallback.endswith(".xml") and name.endswith(".xml")
    assert "evil.html" not in fallback or fallback.endswith("evil.html.xml")
    assert "/" not in name and "\\" not in name and "\r" not in name and "\n" not in name
    if order_id in ("Ordre–123", "ORD-€-1", "ORD-😀"):
        assert name == f"order-{order_id}.xml"  # the real name, percent-encoded in filename*
    if order_id.startswith("Q"):
        assert name == 'order-Q"; filename="evil.html.xml'  # one name, quotes and all
        assert fallback == "order-Q_filename_evil.html.xml"


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("Faktura-F-1001.pdf", 'inline; filename="Faktura-F-1001.pdf"'),
        (
            "Faktura-Møller-Ærø.pdf",
            "inline; filename=\"Faktura-Moller-AEro.pdf\"; filename*=UTF-8''Faktura-M%C3%B8ller-%C3%86r%C3%B8.pdf",
        ),
        (
            "order-ORD-€-1.xml",
            "inline; filename=\"order-ORD-_-1.xml\"; filename*=UTF-8''order-ORD-%E2%82%AC-1.xml",
        ),
        (
            "a\r\nSet-Cookie: x=1.xml",
            "inline; filename=\"a__Set-Cookie_x_1.xml\"; filename*=UTF-8''a__Set-Cookie%3A%20x%3D1.xml",
        ),
        ('x\\"; a=b.xml', "inline; filename=\"x__a_b.xml\"; filename*=UTF-8''x_%22%3B%20a%3Db.xml"),
        ("..\\..\\boot.ini", "inline; filename=\"boot.ini\"; filename*=UTF-8''_.._boot.ini"),
        ("\u202egnp.exe", "inline; filename=\"gnp.exe\"; filename*=UTF-8''_gnp.exe"),
        ("😀.pdf", "inline; filename=\"download.pdf\"; filename*=UTF-8''%F0%9F%98%80.pdf"),
        ("", 'inline; filename="download"'),
    ],
)
def test_one_sanitiser_for_every_header(name: str, header: str) -> None:
    assert content_disposition(name) == header
    parsed(header)


def test_long_names_are_cut_and_keep_their_extension() -> None:
    value = content_disposition("x" * 1000 + ".xml", "attachment")
    fallback, name = parsed(value)
    assert value.startswith("attachment;") and fallback == name == "x" * 150 + ".xml"
