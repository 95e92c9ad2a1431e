"""The explainers of the OIOUBL 2.1 calculation rules (the F-INV/F-CRN sum rules and F-LIB401)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from lxml import etree

from app.validation.calc.amounts import (
    NS,
    Explanation,
    Rule,
    against,
    dec,
    document_root,
    formula,
    legal_total,
    line_elements,
    line_name,
    num,
    sum_of,
)
from app.validation.calc.en16931 import subtotal_tax


def _oio_lines(node: etree._Element) -> Explanation | None:
    """F-INV126, F-CRN072: LineExtensionAmount = the sum of the lines not free of charge."""
    root = document_root(node)
    total = legal_total(root)
    if total is None:
        return None
    values = [
        v
        for line in line_elements(root)
        if (line.findtext("cbc:FreeOfChargeIndicator", "false", NS) or "").strip() != "true"
        and (v := num(line, "cbc:LineExtensionAmount")) is not None
    ]
    text, value = sum_of(f"{line_name(root)}/LineExtensionAmount (not free of charge)", values)
    return against(total, "LineExtensionAmount", text, value)


def _oio_tax(node: etree._Element) -> Explanation | None:
    """F-INV127, F-CRN073: OIOUBL's TaxExclusiveAmount is the VAT total: the sum of the TaxSubtotals."""
    root = document_root(node)
    total = legal_total(root)
    if total is None:
        return None
    values = [
        v
        for st in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
        if (v := num(st, "cbc:TaxAmount")) is not None
    ]
    text, value = sum_of("TaxSubtotal/TaxAmount", values)
    return against(total, "TaxExclusiveAmount", text, value)


def _oio_inclusive(node: etree._Element, payable: bool) -> Explanation | None:
    """F-INV128/F-CRN074: TaxInclusiveAmount = lines + VAT + charges − allowances + rounding; F-INV133/
    F-CRN079: PayableAmount = the same − PrepaidAmount."""
    root = document_root(node)
    total = legal_total(root)
    if total is None:
        return None
    vat = [
        v
        for st in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
        if (v := num(st, "cbc:TaxAmount")) is not None
    ]
    parts: list[tuple[str, str, Decimal | None]] = [
        ("+", "LineExtensionAmount", num(total, "cbc:LineExtensionAmount")),
        ("+", "VAT of the TaxSubtotals", sum(vat, Decimal(0))),
        ("+", "ChargeTotalAmount", num(total, "cbc:ChargeTotalAmount")),
        ("-", "AllowanceTotalAmount", num(total, "cbc:AllowanceTotalAmount")),
    ]
    if payable:
        parts.append(("-", "PrepaidAmount", num(total, "cbc:PrepaidAmount")))
    parts.append(("+", "PayableRoundingAmount", num(total, "cbc:PayableRoundingAmount")))
    text, value = formula(*parts)
    name = "PayableAmount" if payable else "TaxInclusiveAmount"
    return against(total, name, text, value)


def _oio_sum(name: str, label: str, paths: Iterable[str]) -> Rule:
    def explain(node: etree._Element) -> Explanation | None:
        root = document_root(node)
        total = legal_total(root)
        if total is None:
            return None
        values = [v for p in paths for el in root.findall(p, NS) if (v := dec(el.text)) is not None]
        text, value = sum_of(label, values)
        return against(total, name, text, value)

    return explain


#: F-INV129/F-CRN075, F-INV130/F-CRN076, F-INV132/F-CRN078: a total is the sum of the amounts it totals
#: (the invoice's rule and the credit note's are the same).
_ALLOWANCES = _oio_sum(
    "AllowanceTotalAmount",
    "AllowanceCharge/Amount (allowances)",
    ["cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:Amount"],
)
_CHARGES = _oio_sum(
    "ChargeTotalAmount",
    "AllowanceCharge/Amount (charges)",
    ["cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:Amount"],
)
_ROUNDING = _oio_sum("PayableRoundingAmount", "TaxTotal/RoundingAmount", ["cac:TaxTotal/cbc:RoundingAmount"])

RULES: dict[str, Rule] = {
    "F-INV126": _oio_lines,
    "F-CRN072": _oio_lines,
    "F-INV127": _oio_tax,
    "F-CRN073": _oio_tax,
    "F-INV128": lambda n: _oio_inclusive(n, payable=False),
    "F-CRN074": lambda n: _oio_inclusive(n, payable=False),
    "F-INV133": lambda n: _oio_inclusive(n, payable=True),
    "F-CRN079": lambda n: _oio_inclusive(n, payable=True),
    "F-INV129": _ALLOWANCES,
    "F-CRN075": _ALLOWANCES,
    "F-INV130": _CHARGES,
    "F-CRN076": _CHARGES,
    "F-INV131": _oio_sum("PrepaidAmount", "PrepaidPayment/PaidAmount", ["cac:PrepaidPayment/cbc:PaidAmount"]),
    "F-INV132": _ROUNDING,
    "F-CRN078": _ROUNDING,
    "F-LIB401": subtotal_tax,
}
