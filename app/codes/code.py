"""One entry of the catalogue of codes: its severity, the form field it names by default, its English
message and hint (msgids, msgctxt = the code) and its variants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field  # Code has an attribute named field

from app.issues import Severity


@dataclass(frozen=True, slots=True)
class Code:
    severity: Severity
    #: the form field the code names when the caller names none (None: the caller always names one)
    field: str | None
    message: str
    hint: str
    #: an account may make it a warning instead of an error (``ProcessingSettings.findings``)
    configurable: bool = False
    #: the same code said more precisely for one cause: variant name -> (message, hint), msgctxt
    #: ``code:variant`` (``customer.number_missing``: which number strategy found no number); a hint of
    #: None is the code's own, and a text the same as the code's own is translated under the code's msgctxt
    variants: Mapping[str, tuple[str, str | None]] = dataclass_field(default_factory=dict)

    def texts(self, variant: str | None) -> tuple[str, str]:
        """The English (message, hint) of ``variant``, else of the code itself."""
        message, hint = self.variants.get(variant or "", (self.message, self.hint))
        return message, hint or self.hint
