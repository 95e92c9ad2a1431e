"""``python -m app.validation.rulesets``: rewrite the generated part of docs/validation.md."""

from app.config import PROJECT_ROOT
from app.validation.rulesets import render_docs

docs = PROJECT_ROOT / "docs" / "validation.md"
docs.write_text(render_docs(docs.read_text(encoding="utf-8")), encoding="utf-8")
