"""Found and expected values of the calculation rules, computed from the failing document with lxml.

When a calculation rule fails, the official message says which total is wrong (``BR-CO-15 Invoice total
amount with VAT (BT-112) = …``) but not by how much. :func:`explain` reads the amounts the rule's
published definition uses from the document and returns the value found and the value the rule expects::

    found:    TaxInclusiveAmount 1200.00
    expected: TaxExclusiveAmount 1000.00 + TaxAmount 250.00 = 1250.00

This is a description only: the verdict is always the official stylesheet's; a rule this module does not
know, or a document it cannot read the amounts from, gets no values (None), never a guess. The
definitions followed are those of EN 16931-1 (the CEN stylesheet: BR-CO-*, BR-S/Z/E/AE/K/G/O-08/09,
BR-DEC-*), Peppol BIS Billing 3.0 (PEPPOL-EN16931-R040, R120) and OIOUBL 2.1 (the F-INV/F-CRN sum rules
and F-LIB401); each function names its rule.

Hand-written: no library computes EN 16931 totals from a UBL tree, and the formulas are a few lines each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC}
CENT = Decimal("0.01")
#: Above this many terms a sum is written with its count, not term by term.
MAX_TERMS = 6

Explanation = tuple[str, str]


def _dec(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip()) if (text or "").strip() else None
    except InvalidOperation:
        return None


def _num(el: etree._Element, path: str) -> Decimal | None:
    found = el.find(path, NS)
    return _dec(found.text) if found is not None else None


def _zero(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def _round(value: Decimal) -> Decimal:
    """Rounded to 2 decimals, as the rules' ``round(x * 10 * 10) div 100``."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    """An amount as the rules compare it: at least 2 decimals, more if the document has them."""
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp < -2:
        return format(value.normalize() if value == value.to_integral() else value, "f")
    return format(value.quantize(CENT), "f")


def _sum(label: str, values: list[Decimal]) -> tuple[str, Decimal]:
    """("sum of 3 InvoiceLine/LineExtensionAmount (100.00 + 50.00 + 25.00)", 175.00)."""
    total = sum(values, Decimal(0))
    if not values:
        return f"no {label}", total
    if len(values) == 1:
        return f"{label} {_fmt(values[0])}", total
    if len(values) <= MAX_TERMS:
        terms = " + ".join(_fmt(v) if v >= 0 else f"({_fmt(v)})" for v in values)
        return f"sum of {len(values)} {label} ({terms})", total
    return f"sum of {len(values)} {label}", total


def _terms(*parts: tuple[str, str, Decimal | None]) -> tuple[str, Decimal]:
    """A formula of named amounts: ("+", "TaxExclusiveAmount", 1000) … → its text and value (a missing
    amount counts as 0, as in the rules' ``sum(…)``, and is left out of the text but for the first)."""
    text: list[str] = []
    total = Decimal(0)
    for i, (sign, name, value) in enumerate(parts):
        if value is None and i:
            continue
        shown = f"{name} {_fmt(value)}" if value is not None else f"{name} absent (0)"
        text.append(shown if i == 0 else f"{sign} {shown}")
        total = total + _zero(value) if sign == "+" else total - _zero(value)
    return " ".join(text), total


def _found(name: str, value: Decimal | None) -> str:
    return f"{name} {_fmt(value)}" if value is not None else f"{name} absent"


# -- the document's parts -----------------------------------------------------------------------------
def _root(node: etree._Element) -> etree._Element:
    return node.getroottree().getroot()


def _lines(root: etree._Element) -> list[etree._Element]:
    return [c for c in root if isinstance(c.tag, str) and etree.QName(c).localname.endswith("Line")]


def _line_name(root: etree._Element) -> str:
    lines = _lines(root)
    return etree.QName(lines[0]).localname if lines else "InvoiceLine"


def _total(root: etree._Element) -> etree._Element | None:
    return root.find("cac:LegalMonetaryTotal", NS)


def _doc_charges(root: etree._Element, charge: bool) -> list[etree._Element]:
    flag = "true" if charge else "false"
    return [
        ac
        for ac in root.findall("cac:AllowanceCharge", NS)
        if (ac.findtext("cbc:ChargeIndicator", "", NS) or "").strip() == flag
    ]


