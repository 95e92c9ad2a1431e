"""OIOUBL 2.1 (Denmark, rules 1.17.2): invoices, credit notes and orders for Danish public-sector EAN
customers and Danish companies (source 001). Its conventions as data: scheme ids, tax category names,
payment means. Peppol identifiers (ICD codes) are mapped to OIOUBL scheme ids here, from the one table of
:mod:`app.forms.identifiers`, so the templates only print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from stdnum import iban

from app.accounts.profile import SellerProfile
from app.codes import issue
from app.document.buyer import BuyerIdentity
from app.document.invoice import DISCOUNT_REASON
from app.document.model import BusinessDocument, DocumentKind, Identifier, Line, PaymentMeans, number
from app.forms import identifiers
from app.i18n import format_amount, format_decimal, translator
from app.issues import Issue
from app.profiles.base import DocumentType, Preset

CUSTOMIZATION = "OIOUBL-2.1"
#: From the OIOUBL profile code list: basic invoicing, and ordering with basic invoicing
INVOICE_PROFILE = "Procurement-BilSim-1.0"
ORDER_PROFILE = "Procurement-OrdSim-BilSim-1.0"

#: ICD / EAS code → OIOUBL schemeID (OIOUBL code list "partyidentificationid" / endpoint ids)
SCHEMES = identifiers.OIOUBL_BY_ICD
#: UNCL5305 → OIOUBL tax category id (urn:oioubl:id:taxcategoryid-1.1)
TAX_CATEGORIES = {"S": "StandardRated", "Z": "ZeroRated", "E": "ZeroRated"}


@dataclass(frozen=True)
class OioIdentifier:
    scheme: str  # schemeID
    value: str
    agency: str | None = None  # schemeAgencyID


@dataclass(frozen=True)
class OioPayment:
    code: str  # PaymentMeansCode
    channel: str | None  # PaymentChannelCode
    account: str | None = None  # PayeeFinancialAccount/ID
    bic: str | None = None  # PayeeFinancialAccount/FinancialInstitutionBranch/FinancialInstitution/ID
    branch: str | None = None  # PayeeFinancialAccount/FinancialInstitutionBranch/ID (registration no.)
    payment_id: str | None = None  # PaymentID
    instruction_id: str | None = None  # InstructionID (FIK payment id)
    creditor: str | None = None  # CreditAccount/AccountID (FIK creditor number)


def identifier(ident: Identifier | None) -> OioIdentifier | None:
    if ident is None:
        return None
    scheme = SCHEMES.get(ident.scheme or "", "ZZZ")
    value = ident.value
    if scheme == "DK:CVR" and not value.startswith("DK"):
        value = f"DK{value}"  # OIOUBL writes a CVR number with its country prefix
    return OioIdentifier(scheme, value, "9" if scheme == "GLN" else None)  # 9 = GS1


def legal(ident: Identifier | None, fallback: Identifier | None) -> OioIdentifier:
    """F-LIB187 / F-LIB189: PartyLegalEntity/CompanyID is mandatory, scheme DK:CVR, DK:CPR or ZZZ."""
    out = identifier(ident or fallback)
    if out is None:
        return OioIdentifier("ZZZ", "NA")
    return out if out.scheme == "DK:CVR" else OioIdentifier("ZZZ", out.value)


def vat_scheme(country: str) -> str:
    """F-LIB195: PartyTaxScheme/CompanyID scheme is DK:SE (a Danish VAT number) or ZZZ."""
    return "DK:SE" if country == "DK" else "ZZZ"


def payment(pm: PaymentMeans | None, seller_country: str) -> OioPayment | None:
    """A payment means OIOUBL accepts (rules 1.17.2, F-LIB100…F-LIB379):

    * FIK: 93, channel DK:FIK, the card type as PaymentID, the payment id as InstructionID (15 digits for
      +71, 16 for +75, none for +73) and the creditor number as CreditAccount/AccountID (F-LIB152…F-LIB305);
    * a Danish account (reg. no. + account no., also taken from a Danish IBAN when there is no BIC): 42,
      channel DK:BANK, the registration number as FinancialInstitutionBranch/ID (F-LIB123…F-LIB132);
    * an IBAN with the bank's BIC: 31, channel IBAN (F-LIB106…F-LIB114; F-LIB113: the BIC is mandatory);
    * an IBAN without BIC: 58, SEPA credit transfer (F-LIB377, F-LIB379); a foreign seller's domestic
      account is written as its IBAN.
    """
    if pm is None or pm.code == "48":
        return None  # F-LIB342: OIOUBL card payments need card data a prepaid webshop order does not have
    if pm.code == "93":
        card = (pm.payment_id or "").partition("#")[0]
        return OioPayment(
            "93", "DK:FIK", payment_id=card, instruction_id=pm.instruction_id, creditor=pm.creditor_account
        )
    if pm.code == "42":
        return OioPayment("42", "DK:BANK", account=pm.account, branch=pm.bic)
    account = (pm.account or "").replace(" ", "")
    if not pm.account_is_iban:
        bban = account.replace(".", "")
        if not bban.isalnum():
            return None  # not an account number an IBAN can be made of (ISO 13616: letters and digits)
        account = f"{seller_country}{iban.calc_check_digits(f'{seller_country}00{bban}')}{bban}"
    if pm.bic:
        return OioPayment("31", "IBAN", account, pm.bic, payment_id=pm.payment_id or None)
    if account.startswith("DK") and len(account) == 18:
        # a Danish IBAN is DK + 2 check digits + 4-digit registration no. + 10-digit account no.
        return OioPayment("42", "DK:BANK", account=account[8:], branch=account[4:8])
    return OioPayment("58", "IBAN", account, payment_id=pm.payment_id or None)


def line_price(line: Line) -> str:
    """F-INV340 / F-CRN210: OIOUBL checks LineExtensionAmount against PriceAmount × quantity, so a line
    with a discount carries its discounted net unit price (rounded by the document builder)."""
    return number(line.net_price if line.net_price is not None else line.price)


def at_least_two_decimals(text: str) -> str:
    """F-ORD133 / F-ORD169: OIOUBL order quantities and prices carry at least 2 decimals."""
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def line_note(line: Line, lang: str = "en", currency: str = "DKK") -> str | None:
    """The discount, in words and the account's language, for the line whose price already includes it (see
    :func:`line_price`): "Rabat 20 %: 498,00 af 2.490,00"."""
    parts = [line.note] if line.note else []
    t = translator(lang)
    for a in line.allowances:
        values = {
            "reason": a.reason or t.gettext(DISCOUNT_REASON),
            "amount": format_amount(a.amount, currency, lang),
            "base": format_amount(a.base_amount or a.amount, currency, lang),
        }
        if a.percent:
            values["percent"] = format_decimal(a.percent, lang)
            parts.append(t.gettext("{reason} {percent} %: {amount} of {base}").format(**values))
        else:
            parts.append(t.gettext("{reason}: {amount} of {base}").format(**values))
    return "; ".join(parts) or None


def extras(doc: BusinessDocument) -> dict[str, Any]:
    """Values only OIOUBL needs, derived from the business document (no arithmetic)."""
    out: dict[str, Any] = {
        "seller_endpoint": identifier(doc.seller.endpoint),
        "seller_legal": legal(doc.seller.legal_id, doc.seller.endpoint),
        "seller_vat_scheme": vat_scheme(doc.seller.address.country),
        "buyer_endpoint": identifier(doc.buyer.endpoint),
        "buyer_legal": legal(doc.buyer.legal_id, doc.buyer.endpoint),
        "buyer_vat_scheme": vat_scheme(doc.buyer.address.country),
        # F-INV046 / F-ORD: the buyer has a Contact; its ID is the reference person, else the buyer
        # reference (BT-10) when the customer names no contact
        "buyer_contact_id": (doc.buyer.contact.name if doc.buyer.contact else None) or doc.buyer_reference,
        "payment": payment(doc.payment_means, doc.seller.address.country),
        "tax_categories": TAX_CATEGORIES,
    }
    if doc.kind == "order":
        out["order_quantities"] = [at_least_two_decimals(number(ln.quantity)) for ln in doc.lines]
        out["order_prices"] = [at_least_two_decimals(line_price(ln)) for ln in doc.lines]
    else:
        out["line_prices"] = [line_price(ln) for ln in doc.lines]
        out["line_notes"] = [line_note(ln, doc.language, doc.currency) for ln in doc.lines]
    return out


def preflight(doc: BusinessDocument) -> list[Issue]:
    """What OIOUBL cannot carry, refused before writing: F-LIB315 allows one subtotal per tax category, so
    one invoice cannot hold two standard rates (Denmark has one, 25 %)."""
    rates = sorted({s.category.percent for s in doc.tax_subtotals if s.category.code == "S"}, reverse=True)
    if len(rates) <= 1:
        return []
    first = next(
        (ln for ln in doc.lines if ln.tax.code == "S" and ln.tax.percent != rates[0]),
        None,
    )
    field = f"{first.source}.vat_rate" if first and first.source else "products"
    shown = ", ".join(f"{number(r)} %" for r in rates)
    return [issue("input.oioubl_vat_rates", field, value=shown)]


class Oioubl(Preset):
    name = "oioubl"
    label = "OIOUBL 2.1 (Denmark)"
    priority = 10
    documents: ClassVar[dict[DocumentKind, DocumentType]] = {
        "order": DocumentType("oioubl", "order", "oioubl_order.xml", CUSTOMIZATION, ORDER_PROFILE),
        "invoice": DocumentType("oioubl", "invoice", "oioubl_invoice.xml", CUSTOMIZATION, INVOICE_PROFILE),
        "creditnote": DocumentType(
            "oioubl", "creditnote", "oioubl_invoice.xml", CUSTOMIZATION, INVOICE_PROFILE
        ),
    }

    def chooses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> str | None:
        if buyer.kind == "public":
            return "customer.ean is filled: an EAN customer gets OIOUBL (source 001)"
        if kind != "order" and buyer.kind == "company" and buyer.country == "DK":
            return "customer.org_number is a Danish CVR number: OIOUBL"
        return None

    def refuses(self, seller: SellerProfile, buyer: BuyerIdentity, kind: DocumentKind) -> Issue | None:
        if kind == "order" or buyer.ean or (buyer.country == "DK" and buyer.legal_id is not None):
            return None  # an OIOUBL order names any party by its scheme (NO:ORGNR, SE:ORGNR, GLN …)
        return issue("input.ean_missing")

    def preflight(self, doc: BusinessDocument) -> list[Issue]:
        return preflight(doc)

    def extras(self, doc: BusinessDocument) -> dict[str, Any] | None:
        return {"oio": extras(doc)}


PRESET = Oioubl()
