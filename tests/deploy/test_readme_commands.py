"""Every command the README's "Use" section and docs/quickstart.md print runs as printed, in order, and
exits as stated (``# exit N`` after a command; 0 otherwise).

They run in one bash, in a temporary folder that holds the checkout's ``.venv`` and ``fixtures`` (the
files the commands name) and nothing else, with the embedded defaults pointed at that folder's ``var/``
(the database, the blobs, the mail outbox), so a run leaves nothing in the checkout. The quickstart's
server gets a free port instead of 8000. Lines starting with ``make`` are the set-up the README's two
commands do (CI runs ``make test`` before this test), so they are not run again here.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
QUICKSTART = PROJECT_ROOT / "docs" / "quickstart.md"
_EXIT = re.compile(r"#\s*exit (\d+)\b")
_FENCE = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    use = text[text.index("## Use\n") : text.index("\n## ", text.index("## Use\n") + 1)]
    return [line[4:] for line in use.splitlines() if line.startswith("    .venv/bin/")]


def quickstart_commands() -> list[str]:
    blocks = _FENCE.findall(QUICKSTART.read_text(encoding="utf-8"))
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def expected_exit(command: str) -> int:
    found = _EXIT.search(command)
    return int(found.group(1)) if found else 0


def script(commands: list[str]) -> str:
    """One bash script: each command, then a check of its exit status against the one the page states."""
    lines = ["set -u"]
    for command in commands:
        if command.startswith("make "):
            continue
        expected = expected_exit(command)
        lines.append(command)
        if command.rstrip().endswith("&"):
            continue  # started in the background: its status is the start's
        shown = shlex.quote(command)
        lines.append(
            f'rc=$?; if [ "$rc" -ne {expected} ]; then '
            f'echo "exit $rc, the page says {expected}: "{shown} >&2; exit 97; fi'
        )
    return "\n".join(lines) + "\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_as_printed(commands: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    for name in (".venv", "fixtures"):
        (folder / name).symlink_to(PROJECT_ROOT / name)
    env = {
        **os.environ,
        "NORDUBL_DATABASE_URL": f"sqlite:///{folder / 'var' / 'nordubl.db'}",
        "NORDUBL_BLOB_DIR": str(folder / "var" / "blobs"),
        "NORDUBL_MAIL_OUTBOX_DIR": str(folder / "var" / "outbox"),
        "NORDUBL_LOG_LEVEL": "WARNING",
    }
    text = script(commands).replace("127.0.0.1:8000", f"127.0.0.1:{(port := _free_port())}")
    text = text.replace("--port 8000", f"--port {port}")
    proc = subprocess.Popen(
        ["bash", "-c", text],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the background server goes with the group, whatever happens
    )
    try:
        out, err = proc.communicate(timeout=1800)  # a cap for a hang, not a speed requirement
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_the_pages_print_commands_to_run() -> None:
    assert len(readme_commands()) >= 8
    assert len(quickstart_commands()) >= 12
    assert not [
        c for c in readme_commands() + quickstart_commands() if re.search(r"\b[A-Z]+\.(json|xml)\b", c)
    ]


@pytest.mark.parametrize("page", ["README.md", "docs/quickstart.md"])
def test_every_command_runs_as_printed(page: str, tmp_path: Path) -> None:
    commands = readme_commands() if page == "README.md" else quickstart_commands()
    done = run_as_printed(commands, tmp_path)
    assert done.returncode == 0, f"{page}:\n{done.stderr[-4000:]}"
    if page == "docs/quickstart.md":
        assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF-")
        assert list((tmp_path / "var" / "outbox").glob("*.eml")), "no mail was written"
        assert b"<Order" in (tmp_path / "order.xml").read_bytes()
    else:
        assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF-")
        assert (tmp_path / "junit.xml").read_text().startswith("<?xml")
