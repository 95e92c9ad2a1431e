"""An order's content as stored and compared: the form as JSON, its hash, and where two contents differ.

The same order id sent again with the same content is a replay; with other content it is refused, naming
the first field that differs (as a retry with the same ``Idempotency-Key`` and another body is).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.forms.models import RegistrationForm


def form_document(form: RegistrationForm) -> dict[str, Any]:
    """The form as stored and compared: JSON, the shop's order status left out (it moves on its own)."""
    data: dict[str, Any] = form.model_dump(mode="json", exclude={"order_status"}, exclude_none=True)
    return data


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """The first path at which two JSON values differ (``products[0].price``), None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            sub = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                return sub
            found = first_difference(a[key], b[key], sub)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None if len(a) == len(b) else f"{path}[{min(len(a), len(b))}]"
    return None if a == b else (path or "body")
