"""The explainers of the EN 16931 calculation rules (the CEN stylesheet: BR-CO-*, BR-S/Z/E/AE/K/G/O-08/09,
BR-DEC-*) and of Peppol BIS Billing 3.0 (PEPPOL-EN16931-R040, R120)."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from app.validation.calc.amounts import (
    NS,
    Explanation,
    Rule,
    against,
    ancestor,
    category,
    dec,
    doc_charges,
    document_root,
    fmt,
    formula,
    legal_total,
    line_elements,
    line_name,
    num,
    rounded,
    stated,
    sum_of,
    vat_total,
    zero,
)


def _br_co_10(node: etree._Element) -> Explanation | None:
    root = document_root(node)
    total = legal_total(root)
    if total is None:
        return None
    name = line_name(root)
    values = [v for line in line_elements(root) if (v := num(line, "cbc:LineExtensionAmount")) is not None]
    text, value = sum_of(f"{name}/LineExtensionAmount", values)
    return against(total, "LineExtensionAmount", text, value)


def _doc_allowance_sum(node: etree._Element, charge: bool) -> Explanation | None:
    root = document_root(node)
    total = legal_total(root)
    if total is None:
        return None
    values = [v for ac in doc_charges(root, charge) if (v := num(ac, "cbc:Amount")) is not None]
    kind = "charge" if charge else "allowance"
    text, value = sum_of(f"document-level {kind} Amount", values)
    name = "ChargeTotalAmount" if charge else "AllowanceTotalAmount"
    return against(total, name, text, value)


def _total_formula(name: str, *terms: tuple[str, str]) -> Rule:
    """BR-CO-13, BR-CO-15, BR-CO-16: a LegalMonetaryTotal amount is a signed sum of others; each term is the
    total's element of that name, TaxAmount the invoice total VAT amount (BT-110)."""

    def explain(node: etree._Element) -> Explanation | None:
        root = document_root(node)
        total = legal_total(root)
        if total is None:
            return None
        text, value = formula(
            *(
                (sign, term, vat_total(root) if term == "TaxAmount" else num(total, f"cbc:{term}"))
                for sign, term in terms
            )
        )
        return against(total, name, text, value)

    return explain


def _br_co_14(node: etree._Element) -> Explanation | None:
    tax_total = ancestor(node, "TaxTotal")
    if tax_total is None:
        tax_total = document_root(node).find("cac:TaxTotal[cac:TaxSubtotal]", NS)
    if tax_total is None:
        return None
    values = [
        v for st in tax_total.findall("cac:TaxSubtotal", NS) if (v := num(st, "cbc:TaxAmount")) is not None
    ]
    text, value = sum_of("TaxSubtotal/TaxAmount", values)
    return stated("TaxTotal/TaxAmount", num(tax_total, "cbc:TaxAmount")), f"{text} = {fmt(rounded(value))}"


def subtotal_tax(node: etree._Element, rate_path: str = "cac:TaxCategory/cbc:Percent") -> Explanation | None:
    """BR-CO-17, BR-S-09 (and the AA/AB/… -09 rules), F-LIB401: TaxAmount = TaxableAmount × rate ÷ 100."""
    subtotal = ancestor(node, "TaxSubtotal")
    if subtotal is None:
        return None
    taxable, rate = num(subtotal, "cbc:TaxableAmount"), num(subtotal, rate_path)
    if taxable is None or rate is None:
        return None
    value = rounded(taxable * rate / 100)
    expected = f"TaxableAmount {fmt(taxable)} × {rate.normalize():f} % = {fmt(value)}"
    return stated("TaxSubtotal/TaxAmount", num(subtotal, "cbc:TaxAmount")), expected


def _taxable(code: str) -> Rule:
    """BR-S-08, BR-Z-08, BR-E-08, BR-AE-08, BR-K-08, BR-G-08, BR-O-08 …: the taxable amount of the VAT
    breakdown of one category (and, for S and the other rated ones, one rate) is the sum of the line net
    amounts of that category + the document-level charges − the allowances of that category."""
    cat_code = code.split("-")[1]
    per_rate = cat_code in ("S", "L", "M")  # the categories that have rates (BR-S-08, BR-AF-08, BR-AG-08)

    def explain(node: etree._Element) -> Explanation | None:
        subtotal = ancestor(node, "TaxSubtotal")
        if subtotal is None:
            return None
        root = document_root(node)
        _cat, rate = category(subtotal, "cac:TaxCategory")

        def same(el: etree._Element, path: str) -> bool:
            c, r = category(el, path)
            return c == cat_code and (not per_rate or r == rate)

        lines = [
            v
            for line in line_elements(root)
            if same(line, "cac:Item/cac:ClassifiedTaxCategory")
            and (v := num(line, "cbc:LineExtensionAmount")) is not None
        ]
        charges = [
            v
            for ac in doc_charges(root, True)
            if same(ac, "cac:TaxCategory") and (v := num(ac, "cbc:Amount")) is not None
        ]
        allowances = [
            v
            for ac in doc_charges(root, False)
            if same(ac, "cac:TaxCategory") and (v := num(ac, "cbc:Amount")) is not None
        ]
        which = f"{cat_code} {rate.normalize():f} %" if per_rate and rate is not None else cat_code
        parts = [sum_of(f"{line_name(root)} net amounts of category {which}", lines)]
        total = parts[0][1]
        text = parts[0][0]
        if charges:
            ctext, cval = sum_of("charges", charges)
            text, total = f"{text} + {ctext}", total + cval
        if allowances:
            atext, aval = sum_of("allowances", allowances)
            text, total = f"{text} - {atext}", total - aval
        return stated(
            "TaxSubtotal/TaxableAmount", num(subtotal, "cbc:TaxableAmount")
        ), f"{text} = {fmt(total)}"

    return explain


