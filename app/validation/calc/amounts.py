"""The amounts of a UBL document as the calculation rules read them: decimals, their sums and formulas
written out, the document's lines, totals, allowances, charges and VAT categories."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC}
CENT = Decimal("0.01")
#: Above this many terms a sum is written with its count, not term by term.
MAX_TERMS = 6

Explanation = tuple[str, str]
#: A rule's explainer: (found, expected) at the failed node, or None.
Rule = Callable[[etree._Element], Explanation | None]


def dec(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip()) if (text or "").strip() else None
    except InvalidOperation:
        return None


def num(el: etree._Element, path: str) -> Decimal | None:
    found = el.find(path, NS)
    return dec(found.text) if found is not None else None


def zero(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def rounded(value: Decimal) -> Decimal:
    """Rounded to 2 decimals, as the rules' ``round(x * 10 * 10) div 100``."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """An amount as the rules compare it: at least 2 decimals, more if the document has them."""
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp < -2:
        return format(value.normalize() if value == value.to_integral() else value, "f")
    return format(value.quantize(CENT), "f")


def sum_of(label: str, values: list[Decimal]) -> tuple[str, Decimal]:
    """("sum of 3 InvoiceLine/LineExtensionAmount (100.00 + 50.00 + 25.00)", 175.00)."""
    total = sum(values, Decimal(0))
    if not values:
        return f"no {label}", total
    if len(values) == 1:
        return f"{label} {fmt(values[0])}", total
    if len(values) <= MAX_TERMS:
        terms = " + ".join(fmt(v) if v >= 0 else f"({fmt(v)})" for v in values)
        return f"sum of {len(values)} {label} ({terms})", total
    return f"sum of {len(values)} {label}", total


def formula(*parts: tuple[str, str, Decimal | None]) -> tuple[str, Decimal]:
    """A formula of named amounts: ("+", "TaxExclusiveAmount", 1000) … → its text and value (a missing
    amount counts as 0, as in the rules' ``sum(…)``, and is left out of the text but for the first)."""
    text: list[str] = []
    total = Decimal(0)
    for i, (sign, name, value) in enumerate(parts):
        if value is None and i:
            continue
        shown = f"{name} {fmt(value)}" if value is not None else f"{name} absent (0)"
        text.append(shown if i == 0 else f"{sign} {shown}")
        total = total + zero(value) if sign == "+" else total - zero(value)
    return " ".join(text), total


def stated(name: str, value: Decimal | None) -> str:
    return f"{name} {fmt(value)}" if value is not None else f"{name} absent"


# -- the document's parts -----------------------------------------------------------------------------
def document_root(node: etree._Element) -> etree._Element:
    return node.getroottree().getroot()


def line_elements(root: etree._Element) -> list[etree._Element]:
    return [c for c in root if isinstance(c.tag, str) and etree.QName(c).localname.endswith("Line")]


def line_name(root: etree._Element) -> str:
    lines = line_elements(root)
    return etree.QName(lines[0]).localname if lines else "InvoiceLine"


def legal_total(root: etree._Element) -> etree._Element | None:
    return root.find("cac:LegalMonetaryTotal", NS)


def doc_charges(root: etree._Element, charge: bool) -> list[etree._Element]:
    flag = "true" if charge else "false"
    return [
        ac
        for ac in root.findall("cac:AllowanceCharge", NS)
        if (ac.findtext("cbc:ChargeIndicator", "", NS) or "").strip() == flag
    ]


def vat_total(root: etree._Element) -> Decimal | None:
    """The invoice total VAT amount in the document currency (BT-110: the TaxTotal whose TaxAmount has
    the currency of cbc:DocumentCurrencyCode)."""
    currency = (root.findtext("cbc:DocumentCurrencyCode", "", NS) or "").strip()
    for amount in root.findall("cac:TaxTotal/cbc:TaxAmount", NS):
        if not currency or amount.get("currencyID") == currency:
            return dec(amount.text)
    return None


def ancestor(node: etree._Element, local: str) -> etree._Element | None:
    for el in (node, *node.iterancestors()):
        if isinstance(el.tag, str) and etree.QName(el).localname == local:
            return el
    return None


def category(el: etree._Element, path: str) -> tuple[str, Decimal | None]:
    cat = el.find(path, NS)
    if cat is None:
        return "", None
    return (cat.findtext("cbc:ID", "", NS) or "").strip(), num(cat, "cbc:Percent")


def against(el: etree._Element, name: str, text: str, value: Decimal) -> Explanation:
    """The amount ``name`` of ``el`` as found, and the formula ``text`` with its value rounded as the rules
    round it."""
    return stated(name, num(el, f"cbc:{name}")), f"{text} = {fmt(rounded(value))}"