def _vat_total(root: etree._Element) -> Decimal | None:
    """The invoice total VAT amount in the document currency (BT-110: the TaxTotal whose TaxAmount has
    the currency of cbc:DocumentCurrencyCode)."""
    currency = (root.findtext("cbc:DocumentCurrencyCode", "", NS) or "").strip()
    for amount in root.findall("cac:TaxTotal/cbc:TaxAmount", NS):
        if not currency or amount.get("currencyID") == currency:
            return _dec(amount.text)
    return None


def _ancestor(node: etree._Element, local: str) -> etree._Element | None:
    for el in (node, *node.iterancestors()):
        if isinstance(el.tag, str) and etree.QName(el).localname == local:
            return el
    return None


def _category(el: etree._Element, path: str) -> tuple[str, Decimal | None]:
    cat = el.find(path, NS)
    if cat is None:
        return "", None
    return (cat.findtext("cbc:ID", "", NS) or "").strip(), _num(cat, "cbc:Percent")


# -- EN 16931 (CEN stylesheet) ---------------------------------------------------------------------
def _br_co_10(node: etree._Element) -> Explanation | None:
    root = _root(node)
    total = _total(root)
    if total is None:
        return None
    name = _line_name(root)
    values = [v for line in _lines(root) if (v := _num(line, "cbc:LineExtensionAmount")) is not None]
    text, value = _sum(f"{name}/LineExtensionAmount", values)
    return _found(
        "LineExtensionAmount", _num(total, "cbc:LineExtensionAmount")
    ), f"{text} = {_fmt(_round(value))}"


def _doc_allowance_sum(node: etree._Element, charge: bool) -> Explanation | None:
    root = _root(node)
    total = _total(root)
    if total is None:
        return None
    values = [v for ac in _doc_charges(root, charge) if (v := _num(ac, "cbc:Amount")) is not None]
    kind = "charge" if charge else "allowance"
    text, value = _sum(f"document-level {kind} Amount", values)
    name = "ChargeTotalAmount" if charge else "AllowanceTotalAmount"
    return _found(name, _num(total, f"cbc:{name}")), f"{text} = {_fmt(_round(value))}"


def _br_co_13(node: etree._Element) -> Explanation | None:
    total = _total(_root(node))
    if total is None:
        return None
    text, value = _terms(
        ("+", "LineExtensionAmount", _num(total, "cbc:LineExtensionAmount")),
        ("-", "AllowanceTotalAmount", _num(total, "cbc:AllowanceTotalAmount")),
        ("+", "ChargeTotalAmount", _num(total, "cbc:ChargeTotalAmount")),
    )
    return _found(
        "TaxExclusiveAmount", _num(total, "cbc:TaxExclusiveAmount")
    ), f"{text} = {_fmt(_round(value))}"


def _br_co_14(node: etree._Element) -> Explanation | None:
    tax_total = _ancestor(node, "TaxTotal")
    if tax_total is None:
        tax_total = _root(node).find("cac:TaxTotal[cac:TaxSubtotal]", NS)
    if tax_total is None:
        return None
    values = [
        v for st in tax_total.findall("cac:TaxSubtotal", NS) if (v := _num(st, "cbc:TaxAmount")) is not None
    ]
    text, value = _sum("TaxSubtotal/TaxAmount", values)
    return _found("TaxTotal/TaxAmount", _num(tax_total, "cbc:TaxAmount")), f"{text} = {_fmt(_round(value))}"


def _br_co_15(node: etree._Element) -> Explanation | None:
    root = _root(node)
    total = _total(root)
    if total is None:
        return None
    text, value = _terms(
        ("+", "TaxExclusiveAmount", _num(total, "cbc:TaxExclusiveAmount")),
        ("+", "TaxAmount", _vat_total(root)),
    )
    return _found(
        "TaxInclusiveAmount", _num(total, "cbc:TaxInclusiveAmount")
    ), f"{text} = {_fmt(_round(value))}"


def _br_co_16(node: etree._Element) -> Explanation | None:
    total = _total(_root(node))
    if total is None:
        return None
    text, value = _terms(
        ("+", "TaxInclusiveAmount", _num(total, "cbc:TaxInclusiveAmount")),
        ("-", "PrepaidAmount", _num(total, "cbc:PrepaidAmount")),
        ("+", "PayableRoundingAmount", _num(total, "cbc:PayableRoundingAmount")),
    )
    return _found("PayableAmount", _num(total, "cbc:PayableAmount")), f"{text} = {_fmt(_round(value))}"


