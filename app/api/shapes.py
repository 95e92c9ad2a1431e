"""Answer models filled from the records they show."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def shaped(model: type[M], source: object, **given: Any) -> M:
    """``model`` with the fields in ``given`` as given and every other field read from the attribute of
    ``source`` with its name (validated as the model validates them)."""
    return model(**{name: getattr(source, name) for name in model.model_fields if name not in given}, **given)
