"""The parties of the PDF: seller, buyer, tax representative, payee and delivery place, each as its name,
address lines and labelled identifiers (BT-29…BT-34, BT-46…BT-49, BG-10, BG-11, BG-13)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import phonenumbers
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from app.document.model import Address, BusinessDocument, Identifier, Party
from app.pdf.formatter import Formatter

View = dict[str, Any]


# -- identifiers ---------------------------------------------------------------------------------------------


def format_id(ident: Identifier) -> str:
    try:
        if ident.scheme == "0192":
            return str(no_orgnr.format(ident.value))
        if ident.scheme == "0007":
            return str(se_orgnr.format(ident.value))
    except Exception:  # noqa: S110 - a value that does not validate prints as given
        pass
    return ident.value


_KNOWN_SCHEMES = frozenset({"0192", "0007", "0184", "0088"})


def id_label(f: Formatter, scheme: str | None, fallback: str) -> str:
    return {
        "0192": f.t["org_no"],
        "0007": f.t["org_no"],
        "0184": f.t["cvr_no"],
        "0088": f.t["gln"],
    }.get(scheme or "", fallback)


def phone(value: str, country: str) -> str:
    """A telephone number in international notation (+47 22 33 44 55) when it parses; else as given."""
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def row(label: str, value: str) -> dict[str, str]:
    return {"label": label, "value": value}


def address_lines(f: Formatter, a: Address, home: str) -> list[str]:
    city = " ".join(x for x in (a.postcode, a.city) if x)
    lines = [x for x in (a.street, a.additional, a.line3, city, a.subdivision) if x]
    if a.country and a.country != home:
        lines.append(f.country(a.country))
    return lines


def party_view(f: Formatter, p: Party, home: str, buyer: bool) -> View:
    """Name, address and identifiers (BT-29/30/31/33/34 for the seller, BT-46/47/48/49 for the buyer)."""
    ids: list[dict[str, str]] = []
    shown: set[str] = set()
    vat = p.vat_id
    # OIOUBL writes any legal id but a CVR number with scheme ZZZ: a party identifier or endpoint with
    # the same value says what it is (GLN, Norwegian or Swedish organisation number)
    named = {i.value: i.scheme for i in (*p.identifiers, p.endpoint) if i and i.scheme in _KNOWN_SCHEMES}
    legal = p.legal_id
    if legal and legal.scheme not in _KNOWN_SCHEMES and legal.value in named:
        legal = Identifier(legal.value, named[legal.value])
    if legal:
        label = id_label(f, legal.scheme, f.t["org_no"])
        value = format_id(legal)
        # Norway: "Org.nr. 991 825 827 MVA" when the VAT number is the organisation number + MVA
        if legal.scheme == "0192" and vat and vat.replace(" ", "").upper() == f"NO{legal.value}MVA":
            value = f"{value} {f.t['vat_suffix']}"
            vat = None
        ids.append(row(label, value))
        shown.add(legal.value)
    if vat:
        ids.append(row(f.t["vat_no"], vat))
    for ident in p.identifiers:
        if ident.value in shown:
            continue
        shown.add(ident.value)
        ids.append(row(id_label(f, ident.scheme, f.t["party_id"] if buyer else "ID"), format_id(ident)))
    if p.endpoint and p.endpoint.scheme == "0088" and p.endpoint.value not in shown:
        ids.append(row(f.t["gln"], p.endpoint.value))  # the EAN location number an OIOUBL invoice goes to
    extra = [x for x in (p.legal_form, p.company_legal_form) if x]  # BT-33 ("Foretaksregisteret", NO-R-002)
    contact: list[dict[str, str]] = []
    if p.contact:
        if p.contact.name:
            contact.append(row(f.t["contact"], p.contact.name))
        if p.contact.phone:
            contact.append(row(f.t["phone"], phone(p.contact.phone, p.address.country)))
        if p.contact.email:
            contact.append(row(f.t["email"], p.contact.email))
    return {
        "name": p.name,
        "legal_name": p.registration_name if p.registration_name != p.name else "",
        "address": address_lines(f, p.address, home),
        "ids": ids,
        "legal_form": extra,
        "contact": contact,
    }


def party_block(f: Formatter, name: str, ident: Iterable[tuple[str, Identifier | None]]) -> View:
    return {
        "name": name,
        "ids": [row(label, format_id(i)) for label, i in ident if i is not None],
    }


def delivery_view(f: Formatter, doc: BusinessDocument, home: str) -> View | None:
    """BG-13: where the goods went, when the document says more than a date."""
    d = doc.delivery
    if not (d and (d.address or d.party_name or d.location_id)):
        return None
    return {
        "name": d.party_name or "",
        "address": address_lines(f, d.address, home) if d.address else [],
        "ids": [row(id_label(f, d.location_id.scheme, "ID"), d.location_id.value)] if d.location_id else [],
    }


def payee_view(f: Formatter, doc: BusinessDocument) -> View | None:
    """BG-10: the payee, when it is not the seller (BT-59, BT-60, BT-61)."""
    p = doc.payee
    if p is None:
        return None
    return party_block(
        f,
        p.name,
        [
            (id_label(f, p.identifier.scheme if p.identifier else None, "ID"), p.identifier),
            (id_label(f, p.legal_id.scheme if p.legal_id else None, f.t["org_no"]), p.legal_id),
        ],
    )