def _zero_tax(node: etree._Element) -> Explanation | None:
    """BR-Z-09, BR-E-09, BR-AE-09, BR-K-09, BR-G-09, BR-O-09: no VAT in a breakdown of that category."""
    subtotal = ancestor(node, "TaxSubtotal")
    if subtotal is None:
        return None
    return stated("TaxSubtotal/TaxAmount", num(subtotal, "cbc:TaxAmount")), "0.00"


def decimals(node: etree._Element) -> Explanation | None:
    """BR-DEC-*: an amount with more than 2 decimals (the context element or one of its children)."""
    for el in (node, *node):
        if not isinstance(el.tag, str) or len(el):
            continue
        value = dec(el.text)
        exp = value.as_tuple().exponent if value is not None else 0
        if value is not None and isinstance(exp, int) and exp < -2:
            name = etree.QName(el).localname
            return (
                f"{name} {el.text.strip() if el.text else ''} ({-exp} decimals)",
                f"at most 2 decimals: {rounded(value)}",
            )
    return None


# -- Peppol BIS Billing 3.0 --------------------------------------------------------------------------
def _line_net(node: etree._Element) -> Explanation | None:
    """PEPPOL-EN16931-R120: line net amount = quantity × (price ÷ base quantity) + charges − allowances."""
    line = next(
        (el for el in (node, *node.iterancestors()) if etree.QName(el).localname.endswith("Line")), None
    )
    if line is None:
        return None
    qty = next(
        (
            dec(c.text)
            for c in line
            if isinstance(c.tag, str) and etree.QName(c).localname.endswith("Quantity")
        ),
        None,
    )
    price = num(line, "cac:Price/cbc:PriceAmount")
    base = num(line, "cac:Price/cbc:BaseQuantity")
    if qty is None or price is None:
        return None
    charges = [
        zero(num(ac, "cbc:Amount")) for ac in line.findall("cac:AllowanceCharge", NS) if _is_charge(ac)
    ]
    allowances = [
        zero(num(ac, "cbc:Amount")) for ac in line.findall("cac:AllowanceCharge", NS) if not _is_charge(ac)
    ]
    per = base if base not in (None, Decimal(0)) else Decimal(1)
    value = qty * (price / per) + sum(charges, Decimal(0)) - sum(allowances, Decimal(0))
    text = f"quantity {qty.normalize():f} × PriceAmount {fmt(price)}"
    if per != 1:
        text += f" ÷ BaseQuantity {per.normalize():f}"
    if charges:
        text += f" + charges {fmt(sum(charges, Decimal(0)))}"
    if allowances:
        text += f" - allowances {fmt(sum(allowances, Decimal(0)))}"
    return against(line, "LineExtensionAmount", text, value)


def _is_charge(ac: etree._Element) -> bool:
    return (ac.findtext("cbc:ChargeIndicator", "", NS) or "").strip() == "true"


def _allowance_amount(node: etree._Element) -> Explanation | None:
    """PEPPOL-EN16931-R040: allowance or charge amount = base amount × percentage ÷ 100."""
    ac = ancestor(node, "AllowanceCharge")
    if ac is None:
        return None
    base, pct = num(ac, "cbc:BaseAmount"), num(ac, "cbc:MultiplierFactorNumeric")
    if base is None or pct is None:
        return None
    value = rounded(base * pct / 100)
    expected = f"BaseAmount {fmt(base)} × MultiplierFactorNumeric {pct.normalize():f} % = {fmt(value)}"
    return stated("Amount", num(ac, "cbc:Amount")), expected


RULES: dict[str, Rule] = {
    "BR-CO-10": _br_co_10,
    "BR-CO-11": lambda n: _doc_allowance_sum(n, charge=False),
    "BR-CO-12": lambda n: _doc_allowance_sum(n, charge=True),
    "BR-CO-13": _total_formula(
        "TaxExclusiveAmount",
        ("+", "LineExtensionAmount"),
        ("-", "AllowanceTotalAmount"),
        ("+", "ChargeTotalAmount"),
    ),
    "BR-CO-14": _br_co_14,
    "BR-CO-15": _total_formula("TaxInclusiveAmount", ("+", "TaxExclusiveAmount"), ("+", "TaxAmount")),
    "BR-CO-16": _total_formula(
        "PayableAmount", ("+", "TaxInclusiveAmount"), ("-", "PrepaidAmount"), ("+", "PayableRoundingAmount")
    ),
    "BR-CO-17": subtotal_tax,
    "BR-S-09": subtotal_tax,
    "PEPPOL-EN16931-R040": _allowance_amount,
    "PEPPOL-EN16931-R120": _line_net,
}
# EN 16931 per-category rules: -08 taxable amount, -09 (no rate) no VAT / (rate) VAT = taxable × rate.
for _cat in ("S", "Z", "E", "AE", "K", "G", "O", "IC", "IG", "IP", "AF", "AG"):
    RULES[f"BR-{_cat}-08"] = _taxable(f"BR-{_cat}-08")
for _cat in ("Z", "E", "AE", "K", "G", "O"):
    RULES[f"BR-{_cat}-09"] = _zero_tax