def _subtotal_tax(node: etree._Element, rate_path: str = "cac:TaxCategory/cbc:Percent") -> Explanation | None:
    """BR-CO-17, BR-S-09 (and the AA/AB/… -09 rules), F-LIB401: TaxAmount = TaxableAmount × rate ÷ 100."""
    subtotal = _ancestor(node, "TaxSubtotal")
    if subtotal is None:
        return None
    taxable, rate = _num(subtotal, "cbc:TaxableAmount"), _num(subtotal, rate_path)
    if taxable is None or rate is None:
        return None
    value = _round(taxable * rate / 100)
    expected = f"TaxableAmount {_fmt(taxable)} × {rate.normalize():f} % = {_fmt(value)}"
    return _found("TaxSubtotal/TaxAmount", _num(subtotal, "cbc:TaxAmount")), expected


def _taxable(code: str) -> Callable[[etree._Element], Explanation | None]:
    """BR-S-08, BR-Z-08, BR-E-08, BR-AE-08, BR-K-08, BR-G-08, BR-O-08 …: the taxable amount of the VAT
    breakdown of one category (and, for S and the other rated ones, one rate) is the sum of the line net
    amounts of that category + the document-level charges − the allowances of that category."""
    cat_code = code.split("-")[1]
    per_rate = cat_code in ("S", "L", "M")  # the categories that have rates (BR-S-08, BR-AF-08, BR-AG-08)

    def explain(node: etree._Element) -> Explanation | None:
        subtotal = _ancestor(node, "TaxSubtotal")
        if subtotal is None:
            return None
        root = _root(node)
        _cat, rate = _category(subtotal, "cac:TaxCategory")

        def same(el: etree._Element, path: str) -> bool:
            c, r = _category(el, path)
            return c == cat_code and (not per_rate or r == rate)

        lines = [
            v
            for line in _lines(root)
            if same(line, "cac:Item/cac:ClassifiedTaxCategory")
            and (v := _num(line, "cbc:LineExtensionAmount")) is not None
        ]
        charges = [
            v
            for ac in _doc_charges(root, True)
            if same(ac, "cac:TaxCategory") and (v := _num(ac, "cbc:Amount")) is not None
        ]
        allowances = [
            v
            for ac in _doc_charges(root, False)
            if same(ac, "cac:TaxCategory") and (v := _num(ac, "cbc:Amount")) is not None
        ]
        which = f"{cat_code} {rate.normalize():f} %" if per_rate and rate is not None else cat_code
        parts = [_sum(f"{_line_name(root)} net amounts of category {which}", lines)]
        total = parts[0][1]
        text = parts[0][0]
        if charges:
            ctext, cval = _sum("charges", charges)
            text, total = f"{text} + {ctext}", total + cval
        if allowances:
            atext, aval = _sum("allowances", allowances)
            text, total = f"{text} - {atext}", total - aval
        return _found(
            "TaxSubtotal/TaxableAmount", _num(subtotal, "cbc:TaxableAmount")
        ), f"{text} = {_fmt(total)}"

    return explain


def _zero_tax(node: etree._Element) -> Explanation | None:
    """BR-Z-09, BR-E-09, BR-AE-09, BR-K-09, BR-G-09, BR-O-09: no VAT in a breakdown of that category."""
    subtotal = _ancestor(node, "TaxSubtotal")
    if subtotal is None:
        return None
    return _found("TaxSubtotal/TaxAmount", _num(subtotal, "cbc:TaxAmount")), "0.00"


