"""The matrix's data and its checks: the forms of every case, the amounts a person computes from a form,
and the read-back of a generated UBL document (lxml, no project code), one problem string per finding.

Kept apart from the test module so the data can be read (and checked for valid identifiers) on its own.
Every problem string starts with a short tag (``payable:``, ``buyer-id:`` …): the tags group the failures.
"""

from __future__ import annotations

import copy
import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from stdnum import iban

from app.config import PROJECT_ROOT

# -- the dimensions -------------------------------------------------------------------------------------

SELLERS = ("NO", "DK", "SE")
CUSTOMERS = (
    "private",
    "company_contact",
    "company_no_contact",
    "dk_public_ean",
    "foreign_private",
    "cross_border_company",
)
DOCUMENTS = ("order", "invoice", "creditnote")
VARIANTS = ("plain", "prepaid_card", "vat_inclusive", "fees", "half_cent", "mixed_rates")

ACCOUNTS = PROJECT_ROOT / "fixtures" / "accounts"
SELLER_FILES = {c: ACCOUNTS / f"demo-{c.lower()}.json" for c in SELLERS}
CURRENCY = {"NO": "NOK", "DK": "DKK", "SE": "SEK"}
#: cross_border_company: the company's country for each seller (each seller meets another profile rule:
#: NO → a Danish CVR company (OIOUBL), DK → a Swedish company (Peppol), SE → a Norwegian company (EHF))
CROSS_BORDER = {"NO": "DK", "DK": "SE", "SE": "NO"}
#: mixed_rates: the standard rate (25 % everywhere) and the country's reduced rate (DK: zero-rated)
REDUCED_RATE = {"NO": "15", "DK": "0", "SE": "12"}
ORDER_DATE = "2026-11-20"


@dataclass(frozen=True, order=True)
class Case:
    seller: str
    customer: str
    document: str
    variant: str

    def __str__(self) -> str:
        return f"{self.seller}-{self.customer}-{self.document}-{self.variant}"

    @property
    def form_key(self) -> tuple[str, str, str]:
        """The three documents of one (seller, customer, variant) are made from the same form."""
        return (self.seller, self.customer, self.variant)


CASES: list[Case] = [
    Case(s, c, d, v) for s, c, d, v in itertools.product(SELLERS, CUSTOMERS, DOCUMENTS, VARIANTS)
]

# -- expected refusals ----------------------------------------------------------------------------------

#: (seller, customer, variant, document) patterns ("|" separates alternatives, "*" is any) → the coded issue
#: (code, field) the case must be refused with. A listed case that yields a document fails as well.
EXPECTED_REFUSALS: dict[tuple[str, str, str, str], tuple[str, str]] = {
    # none: every case of the matrix gives a document. (OIOUBL carries one standard VAT rate per invoice,
    # F-LIB315: a Danish EAN customer of a NO or SE seller with two standard rates gets Peppol BIS instead,
    # see expected_profile.)
}


def _matches(pattern: str, value: str) -> bool:
    return pattern == "*" or value in pattern.split("|")


def expected_refusal(case: Case) -> tuple[str, str] | None:
    for (seller, customer, variant, document), issue in EXPECTED_REFUSALS.items():
        if (
            _matches(seller, case.seller)
            and _matches(customer, case.customer)
            and _matches(variant, case.variant)
            and _matches(document, case.document)
        ):
            return issue
    return None


# -- the forms ------------------------------------------------------------------------------------------

PRIVATE: dict[str, dict[str, str]] = {
    "NO": {
        "country": "NO",
        "first_name": "Ingrid",
        "last_name": "Solberg",
        "email": "ingrid.solberg@example.no",
        "mobile": "+4741234567",
        "address": "Torget 1",
        "postcode": "7010",
        "city": "Trondheim",
    },
    "DK": {
        "country": "DK",
        "first_name": "Mette",
        "last_name": "Jensen",
        "email": "mette.jensen@example.dk",
        "mobile": "+4520123456",
        "address": "Nørregade 5",
        "postcode": "1165",
        "city": "København K",
    },
    "SE": {
        "country": "SE",
        "first_name": "Anna",
        "last_name": "Lindqvist",
        "email": "anna.lindqvist@example.se",
        "mobile": "+46701234567",
        "address": "Storgatan 3",
        "postcode": "41138",
        "city": "Göteborg",
    },
    "DE": {
        "country": "DE",
        "first_name": "Lukas",
        "last_name": "Schmidt",
        "email": "lukas.schmidt@example.de",
        "mobile": "+4915123456789",
        "address": "Hauptstraße 5",
        "postcode": "10115",
        "city": "Berlin",
    },
}

