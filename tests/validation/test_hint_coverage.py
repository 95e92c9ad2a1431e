"""Hints cover the 50 rules that fire most often, per family, over the official unit tests and broken copies
of the official examples (scripts/hint_coverage.py counts them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from app.i18n import translator
from app.validation.engine import Engine
from app.validation.hints import hint_for

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "hint_coverage.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hint_coverage", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_50_rules_that_fire_most_often_have_a_translated_hint(validation_engine: Engine) -> None:
    documents, fired, _texts = _script().count(validation_engine)
    assert documents > 2000
    for family, counts in fired.items():
        top = [code for code, _ in counts.most_common(50)]
        assert len(top) == 50, family  # enough rules fire in each family to count 50
        assert [code for code in top if not hint_for(code)] == [], family
        for code in top:
            hint = hint_for(code)
            assert hint is not None
            for lang in ("nb", "da", "sv"):
                assert translator(lang).pgettext("rule hint", hint) != hint, (family, code, lang)
