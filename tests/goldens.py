"""Shared checks of golden UBL files: C14N comparison, regeneration, the project's validator, the oracle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from lxml import etree

from app.config import PROJECT_ROOT
from app.validation.engine import default_engine

ORACLE = PROJECT_ROOT.parent / "shared" / "tools" / "oracle.py"


def c14n(xml: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.tostring(etree.fromstring(xml, parser), method="c14n2")


def assert_golden(golden: Path, xml: bytes) -> None:
    """``xml`` equals the golden file after C14N; ``NORDUBL_UPDATE_GOLDEN=1`` rewrites the golden file."""
    if os.environ.get("NORDUBL_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(xml)
    assert golden.is_file(), f"missing golden file {golden}: run with NORDUBL_UPDATE_GOLDEN=1"
    assert c14n(xml) == c14n(golden.read_bytes())


def invalid_goldens(files: list[Path]) -> dict[str, list[str]]:
    """The golden files the project's validator rejects, with their fatal rule ids."""
    engine = default_engine()
    return {
        f.name: sorted(r.fatal_codes()) for f in files if not (r := engine.validate(f.read_bytes())).valid
    }


def oracle(files: list[Path]) -> tuple[int, list[dict[str, Any]]]:
    """Run the independent oracle once over ``files``: its exit code and its per-file results."""
    proc = subprocess.run(
        [sys.executable, str(ORACLE), "--json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return proc.returncode, json.loads(proc.stdout)