COMPANY: dict[str, dict[str, str]] = {
    "NO": {
        "country": "NO",
        "org_number": "974760673",
        "company_name": "Brønnøysundregistrene",
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "faktura@brreg.example.no",
        "address": "Havnegata 48",
        "postcode": "8900",
        "city": "Brønnøysund",
    },
    "DK": {
        "country": "DK",
        "org_number": "13585628",
        "company_name": "Byggemarked Vest A/S",
        "first_name": "Søren",
        "last_name": "Madsen",
        "email": "bogholderi@byggemarked.example.dk",
        "address": "Vestergade 20",
        "postcode": "8000",
        "city": "Aarhus C",
    },
    "SE": {
        "country": "SE",
        "org_number": "5565475489",
        "company_name": "Byggvaror Syd AB",
        "first_name": "Lars",
        "last_name": "Berg",
        "email": "ekonomi@byggvaror.example.se",
        "address": "Stortorget 1",
        "postcode": "21122",
        "city": "Malmö",
    },
}

#: A Danish public body: EAN (GLN) location number, requisition number, reference person, CVR.
#: The person who placed the order is named too (first/last name), as the shops send it.
EAN_CUSTOMER: dict[str, str] = {
    "country": "DK",
    "company_name": "Den Lille Skole",
    "org_number": "29403473",
    "ean": "5798009882806",
    "ean_requisition": "REK-2026-118",
    "ean_reference_person": "Hans Hansen",
    "first_name": "Hans",
    "last_name": "Hansen",
    "email": "hans.hansen@dls.example.dk",
    "address": "Fredericiavej 10",
    "postcode": "3000",
    "city": "Helsingør",
}

COMPANY_KINDS = ("company_contact", "company_no_contact", "cross_border_company")
PRIVATE_KINDS = ("private", "foreign_private")


def customer_block(seller: str, kind: str) -> dict[str, str]:
    if kind == "private":
        return dict(PRIVATE[seller])
    if kind == "company_contact":
        return dict(COMPANY[seller])
    if kind == "company_no_contact":
        return {k: v for k, v in COMPANY[seller].items() if k not in ("first_name", "last_name")}
    if kind == "dk_public_ean":
        return dict(EAN_CUSTOMER)
    if kind == "foreign_private":
        return dict(PRIVATE["DE"])
    if kind == "cross_border_company":
        return dict(COMPANY[CROSS_BORDER[seller]])
    raise AssertionError(kind)


def _product(number: str, name: str, price: str, rate: str, quantity: str) -> dict[str, str]:
    return {"product_number": number, "name": name, "price": price, "vat_rate": rate, "quantity": quantity}


PLAIN_LINES = [
    _product("KURS-01", "Kurs", "1490.00", "25", "1"),
    _product("BOK-01", "Kursbok", "349.50", "25", "2"),
]


