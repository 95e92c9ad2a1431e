"""docs/forms.md is the form as the models define it: every field, with a meaning, an example and a source."""

from __future__ import annotations

from app.config import PROJECT_ROOT
from app.forms import reference
from app.forms.models import RegistrationForm

PAGE = PROJECT_ROOT / "docs" / "forms.md"


def test_the_page_is_written_from_the_models() -> None:
    assert PAGE.read_text(encoding="utf-8") == reference.render(), (
        "docs/forms.md is out of date: run `.venv/bin/python -m app.forms.reference > docs/forms.md`"
    )


def test_every_field_of_the_models_is_on_the_page() -> None:
    def paths(model: type, prefix: str = "") -> set[str]:
        out = set()
        for name, info in model.model_fields.items():  # type: ignore[attr-defined]
            out.add(prefix + name)
            inner = info.annotation
            for arg in getattr(inner, "__args__", ()) or (inner,):
                for candidate in getattr(arg, "__args__", ()) or (arg,):
                    if isinstance(candidate, type) and hasattr(candidate, "model_fields"):
                        nested = f"{prefix}{name}[]." if "list" in str(inner) else f"{prefix}{name}."
                        out |= paths(candidate, nested)
        return out

    listed = {row.field.strip("`") for row in reference.rows()}
    assert paths(RegistrationForm) == listed


def test_every_field_says_what_it_means_and_shows_a_value() -> None:
    rows = list(reference.rows())
    assert [r.field for r in rows if not r.meaning] == []
    plain = [r for r in rows if r.type not in ("object", "list of object")]
    assert [r.field for r in plain if not r.example] == []
    assert [
        r.field for r in rows if r.source not in reference.SOURCES and not r.source.startswith("BT-")
    ] == []
