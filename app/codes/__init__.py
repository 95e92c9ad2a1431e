"""The one catalogue of the service's coded findings and errors (:mod:`app.codes.texts`), its entries
written by family in the modules beside it."""

from __future__ import annotations

from app.codes.code import Code
from app.codes.texts import CODES, FEE_NAMES, fill, issue, templates, text, values

__all__ = ["CODES", "FEE_NAMES", "Code", "fill", "issue", "templates", "text", "values"]