def products(seller: str, variant: str) -> list[dict[str, str]]:
    if variant in ("plain", "prepaid_card", "fees"):
        return copy.deepcopy(PLAIN_LINES)
    if variant == "vat_inclusive":
        # gross 33.33 × 3 and 33.33 × 1 at 25 %: nets 79.99 + 26.66 = 106.65, VAT 26.66, 133.31, while the
        # shop charged 133.32: one cent the document must place (line or rounding amount)
        return [
            _product("KAFFE-01", "Kaffe", "33.33", "25", "3"),
            _product("TE-01", "Te", "33.33", "25", "1"),
        ]
    if variant == "half_cent":
        # taxable 10.10 + 2 × 4.00 = 18.10 at 25 %: VAT 4.525 exactly, half-up 4.53 (half-even: 4.52).
        # One rate per document, the standard rate every seller country has: 12 % (SE) never gives an exact
        # half cent on a 2-decimal amount (12·n ≡ 50 mod 100 has no solution); NO's 15 % does, and
        # mixed_rates holds one (20.30 × 15 % = 3.045 → 3.05).
        return [
            _product("PROVE-01", "Vareprøve", "10.10", "25", "1"),
            _product("POSE-01", "Pose", "4.00", "25", "2"),
        ]
    if variant == "mixed_rates":
        reduced = {
            "NO": _product("LUNSJ-01", "Lunsj", "20.30", "15", "1"),
            "DK": _product("AVIS-01", "Dagblad", "120.00", "0", "1"),
            "SE": _product("LUNCH-01", "Lunch", "120.50", "12", "1"),
        }[seller]
        assert reduced["vat_rate"] == REDUCED_RATE[seller]
        return [_product("KURS-01", "Kurs", "499.00", "25", "1"), reduced]
    raise AssertionError(variant)


def order_id(seller: str, customer: str, variant: str) -> str:
    return f"MX-{seller}-{customer}-{variant}".replace("_", "")


def build_form(seller: str, customer: str, variant: str) -> dict[str, Any]:
    """The form of (seller, customer, variant): no reference fields (no external_invoice_reference, no
    customer_number, no payment_id, no invoice_number) besides the EAN customer's requisition number."""
    oid = order_id(seller, customer, variant)
    form: dict[str, Any] = {
        "order_id": oid,
        "order_date": ORDER_DATE,
        "currency": CURRENCY[seller],
        "customer": customer_block(seller, customer),
        "products": products(seller, variant),
    }
    if variant == "prepaid_card":
        form["payment"] = {"status": "paid", "method": "card", "reference": f"CARD-{oid}"}
    elif variant == "vat_inclusive":
        form["prices_include_vat"] = True
    elif variant == "fees":
        form["fees"] = [
            {"kind": "freight", "amount": "149.00", "vat_rate": "25"},
            {"kind": "payment", "amount": "29.00", "vat_rate": "25"},
        ]
    return form


FORMS: dict[tuple[str, str, str], dict[str, Any]] = {
    (s, c, v): build_form(s, c, v) for s, c, v in itertools.product(SELLERS, CUSTOMERS, VARIANTS)
}

# -- what a person computes from a form -------------------------------------------------------------------

CENT = Decimal("0.01")


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Expected:
    gross_mode: bool
    #: net mode: rate → (taxable, VAT); VAT-inclusive mode: rate → (sum of derived line nets, 0)
    by_rate: dict[Decimal, tuple[Decimal, Decimal]]
    #: VAT-inclusive mode: rate → (gross charged, number of lines and fees)
    gross_by_rate: dict[Decimal, tuple[Decimal, int]]
    vat_total: Decimal  # net mode only
    before_prepaid: Decimal
    paid: bool

    def payable(self, document: str, profile: str) -> Decimal:
        # the form pays the whole order by card (no payment.amount): an invoice asks nothing more, nor does
        # a prepaid order (PrepaidAmount in its anticipated totals) — but OIOUBL's order has no
        # PrepaidPayment (F-ORD121) and states the whole amount; a credit note states the whole amount
        if self.paid and (document == "invoice" or (document == "order" and profile != "oioubl")):
            return Decimal("0.00")
        return self.before_prepaid


