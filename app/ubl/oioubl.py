"""OIOUBL 2.1 conventions as data: scheme ids, tax category names, payment means (rules 1.17.2).

Peppol identifiers (ICD codes) are mapped to OIOUBL scheme ids here so the template only prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stdnum import iban

from app.document.model import BusinessDocument, Identifier, Line, PaymentMeans
from app.errors import Issue

PRICE_PLACES = Decimal("0.0001")

#: ICD / EAS code → OIOUBL schemeID (OIOUBL code list "partyidentificationid" / endpoint ids)
SCHEMES = {"0088": "GLN", "0184": "DK:CVR", "0192": "NO:ORGNR", "0007": "SE:ORGNR"}
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
    channel: str  # PaymentChannelCode
    account: str  # PayeeFinancialAccount/ID
    bic: str | None = None
    payment_id: str | None = None


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
    """A payment means OIOUBL accepts: 42 (DK:BANK) needs a Danish registration number, so a foreign
    seller's domestic account is written as an IBAN with code 31 (international transfer, F-LIB106/107)."""
    if pm is None or pm.code == "48":
        return None  # F-LIB342: OIOUBL card payments need card data a prepaid webshop order does not have
    if not pm.bic:
        return None  # F-LIB113: an international transfer (31, IBAN) needs the bank's BIC
    account = pm.account or ""
    if not pm.account_is_iban and seller_country != "DK":
        bban = account.replace(".", "").replace(" ", "")
        account = f"{seller_country}{iban.calc_check_digits(f'{seller_country}00{bban}')}{bban}"
    return OioPayment("31", "IBAN", account, pm.bic or None, pm.payment_id or None)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def line_price(line: Line) -> str:
    """F-INV340 / F-CRN210: OIOUBL checks LineExtensionAmount against PriceAmount × quantity, so a line
    with a discount carries its discounted net unit price (4 decimals keep it within the ±1.00 tolerance)."""
    if not line.allowances:
        return _number(line.price)
    return _number((line.net_amount / line.quantity).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP))


def at_least_two_decimals(text: str) -> str:
    """F-ORD133 / F-ORD169: OIOUBL order quantities and prices carry at least 2 decimals."""
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def line_note(line: Line) -> str | None:
    """The discount, in words, for the line whose price already includes it (see :func:`line_price`)."""
    parts = [line.note] if line.note else []
    for a in line.allowances:
        pct = f" {_number(a.percent)} %" if a.percent else ""
        parts.append(f"{a.reason or 'Discount'}{pct}: {a.amount} of {a.base_amount or a.amount}")
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
        "payment": payment(doc.payment_means, doc.seller.address.country),
        "tax_categories": TAX_CATEGORIES,
    }
    if doc.kind == "order":
        out["order_quantities"] = [at_least_two_decimals(_number(ln.quantity)) for ln in doc.lines]
        out["order_prices"] = [at_least_two_decimals(line_price(ln)) for ln in doc.lines]
    else:
        out["line_prices"] = [line_price(ln) for ln in doc.lines]
        out["line_notes"] = [line_note(ln) for ln in doc.lines]
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
    shown = ", ".join(f"{_number(r)} %" for r in rates)
    return [
        Issue(
            "input.oioubl_vat_rates",
            "fatal",
            f"OIOUBL carries one standard VAT rate per invoice (F-LIB315); the form has {shown}.",
            field=field,
            hint="Split the order into one invoice per VAT rate, or use profile peppol.",
            value=shown,
        )
    ]