def _decimals(node: etree._Element) -> Explanation | None:
    """BR-DEC-*: an amount with more than 2 decimals (the context element or one of its children)."""
    for el in (node, *node):
        if not isinstance(el.tag, str) or len(el):
            continue
        value = _dec(el.text)
        exp = value.as_tuple().exponent if value is not None else 0
        if value is not None and isinstance(exp, int) and exp < -2:
            name = etree.QName(el).localname
            return (
                f"{name} {el.text.strip() if el.text else ''} ({-exp} decimals)",
                f"at most 2 decimals: {_round(value)}",
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
            _dec(c.text)
            for c in line
            if isinstance(c.tag, str) and etree.QName(c).localname.endswith("Quantity")
        ),
        None,
    )
    price = _num(line, "cac:Price/cbc:PriceAmount")
    base = _num(line, "cac:Price/cbc:BaseQuantity")
    if qty is None or price is None:
        return None
    charges = [
        _zero(_num(ac, "cbc:Amount")) for ac in line.findall("cac:AllowanceCharge", NS) if _is_charge(ac)
    ]
    allowances = [
        _zero(_num(ac, "cbc:Amount")) for ac in line.findall("cac:AllowanceCharge", NS) if not _is_charge(ac)
    ]
    per = base if base not in (None, Decimal(0)) else Decimal(1)
    value = qty * (price / per) + sum(charges, Decimal(0)) - sum(allowances, Decimal(0))
    text = f"quantity {qty.normalize():f} × PriceAmount {_fmt(price)}"
    if per != 1:
        text += f" ÷ BaseQuantity {per.normalize():f}"
    if charges:
        text += f" + charges {_fmt(sum(charges, Decimal(0)))}"
    if allowances:
        text += f" - allowances {_fmt(sum(allowances, Decimal(0)))}"
    return _found(
        "LineExtensionAmount", _num(line, "cbc:LineExtensionAmount")
    ), f"{text} = {_fmt(_round(value))}"


def _is_charge(ac: etree._Element) -> bool:
    return (ac.findtext("cbc:ChargeIndicator", "", NS) or "").strip() == "true"


def _allowance_amount(node: etree._Element) -> Explanation | None:
    """PEPPOL-EN16931-R040: allowance or charge amount = base amount × percentage ÷ 100."""
    ac = _ancestor(node, "AllowanceCharge")
    if ac is None:
        return None
    base, pct = _num(ac, "cbc:BaseAmount"), _num(ac, "cbc:MultiplierFactorNumeric")
    if base is None or pct is None:
        return None
    value = _round(base * pct / 100)
    expected = f"BaseAmount {_fmt(base)} × MultiplierFactorNumeric {pct.normalize():f} % = {_fmt(value)}"
    return _found("Amount", _num(ac, "cbc:Amount")), expected


# -- OIOUBL 2.1 --------------------------------------------------------------------------------------
def _oio_lines(node: etree._Element) -> Explanation | None:
    """F-INV126, F-CRN072: LineExtensionAmount = the sum of the lines not free of charge."""
    root = _root(node)
    total = _total(root)
    if total is None:
        return None
    values = [
        v
        for line in _lines(root)
        if (line.findtext("cbc:FreeOfChargeIndicator", "false", NS) or "").strip() != "true"
        and (v := _num(line, "cbc:LineExtensionAmount")) is not None
    ]
    text, value = _sum(f"{_line_name(root)}/LineExtensionAmount (not free of charge)", values)
    return _found(
        "LineExtensionAmount", _num(total, "cbc:LineExtensionAmount")
    ), f"{text} = {_fmt(_round(value))}"


def _oio_tax(node: etree._Element) -> Explanation | None:
    """F-INV127, F-CRN073: OIOUBL's TaxExclusiveAmount is the VAT total: the sum of the TaxSubtotals."""
    root = _root(node)
    total = _total(root)
    if total is None:
        return None
    values = [
        v
        for st in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
        if (v := _num(st, "cbc:TaxAmount")) is not None
    ]
    text, value = _sum("TaxSubtotal/TaxAmount", values)
    return _found(
        "TaxExclusiveAmount", _num(total, "cbc:TaxExclusiveAmount")
    ), f"{text} = {_fmt(_round(value))}"


def _oio_inclusive(node: etree._Element, payable: bool) -> Explanation | None:
    """F-INV128/F-CRN074: TaxInclusiveAmount = lines + VAT + charges − allowances + rounding; F-INV133/
    F-CRN079: PayableAmount = the same − PrepaidAmount."""
    root = _root(node)
    total = _total(root)
    if total is None:
        return None
    vat = [
        v
        for st in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
        if (v := _num(st, "cbc:TaxAmount")) is not None
    ]
    parts: list[tuple[str, str, Decimal | None]] = [
        ("+", "LineExtensionAmount", _num(total, "cbc:LineExtensionAmount")),
        ("+", "VAT of the TaxSubtotals", sum(vat, Decimal(0))),
        ("+", "ChargeTotalAmount", _num(total, "cbc:ChargeTotalAmount")),
        ("-", "AllowanceTotalAmount", _num(total, "cbc:AllowanceTotalAmount")),
    ]
    if payable:
        parts.append(("-", "PrepaidAmount", _num(total, "cbc:PrepaidAmount")))
    parts.append(("+", "PayableRoundingAmount", _num(total, "cbc:PayableRoundingAmount")))
    text, value = _terms(*parts)
    name = "PayableAmount" if payable else "TaxInclusiveAmount"
    return _found(name, _num(total, f"cbc:{name}")), f"{text} = {_fmt(_round(value))}"


