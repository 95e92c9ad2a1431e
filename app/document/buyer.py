"""One buyer identity: who the buyer is, made once from the form (and the account's customer), read by the
document builder and the profile presets. Nothing downstream re-derives kind, scheme or reference.

* **Kind.** An EAN/GLN number makes a public (EAN) customer, a company number a company, anyone else a
  private person (source 001). The company number and the EAN may come from a shop custom field the account
  names (``customers.company_number_field`` / ``ean_field``): they reach the document too.
* **Legal id.** The company number with the ICD of its country (0192, 0184, 0007; the one table in
  :mod:`app.forms.identifiers`).
* **Electronic address** (BT-49). The GLN of a public customer, a company's number in its ICD, and for a
  private person none: a private person has no Peppol address, so the seller's own endpoint stands in
  (the document goes to the seller's own ERP), see :func:`app.document.build.buyer_party`.
* **Private persons** are identified by e-mail or mobile number: a sign-up account by mobile (source 002,
  also the stateless CLI and anonymous calls, which read registration forms), a shop account by e-mail
  (source 001), each falling back to the other.
* **Buyer reference** (BT-10). The form's reference when it has one; otherwise the account's choice, by
  default the contact person's name ("Deres ref."), else the customer number, else the order id, so
  PEPPOL-EN16931-R003 never refuses an order that has no PO number (private buyers never have one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.accounts.settings import CustomerSettings
from app.customers.classify import classify
from app.document.model import Address, Contact, Identifier
from app.forms import identifiers
from app.forms.models import RegistrationForm

BuyerKind = Literal["private", "company", "public"]
PrivateId = Literal["email", "mobile"]
#: Where BT-10 came from: the form, or one of the fallbacks.
ReferenceSource = Literal["form", "contact", "customer_number", "order_id"]
#: The first fallback an account tries for BT-10 (each falls through to the next when empty).
ReferencePolicy = Literal["contact", "customer_number", "order_id"]
REFERENCE_CHAIN: tuple[ReferencePolicy, ...] = ("contact", "customer_number", "order_id")


@dataclass(frozen=True)
class BuyerIdentity:
    kind: BuyerKind
    country: str
    name: str  # BT-44
    #: BT-47: the company number with its ICD
    legal_id: Identifier | None
    vat_id: str | None  # BT-48
    #: The EAN/GLN location number of a public customer (source 001): BT-49 with scheme 0088
    ean: str | None
    contact: Contact  # BG-9 (the EAN reference person for EAN customers)
    #: The account's customer number (source 000): BT-46 where the profile allows it
    customer_number: str | None
    #: A private person's identifying e-mail or mobile number (source 001/002)
    private_id: Identifier | None
    buyer_reference: str  # BT-10
    reference_source: ReferenceSource
    order_reference: str | None  # BT-13: the EAN requisition number (source 001)
    address: Address

    @property
    def endpoint(self) -> Identifier | None:
        """BT-49, or None for a private person (the seller's endpoint stands in)."""
        if self.ean:
            return Identifier(self.ean, identifiers.GLN_SCHEME)
        if self.legal_id is not None and self.legal_id.scheme:
            return self.legal_id
        return None

    @property
    def party_id(self) -> Identifier | None:
        """BT-46: the customer number, else the company number, else the private person's e-mail/mobile."""
        if self.customer_number:
            return Identifier(self.customer_number)
        return self.legal_id or self.private_id


def identify(
    form: RegistrationForm,
    *,
    rules: CustomerSettings | None = None,
    customer_number: str | None = None,
    ean: str | None = None,
    reference: ReferencePolicy = "contact",
    private_by: PrivateId = "mobile",
) -> BuyerIdentity:
    """The buyer of ``form``. ``ean`` is the EAN the account's customer resolution chose (a public body has
    one per department); ``rules`` names the shop custom fields that carry a company number or an EAN."""
    c = form.customer
    classified = classify(c, rules or CustomerSettings())
    ean = ean or classified.ean
    org = classified.org_number
    scheme = identifiers.SCHEME_BY_COUNTRY.get(c.country)
    legal_id = Identifier(org, scheme) if org else None
    kind: BuyerKind = "public" if ean else "company" if org else "private"
    contact_name = c.ean_reference_person or c.contact_name
    private_id: Identifier | None = None
    if kind == "private":
        order = (c.mobile, c.email) if private_by == "mobile" else (c.email, c.mobile)
        first = next((v for v in order if v), None)
        private_id = Identifier(first) if first else None
    ref, source = _reference(form, contact_name, customer_number or c.customer_number, reference)
    return BuyerIdentity(
        kind=kind,
        country=c.country,
        name=c.name,
        legal_id=legal_id,
        vat_id=c.vat_number,
        ean=ean,
        contact=Contact(contact_name, c.mobile, c.email),
        customer_number=customer_number,
        private_id=private_id,
        buyer_reference=ref,
        reference_source=source,
        order_reference=c.ean_requisition,
        address=Address(c.address, c.address2, c.city, c.postcode, c.country),
    )


def _reference(
    form: RegistrationForm, contact: str | None, number: str | None, policy: ReferencePolicy
) -> tuple[str, ReferenceSource]:
    """BT-10: the form's reference, else the first filled value of the chain from ``policy`` on."""
    given = form.customer.external_invoice_reference
    if given:
        return given, "form"
    values: dict[ReferencePolicy, str | None] = {
        "contact": contact,
        "customer_number": number,
        "order_id": form.order_id,
    }
    for step in REFERENCE_CHAIN[REFERENCE_CHAIN.index(policy) :]:
        value = values[step]
        if value:
            return value, step
    return form.order_id, "order_id"  # the order id is never empty
