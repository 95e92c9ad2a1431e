"""What the command line prints about itself: ``--version``, help texts without markup, the counts' grammar,
and the worker's log as the JSON lines the API writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import build_parser, main
from app.config import PROJECT_ROOT
from app.standards import load_manifest

NORDUBL = [sys.executable, "-m", "app.cli"]
GOLDEN = PROJECT_ROOT / "fixtures/expected/no-company-single.ehf.xml"


def test_version_names_the_package_and_every_rule_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"nordubl {__version__}"
    releases = {entry.version for entry in load_manifest()}
    assert releases and {line.strip() for line in lines[2:]} == releases


@pytest.mark.parametrize("command", [None, *sorted(build_parser()._subparsers._group_actions[0].choices)])  # type: ignore[union-attr]
def test_help_texts_carry_no_markup(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"] if command else ["--help"]) == 0
    text = capsys.readouterr().out
    assert "``" not in text and ":func:" not in text and ":data:" not in text, text


@pytest.mark.parametrize(("copies", "counted"), [(1, "1 file: 1 valid"), (2, "2 files: 2 valid")])
def test_the_count_line_speaks_proper_english(
    tmp_path: Path, copies: int, counted: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(copies):
        (tmp_path / f"{i}.xml").write_bytes(GOLDEN.read_bytes())
    assert main(["validate", str(tmp_path)]) == 0
    assert f"nordubl validate: {counted}, 0 invalid, 0 unreadable" in capsys.readouterr().err


def background_command(args: list[str], tmp_path: Path, logger: str) -> tuple[str, list[dict[str, object]]]:
    """Run ``nordubl ARGS`` on a database of its own: its standard output, and its log lines (every one must
    be JSON: no alembic text among them) of ``logger``."""
    env = {
        **os.environ,
        "NORDUBL_DATABASE_URL": f"sqlite:///{tmp_path / 'nordubl.db'}",
        "NORDUBL_BLOB_DIR": str(tmp_path / "blobs"),
        "NORDUBL_MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "NORDUBL_LOG_FORMAT": "json",
    }
    done = subprocess.run(
        [*NORDUBL, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a cap for a hung process, not a speed requirement
        check=False,
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert not [r for r in records if str(r.get("logger", "")).startswith("alembic")], records
    return done.stdout, [r for r in records if r.get("logger") == logger]


def test_the_mail_worker_logs_json_lines_and_says_what_it_does(tmp_path: Path) -> None:
    out, starts = background_command(["worker", "--once", "--transport", "file"], tmp_path, "nordubl.worker")
    assert starts and "once, then exiting" in str(starts[0]["message"]), starts
    assert "nothing to send" in out


def test_the_webhook_deliverer_logs_json_lines_and_prints_a_summary(tmp_path: Path) -> None:
    out, starts = background_command(["webhooks", "deliver", "--once"], tmp_path, "nordubl.webhooks")
    assert starts and "once, then exiting" in str(starts[0]["message"]), starts
    assert out.strip() == "webhooks: nothing due"