def _oio_sum(name: str, label: str, paths: Iterable[str]) -> Callable[[etree._Element], Explanation | None]:
    def explain(node: etree._Element) -> Explanation | None:
        root = _root(node)
        total = _total(root)
        if total is None:
            return None
        values = [v for p in paths for el in root.findall(p, NS) if (v := _dec(el.text)) is not None]
        text, value = _sum(label, values)
        return _found(name, _num(total, f"cbc:{name}")), f"{text} = {_fmt(_round(value))}"

    return explain


RULES: dict[str, Callable[[etree._Element], Explanation | None]] = {
    "BR-CO-10": _br_co_10,
    "BR-CO-11": lambda n: _doc_allowance_sum(n, charge=False),
    "BR-CO-12": lambda n: _doc_allowance_sum(n, charge=True),
    "BR-CO-13": _br_co_13,
    "BR-CO-14": _br_co_14,
    "BR-CO-15": _br_co_15,
    "BR-CO-16": _br_co_16,
    "BR-CO-17": _subtotal_tax,
    "BR-S-09": _subtotal_tax,
    "PEPPOL-EN16931-R040": _allowance_amount,
    "PEPPOL-EN16931-R120": _line_net,
    "F-INV126": _oio_lines,
    "F-CRN072": _oio_lines,
    "F-INV127": _oio_tax,
    "F-CRN073": _oio_tax,
    "F-INV128": lambda n: _oio_inclusive(n, payable=False),
    "F-CRN074": lambda n: _oio_inclusive(n, payable=False),
    "F-INV133": lambda n: _oio_inclusive(n, payable=True),
    "F-CRN079": lambda n: _oio_inclusive(n, payable=True),
    "F-INV129": _oio_sum(
        "AllowanceTotalAmount",
        "AllowanceCharge/Amount (allowances)",
        ["cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:Amount"],
    ),
    "F-CRN075": _oio_sum(
        "AllowanceTotalAmount",
        "AllowanceCharge/Amount (allowances)",
        ["cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:Amount"],
    ),
    "F-INV130": _oio_sum(
        "ChargeTotalAmount",
        "AllowanceCharge/Amount (charges)",
        ["cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:Amount"],
    ),
    "F-CRN076": _oio_sum(
        "ChargeTotalAmount",
        "AllowanceCharge/Amount (charges)",
        ["cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:Amount"],
    ),
    "F-INV131": _oio_sum("PrepaidAmount", "PrepaidPayment/PaidAmount", ["cac:PrepaidPayment/cbc:PaidAmount"]),
    "F-INV132": _oio_sum(
        "PayableRoundingAmount", "TaxTotal/RoundingAmount", ["cac:TaxTotal/cbc:RoundingAmount"]
    ),
    "F-CRN078": _oio_sum(
        "PayableRoundingAmount", "TaxTotal/RoundingAmount", ["cac:TaxTotal/cbc:RoundingAmount"]
    ),
    "F-LIB401": _subtotal_tax,
}
# EN 16931 per-category rules: -08 taxable amount, -09 (no rate) no VAT / (rate) VAT = taxable × rate.
for _cat in ("S", "Z", "E", "AE", "K", "G", "O", "IC", "IG", "IP", "AF", "AG"):
    RULES[f"BR-{_cat}-08"] = _taxable(f"BR-{_cat}-08")
for _cat in ("Z", "E", "AE", "K", "G", "O"):
    RULES[f"BR-{_cat}-09"] = _zero_tax


def explain(code: str, node: etree._Element | None) -> Explanation | None:
    """(found, expected) for a failed calculation rule at ``node`` (the SVRL location), or None."""
    if node is None:
        return None
    fn = RULES.get(code) or (_decimals if code.startswith("BR-DEC-") else None)
    if fn is None:
        return None
    try:
        return fn(node)
    except (ArithmeticError, ValueError, TypeError):  # a value the document gives in no number form
        return None
