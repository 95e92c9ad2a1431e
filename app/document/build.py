"""The parts every document shares: the parties, the VAT category of a rate, the header note, the UUID.

The document itself (order, invoice, credit note) is built by :func:`app.document.invoice.build_document`.
"""

from __future__ import annotations

from decimal import Decimal
from hashlib import sha1
from uuid import NAMESPACE_URL

from app.accounts.profile import SellerProfile
from app.document.buyer import BuyerIdentity
from app.document.model import Address, Contact, DocumentKind, Identifier, Party, TaxCategory
from app.errors import NordublError
from app.forms.models import RegistrationForm
from app.i18n import NP_, format_date, translator

#: VAT rates in force per seller country (percent). A rate outside the list is refused with a hint.
VAT_RATES: dict[str, tuple[Decimal, ...]] = {
    "NO": tuple(Decimal(r) for r in ("25", "15", "12", "0")),
    "DK": tuple(Decimal(r) for r in ("25", "0")),
    "SE": tuple(Decimal(r) for r in ("25", "12", "6", "0")),
}


def document_uuid(seller: SellerProfile, kind: str, doc_id: str) -> str:
    """A stable UUID per seller, document type and number (OIOUBL requires cbc:UUID): ``uuid.uuid5`` of the
    URL namespace, written here without building a ``uuid.UUID`` (most of uuid5's time; RFC 4122 §4.3)."""
    name = f"urn:nordubl:{seller.country}:{seller.org_number}:{kind}:{doc_id}"
    h = bytearray(sha1(NAMESPACE_URL.bytes + name.encode(), usedforsecurity=False).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50  # version 5
    h[8] = (h[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def seller_party(seller: SellerProfile) -> Party:
    scheme = seller.scheme
    return Party(
        name=seller.trading_name or seller.name,
        registration_name=seller.name,
        endpoint=Identifier(seller.org_number, scheme),  # PEPPOL-EN16931-R020: seller electronic address
        identifiers=(Identifier(seller.org_number, scheme),),
        legal_id=Identifier(seller.org_number, scheme),
        # NO-R-002: a Norwegian seller in the Register of Business Enterprises states "Foretaksregisteret"
        legal_form="Foretaksregisteret" if seller.country == "NO" and seller.foretaksregisteret else None,
        vat_id=seller.vat_id,  # NO-R-001: NO + org. no. + MVA
        address=Address(seller.address, seller.address2, seller.city, seller.postcode, seller.country),
        contact=Contact(seller.contact_name, seller.phone, seller.email),
    )


def buyer_party(buyer: BuyerIdentity, seller: SellerProfile, kind: DocumentKind) -> Party:
    """The buyer as a party (BG-7), from the one buyer identity."""
    endpoint = buyer.endpoint
    if endpoint is None:
        # A private person has no Peppol address: the document goes to the seller's own ERP, so the
        # seller's endpoint stands in as the buyer's electronic address (PEPPOL-EN16931-R010 / EHF-T01-B03301).
        endpoint = Identifier(seller.org_number, seller.scheme)
    party_id = buyer.party_id
    danish = seller.country == "DK" and buyer.country == "DK" and kind != "order"
    if danish and party_id is not None and not party_id.scheme:
        # DK-R-013 (Peppol BIS Billing, a Danish seller and a Danish buyer): PartyIdentification must carry
        # a schemeID, and a customer number, e-mail or phone number has none in the ICD list: BT-46 is left
        # out (the customer number stays in the document store and the buyer reference)
        party_id = None
    return Party(
        name=buyer.name,
        registration_name=buyer.name,
        endpoint=endpoint,
        identifiers=(party_id,) if party_id else (),
        legal_id=buyer.legal_id,
        legal_form=None,
        vat_id=buyer.vat_id,
        address=buyer.address,
        contact=buyer.contact,
    )


def category(rate: Decimal, field: str, country: str) -> TaxCategory:
    """The VAT category of a rate the seller's country knows; other rates are refused with a hint."""
    allowed = VAT_RATES.get(country)
    if allowed is not None and rate not in allowed:
        rates = ", ".join(f"{r} %" for r in allowed)
        raise NordublError.of(
            "input.vat_rate",
            field,
            title="The form cannot become a valid document",
            value=str(rate),
            variant="country",
            country=country,
            rates=rates,
        )
    if rate > 0:
        return TaxCategory("S", rate.normalize())  # BR-S-05: standard rate above zero
    return TaxCategory("Z", Decimal("0"))  # BR-Z-05: zero-rated, rate 0


def header_note(form: RegistrationForm, lang: str = "en") -> str | None:
    """Source 002: the activity's ID, title, start date and location go into the header note (BT-22), with
    the payment of a prepaid order, in the account's language ``lang``."""
    parts = []
    if form.activity:
        a = form.activity
        bits = [f"{a.title} (ID {a.id})"]
        if a.start_date:
            bits.append(format_date(a.start_date, lang, "short"))
        if a.location:
            bits.append(a.location)
        parts.append(", ".join(bits))
    if form.note:
        parts.append(form.note)
    pay = form.payment
    if pay and pay.status == "paid":
        parts.append(paid_note(lang, pay.method, pay.reference))
    return " — ".join(parts) or None


#: The shop's payment method in words where it is a kind of payment rather than a brand (msgctxt
#: "payment method"): "card" reads "kort", "bank transfer" "bankoverføring"; Vipps, MobilePay, Swish, Stripe
#: and Klarna are names and stay as sent. Keys are the method casefolded, without spaces, "-" or "_".
METHOD_NAMES: dict[str, str] = {
    "card": NP_("payment method", "card"),
    "creditcard": NP_("payment method", "card"),
    "debitcard": NP_("payment method", "card"),
    "invoice": NP_("payment method", "invoice"),
    "banktransfer": NP_("payment method", "bank transfer"),
    "bank": NP_("payment method", "bank transfer"),
    "transfer": NP_("payment method", "bank transfer"),
    "cash": NP_("payment method", "cash"),
    "giftcard": NP_("payment method", "gift card"),
    "voucher": NP_("payment method", "voucher"),
}


def method_name(lang: str, method: str) -> str:
    """The payment method as the language says it (:data:`METHOD_NAMES`), else as the shop sent it."""
    key = method.casefold().replace(" ", "").replace("-", "").replace("_", "")
    english = METHOD_NAMES.get(key)
    return translator(lang).pgettext("payment method", english) if english else method


def paid_note(lang: str, method: str | None, reference: str | None) -> str:
    """Source 004: how a prepaid order was paid ("Betalt med kort, referanse 123.")."""
    t = translator(lang)
    method = method_name(lang, method) if method else method
    if method and reference:
        return t.gettext("Paid by {method}, reference {reference}.").format(
            method=method, reference=reference
        )
    if method:
        return t.gettext("Paid by {method}.").format(method=method)
    if reference:
        return t.gettext("Paid, reference {reference}.").format(reference=reference)
    return t.gettext("Paid.")