def expected_amounts(form: dict[str, Any]) -> Expected:
    gross_mode = bool(form.get("prices_include_vat"))
    amounts: list[tuple[Decimal, Decimal]] = []  # (rate, amount as the form states it, rounded to cents)
    for p in form["products"]:
        amounts.append((Decimal(p["vat_rate"]), half_up(Decimal(p["quantity"]) * Decimal(p["price"]))))
    for f in form.get("fees", []):
        amounts.append((Decimal(f["vat_rate"]), Decimal(f["amount"])))
    paid = (form.get("payment") or {}).get("status") == "paid"
    if not gross_mode:
        taxable: dict[Decimal, Decimal] = defaultdict(Decimal)
        for rate, amount in amounts:
            taxable[rate] += amount
        by_rate = {r.normalize(): (t, half_up(t * r / 100)) for r, t in taxable.items()}
        vat = sum((v for _, v in by_rate.values()), Decimal("0.00"))
        net = sum((t for t, _ in by_rate.values()), Decimal("0.00"))
        return Expected(False, by_rate, {}, vat, net + vat, paid)
    gross: dict[Decimal, tuple[Decimal, int]] = {}
    nets: dict[Decimal, Decimal] = defaultdict(Decimal)
    for rate, amount in amounts:
        g, n = gross.get(rate.normalize(), (Decimal("0.00"), 0))
        gross[rate.normalize()] = (g + amount, n + 1)
        nets[rate.normalize()] += half_up(amount / (1 + rate / 100))  # the net of each line, derived
    total = sum((g for g, _ in gross.values()), Decimal("0.00"))
    return Expected(True, {r: (n, Decimal(0)) for r, n in nets.items()}, gross, Decimal(0), total, paid)


# -- reading a document back ----------------------------------------------------------------------------

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
ROOTS = {"order": "Order", "invoice": "Invoice", "creditnote": "CreditNote"}
#: ICD scheme of a company number per country (Peppol BIS / EHF)
PEPPOL_COMPANY_SCHEME = {"NO": "0192", "DK": "0184", "SE": "0007"}
#: OIOUBL endpoint scheme of a company number per country (OIOUBL endpoint id code list)
OIOUBL_ENDPOINT_SCHEME = {"DK": "DK:CVR", "NO": "NO:ORGNR", "SE": "SE:ORGNR"}
COMPANY_SCHEMES = {*PEPPOL_COMPANY_SCHEME.values(), *OIOUBL_ENDPOINT_SCHEME.values()}


def seller_accounts(seller: dict[str, Any]) -> set[str]:
    """The seller's account as the fixture states it (IBAN or BBAN, without spaces), and the same account in
    the other forms a document may write it: a Norwegian BBAN as its IBAN (OIOUBL needs an IBAN from a
    foreign seller, F-LIB106/107); a Danish IBAN as its BBAN, registration number + account number (OIOUBL
    DK:BANK writes them in FinancialInstitutionBranch/ID and PayeeFinancialAccount/ID)."""
    out = {str(seller[k]).replace(" ", "") for k in ("iban", "bank_account") if seller.get(k)}
    if seller.get("bank_account"):
        bban = str(seller["bank_account"]).replace(" ", "").replace(".", "")
        cc = seller["country"]
        out.add(f"{cc}{iban.calc_check_digits(f'{cc}00{bban}')}{bban}")
    dk_iban = str(seller.get("iban") or "").replace(" ", "")
    if dk_iban.startswith("DK"):
        out.add(dk_iban[4:])
    return out


def _text(node: Any, path: str) -> str | None:
    found = node.find(path, NS)
    if found is None or found.text is None:
        return None
    return str(found.text).strip()


def _amount(node: Any, path: str) -> Decimal | None:
    value = _text(node, path)
    return Decimal(value) if value is not None else None


def document_profile(root: Any) -> str:
    """oioubl, ehf (EHF Ordering) or peppol. EHF Billing 3.0 invoices carry Peppol BIS Billing 3.0's
    CustomizationID: an invoice's EHF and Peppol cannot be told apart, both read as peppol."""
    cust = _text(root, "cbc:CustomizationID") or ""
    if cust.startswith("OIOUBL-"):
        return "oioubl"
    if etree.QName(root).localname == "Order" and "anskaffelser.no" in cust:
        return "ehf"
    return "peppol"


def expected_profile(case: Case, form: dict[str, Any]) -> str:
    """Orders: OIOUBL for a Danish EAN buyer, EHF for a Norwegian seller, Peppol BIS T01 otherwise.
    Invoices (source 001): an EAN or a Danish CVR → OIOUBL, else Peppol BIS Billing 3.0 / EHF (same
    CustomizationID). OIOUBL carries one standard VAT rate per document (F-LIB315): with two, the next
    profile that applies (EHF order of a Norwegian seller, else Peppol BIS)."""
    c = form["customer"]
    rates = {p["vat_rate"] for p in form["products"] + form.get("fees", [])} - {"0"}
    oioubl_fits = len(rates) <= 1
    if case.document == "order":
        if c.get("ean") and oioubl_fits:
            return "oioubl"
        return "ehf" if case.seller == "NO" else "peppol"
    if (c.get("ean") or (c["country"] == "DK" and c.get("org_number"))) and oioubl_fits:
        return "oioubl"
    return "peppol"


