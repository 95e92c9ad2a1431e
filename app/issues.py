"""One error shape everywhere: :class:`Issue` (code, severity, message, location, field, hint).

Codes: ``input.*`` for bad input, ``xsd.*`` for schema errors, ``xml.*`` for documents refused before
any rule ran, ``engine.*`` for a rule stage that could not run, and Schematron rule ids exactly as
published (``BR-CO-15``, ``PEPPOL-EN16931-R010``, ``NO-R-002``, ``F-INV133``). The codes of ours whose
texts the owner reads in their language are defined once in :mod:`app.codes`; :mod:`app.errors` carries
issues to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field  # Issue has an attribute named field
from typing import Any, Literal

Severity = Literal["fatal", "error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    severity: Severity
    message: str
    #: XPath of the node the issue is about (``/Order/cac:OrderLine[2]``), when known.
    xpath: str | None = None
    #: 1-based line in the document, when known.
    line: int | None = None
    #: The input-form field that produced the node (``customer.org_number``), when known.
    field: str | None = None
    #: One sentence on how to fix it.
    hint: str | None = None
    #: The offending value, when known.
    value: str | None = None
    #: For a calculation rule: the value found in the document and the value the rule's published
    #: definition gives, computed from the document (``TaxInclusiveAmount 1250.00``, ``TaxExclusiveAmount
    #: 1000.00 + TaxAmount 250.00 = 1250.00``; :mod:`app.validation.calc`).
    found: str | None = None
    expected: str | None = None
    #: A catalogued code's parameters (:mod:`app.codes`): its text can be written again in another
    #: language (the error log, a problem body for ``Accept-Language``). Not part of the answer.
    params: Mapping[str, str] | None = dataclass_field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            f.name: v for f in fields(self) if f.name != "params" and (v := getattr(self, f.name)) is not None
        }


def official(code: str) -> bool:
    """A published rule id (``BR-CO-15``, ``PEPPOL-EN16931-R010``, ``F-INV046``) or a schema error
    (``xsd.*``): its text is quoted as published, it is not a code of ours."""
    return "." not in code or code.startswith("xsd.")
