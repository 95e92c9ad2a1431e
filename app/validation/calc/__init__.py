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

from lxml import etree

from app.validation.calc import en16931, oioubl
from app.validation.calc.amounts import Explanation, Rule

RULES: dict[str, Rule] = {**en16931.RULES, **oioubl.RULES}


def explain(code: str, node: etree._Element | None) -> Explanation | None:
    """(found, expected) for a failed calculation rule at ``node`` (the SVRL location), or None."""
    if node is None:
        return None
    fn = RULES.get(code) or (en16931.decimals if code.startswith("BR-DEC-") else None)
    if fn is None:
        return None
    try:
        return fn(node)
    except (ArithmeticError, ValueError, TypeError):  # a value the document gives in no number form
        return None