def _by_rate(tax_total: Any) -> dict[Decimal, tuple[Decimal, Decimal]] | None:
    subtotals = tax_total.findall("cac:TaxSubtotal", NS) if tax_total is not None else []
    if not subtotals:
        return None
    out: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for s in subtotals:
        rate = Decimal(_text(s, "cac:TaxCategory/cbc:Percent") or "0").normalize()
        taxable = _amount(s, "cbc:TaxableAmount") or Decimal(0)
        tax = _amount(s, "cbc:TaxAmount") or Decimal(0)
        prev = out.get(rate, (Decimal(0), Decimal(0)))
        out[rate] = (prev[0] + taxable, prev[1] + tax)
    return out


def check_amounts(case: Case, form: dict[str, Any], root: Any, profile: str) -> list[str]:
    exp = expected_amounts(form)
    problems: list[str] = []
    total = root.find(
        "cac:AnticipatedMonetaryTotal" if case.document == "order" else "cac:LegalMonetaryTotal", NS
    )
    if total is None:
        return ["payable: the document has no monetary total"]
    payable = _amount(total, "cbc:PayableAmount")
    want = exp.payable(case.document, profile)
    if payable != want:
        what = "the order's total incl. fees and VAT" if case.document == "order" else "the amount to pay"
        problems.append(f"payable: {what} is {want}, the document says {payable}")
    inclusive = _amount(total, "cbc:TaxInclusiveAmount") or Decimal(0)
    rounding = _amount(total, "cbc:PayableRoundingAmount") or Decimal(0)
    # OIOUBL's TaxInclusiveAmount already includes the rounding amount (F-INV128)
    before = inclusive if profile == "oioubl" else inclusive + rounding
    if before != exp.before_prepaid:
        problems.append(
            f"total: TaxInclusive + rounding should be {exp.before_prepaid} (the form's sum), "
            f"the document says {before}"
        )
    tax_total = root.find("cac:TaxTotal", NS)  # the document level: line TaxTotals (OIOUBL) are deeper
    doc_rates = _by_rate(tax_total)
    doc_vat = _amount(tax_total, "cbc:TaxAmount") if tax_total is not None else None
    if doc_rates is None:
        if case.document != "order":
            return [*problems, "vat: the document has no VAT breakdown (TaxSubtotal)"]
        # Peppol BIS Order and EHF Ordering carry only the total VAT: the per-rate check cannot be made; with
        # VAT-inclusive prices not even the total (the derived nets leave it open by a cent): the order's
        # gross total above is what is checked then
        if not exp.gross_mode and doc_vat != exp.vat_total:
            problems.append(
                f"vat: VAT total is {exp.vat_total} (half-up per rate), the document says {doc_vat}"
            )
        return problems
    if not exp.gross_mode:
        if doc_rates != exp.by_rate:
            problems.append(
                f"vat: per rate (taxable, VAT) should be {_show(exp.by_rate)}, is {_show(doc_rates)}"
            )
        return problems
    # VAT-inclusive prices: the nets are derived, a cent may move between a line and its VAT
    for rate, (taxable, tax) in sorted(doc_rates.items()):
        if tax != half_up(taxable * rate / 100):
            problems.append(
                f"vat: {rate} % of {taxable} is {half_up(taxable * rate / 100)} (half-up), not {tax}"
            )
        derived = exp.by_rate.get(rate)
        gross = exp.gross_by_rate.get(rate)
        if derived is None or gross is None:
            problems.append(f"vat: rate {rate} % is not in the form")
            continue
        if abs(taxable - derived[0]) > CENT * gross[1]:
            problems.append(f"vat: {rate} % taxable {taxable} is far from the derived nets {derived[0]}")
    missing = set(exp.by_rate) - set(doc_rates)
    if missing:
        problems.append(f"vat: no subtotal for rate(s) {sorted(missing)}")
    return problems


