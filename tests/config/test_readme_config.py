"""README's configuration table is complete and true: one row per Settings field, its default as the
model has it, no row for a setting that does not exist; the two set-up commands are still there."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from app.config import PROJECT_ROOT, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def table() -> dict[str, str]:
    """``NORDUBL_X`` → default cell, from the table under "## Configuration"."""
    text = README.read_text()
    section = text[text.index("## Configuration") :]
    section = section[: section.index("\n## ", 3)] if "\n## " in section[3:] else section
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`NORDUBL_"):
            continue
        names = re.findall(r"`(NORDUBL_[A-Z0-9_]+)`", cells[0])
        assert len(names) == 1, f"one variable per row: {line}"
        assert names[0] not in rows, f"{names[0]} twice"
        rows[names[0]] = cells[1]
    return rows


def expected_cell(default: Any) -> list[str]:
    """What the default cell must contain (any one of these)."""
    if default is None or (isinstance(default, SecretStr) and not default.get_secret_value()):
        return ["unset"]
    if isinstance(default, bool):
        return [str(default).lower()]
    if isinstance(default, float):
        return [f"{default:g}", str(default)]
    if isinstance(default, int):
        return [str(default)]
    if isinstance(default, Path):
        return [f"`{os.path.relpath(default, PROJECT_ROOT)}`"]
    if default == "":
        return ['`""`']
    return [f"`{default}`"]


def test_every_setting_has_a_row_and_every_row_a_setting() -> None:
    rows = table()
    fields = {f"NORDUBL_{name.upper()}": name for name in Settings.model_fields}
    missing = sorted(set(fields) - set(rows))
    unknown = sorted(set(rows) - set(fields))
    assert not missing, f"README.md, ## Configuration: add rows for {missing}"
    assert not unknown, f"README.md lists settings that do not exist: {unknown}"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_the_default_in_the_table_is_the_models(name: str) -> None:
    default = Settings.model_fields[name].get_default(call_default_factory=True)
    cell = table().get(f"NORDUBL_{name.upper()}")
    assert cell is not None
    wanted = expected_cell(default)
    assert any(w in cell for w in wanted), (
        f"NORDUBL_{name.upper()}: README says {cell!r}, the model {wanted[0]}"
    )


def test_the_set_up_commands_are_unchanged() -> None:
    text = README.read_text()
    assert "\n    make run\n" in text and "\n    make test\n" in text