def _show(rates: dict[Decimal, tuple[Decimal, Decimal]]) -> str:
    return ", ".join(f"{r}%: {t}/{v}" for r, (t, v) in sorted(rates.items()))


def check_payment(case: Case, root: Any, profile: str, seller: dict[str, Any]) -> list[str]:
    """An unpaid invoice: a due date and the seller's account. (Credit notes and prepaid invoices ask
    nothing to be paid.)"""
    if case.document != "invoice" or case.variant == "prepaid_card":
        return []
    problems: list[str] = []
    means = root.findall("cac:PaymentMeans", NS)
    if profile == "oioubl":
        due = next((d for m in means if (d := _text(m, "cbc:PaymentDueDate"))), None)
    else:
        due = _text(root, "cbc:DueDate")
    issued = _text(root, "cbc:IssueDate")
    if not due:
        problems.append("due-date: an unpaid invoice has no due date")
    elif issued and date.fromisoformat(due) < date.fromisoformat(issued):
        problems.append(f"due-date: due {due} before the issue date {issued}")
    accounts: set[str] = set()
    for m in means:
        account = _text(m, "cac:PayeeFinancialAccount/cbc:ID")
        if account:
            accounts.add(account.replace(" ", ""))
        if profile != "oioubl":
            continue
        branch = _text(m, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")
        if account and branch and _text(m, "cbc:PaymentChannelCode") == "DK:BANK":
            accounts.add(f"{branch}{account}".replace(" ", ""))  # registration no. + account no.
        creditor = _text(m, "cac:CreditAccount/cbc:AccountID")  # FIK: the creditor number
        if creditor:
            accounts.add(creditor.replace(" ", ""))
    wanted = seller_accounts(seller)
    if not accounts:
        problems.append(f"payee-account: an unpaid invoice names no account (want {sorted(wanted)})")
    elif not accounts & wanted:
        problems.append(f"payee-account: {sorted(accounts)} is not the seller's account {sorted(wanted)}")
    return problems


def _party(root: Any, document: str, role: str) -> Any:
    if document == "order":
        path = "cac:BuyerCustomerParty/cac:Party" if role == "buyer" else "cac:SellerSupplierParty/cac:Party"
    else:
        path = (
            "cac:AccountingCustomerParty/cac:Party"
            if role == "buyer"
            else "cac:AccountingSupplierParty/cac:Party"
        )
    return root.find(path, NS)


def check_buyer(case: Case, form: dict[str, Any], root: Any, profile: str) -> list[str]:
    party = _party(root, case.document, "buyer")
    if party is None:
        return ["buyer-id: the document has no buyer party"]
    c = form["customer"]
    problems: list[str] = []
    legal = [
        (e.get("schemeID"), (e.text or "").strip())
        for e in party.findall("cac:PartyLegalEntity/cbc:CompanyID", NS)
    ]
    if c.get("org_number"):  # company kinds, and the EAN customer (with its CVR)
        org = c["org_number"]
        if profile == "oioubl":
            # OIOUBL: PartyLegalEntity/CompanyID is DK:CVR (with the DK prefix), DK:CPR or ZZZ (F-LIB187)
            want = ("DK:CVR", f"DK{org}") if c["country"] == "DK" else ("ZZZ", org)
        else:
            want = (PEPPOL_COMPANY_SCHEME[c["country"]], org)
        if want not in legal:
            problems.append(f"buyer-id: PartyLegalEntity/CompanyID should be {want[0]}:{want[1]}, is {legal}")
    else:
        # private persons: no identifier under a company scheme (PartyLegalEntity, PartyIdentification). Not
        # checked on EndpointID: a private person has no Peppol address, the seller's own endpoint stands in
        # (PEPPOL-EN16931-R010 requires one), so it carries the seller's company scheme by design.
        ids = legal + [
            (e.get("schemeID"), (e.text or "").strip())
            for e in party.findall("cac:PartyIdentification/cbc:ID", NS)
        ]
        bad = [x for x in ids if x[0] in COMPANY_SCHEMES]
        if bad:
            problems.append(f"buyer-id: a private person carries a company identifier {bad}")
    if c.get("ean"):
        endpoint = party.find("cbc:EndpointID", NS)
        got = (endpoint.get("schemeID"), (endpoint.text or "").strip()) if endpoint is not None else None
        want_ep = ("GLN" if profile == "oioubl" else "0088", c["ean"])
        if got != want_ep:
            problems.append(f"buyer-endpoint: the EAN customer's EndpointID should be {want_ep}, is {got}")
        person = c.get("ean_reference_person")
        contact = {_text(party, "cac:Contact/cbc:Name"), _text(party, "cac:Contact/cbc:ID")}
        if person and person not in contact:
            problems.append(f"reference: ean_reference_person {person!r} is not the buyer contact {contact}")
    return problems


def check_references(
    case: Case, form: dict[str, Any], root: Any, profile: str, credited: str | None
) -> list[str]:
    c = form["customer"]
    problems: list[str] = []
    requisition = c.get("ean_requisition")
    if case.document == "order":
        refs = [
            _text(root, "cbc:CustomerReference"),
            _text(root, "cac:OriginatorDocumentReference/cbc:ID"),
            _text(root, "cac:OrderDocumentReference/cbc:ID"),
        ]
        if requisition:
            # No rule names the element of an order's requisition number; a UBL Order has no
            # OrderReference, so any of the buyer's reference elements may carry it.
            if requisition not in refs:
                problems.append(f"reference: the order does not carry the EAN requisition {requisition!r}")
        elif not refs[0]:
            problems.append(
                "buyer-reference: the order's CustomerReference is empty (the service must fill it)"
            )
        return problems
    order_ref = _text(root, "cac:OrderReference/cbc:ID")
    if requisition:
        if order_ref != requisition:
            problems.append(f"reference: OrderReference/ID should be {requisition!r}, is {order_ref!r}")
    elif profile == "oioubl":
        # OIOUBL 2.1 has no BuyerReference: the buyer's reference is OrderReference/ID (mandatory there)
        if not order_ref:
            problems.append("buyer-reference: OrderReference/ID is empty (the service must fill it)")
    elif not _text(root, "cbc:BuyerReference"):
        problems.append("buyer-reference: BuyerReference (BT-10) is empty (the service must fill it)")
    if case.document == "creditnote":
        billed = _text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")
        if billed != credited:
            problems.append(f"billing-reference: the credit note names invoice {billed!r}, not {credited!r}")
    return problems


def check_seller(case: Case, root: Any, profile: str, seller: dict[str, Any]) -> list[str]:
    party = _party(root, case.document, "seller")
    endpoint = party.find("cbc:EndpointID", NS) if party is not None else None
    got = (endpoint.get("schemeID"), (endpoint.text or "").strip()) if endpoint is not None else None
    country, org = seller["country"], seller["org_number"]
    if profile == "oioubl":
        want = (OIOUBL_ENDPOINT_SCHEME[country], f"DK{org}" if country == "DK" else org)
    else:
        want = (PEPPOL_COMPANY_SCHEME[country], org)
    if got != want:
        return [f"seller-endpoint: the seller's EndpointID should be {want}, is {got}"]
    return []


def readback(
    case: Case, form: dict[str, Any], xml: bytes, seller: dict[str, Any], credited: str | None
) -> list[str]:
    """Every check of one generated document, as a person reads it."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        return [f"xml: not well-formed ({exc})"]
    local = etree.QName(root).localname
    if local != ROOTS[case.document]:
        return [f"kind: a {case.document} case gave a {local}"]
    profile = document_profile(root)
    problems: list[str] = []
    want = expected_profile(case, form)
    if profile != want:
        problems.append(f"profile: {want} expected, the document is {profile}")
    problems += check_amounts(case, form, root, profile)
    problems += check_payment(case, root, profile, seller)
    problems += check_buyer(case, form, root, profile)
    problems += check_references(case, form, root, profile, credited)
    problems += check_seller(case, root, profile, seller)
    return problems


def write_form(folder: Path, key: tuple[str, str, str]) -> Path:
    import json

    path = folder / f"{order_id(*key)}.json"
    if not path.exists():
        path.write_text(json.dumps(FORMS[key], ensure_ascii=False, indent=1), encoding="utf-8")
    return path
