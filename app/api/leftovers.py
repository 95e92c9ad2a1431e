"""Temporary folders named after the process that owns them, and the start-up sweep of dead owners' ones.

A process killed with ``kill -9`` runs no cleanup: the folder a batch upload was streaming into stays in
the temporary directory for good. Several API processes share that directory (``uvicorn --workers N``,
replicas on one host), so a process starting up may only remove what belongs to a process that is gone.
Every such folder is created by :func:`scratch_dir` with its owner in its name::

    nordubl-<kind>-<pid>.<start>.<pidns>.<boot>-<random>

``start`` is the owner's start time (field 22 of ``/proc/<pid>/stat``, clock ticks since boot; proc(5)),
so a pid reused by another process does not keep a dead owner's folder alive; ``pidns`` is the inode of
the owner's PID namespace (``/proc/self/ns/pid``) and ``boot`` the start of the kernel's boot id, so a
pid read in another container or before a reboot is never taken for one of ours. :func:`sweep` (at the
API's start-up) removes the entries whose owner is dead: same namespace and boot, and no process with
that pid and start time (or a zombie), or a boot that is over. Entries of another namespace, of a live
owner, and names it does not know are left alone. Without ``/proc`` the start time is 0 and a pid that
answers ``kill(pid, 0)`` counts as the owner.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "nordubl-"
#: ``nordubl-<kind>-<pid>.<start>.<pidns>.<boot>-…`` (see the module docstring)
_OWNED = re.compile(r"nordubl-[a-z]+-(?P<pid>\d+)\.(?P<start>\d+)\.(?P<ns>\d+)\.(?P<boot>[0-9a-f]+)-.+")
_PROC = Path("/proc")


@dataclass(frozen=True)
class Owner:
    pid: int
    start: int
    ns: int
    boot: str

    @property
    def tag(self) -> str:
        return f"{self.pid}.{self.start}.{self.ns}.{self.boot}"


def _stat_fields(pid: int) -> list[str] | None:
    """``/proc/<pid>/stat`` after the command name (which may hold spaces and parentheses; proc(5))."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def start_time(pid: int) -> int:
    """The process's start time in clock ticks since boot (proc(5), field 22); 0 without ``/proc``."""
    fields = _stat_fields(pid)
    if fields is not None:
        with contextlib.suppress(IndexError, ValueError):
            return int(fields[19])  # field 22: fields[0] is field 3 (state)
    return 0


def _namespace() -> int:
    with contextlib.suppress(OSError, ValueError):
        return os.stat(_PROC / "self/ns/pid").st_ino
    return 0


def _boot() -> str:
    with contextlib.suppress(OSError):
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip().replace("-", "")[:8] or "0"
    return "0"


def me() -> Owner:
    pid = os.getpid()
    return Owner(pid, start_time(pid), _namespace(), _boot())


def scratch_dir(kind: str, folder: Path | None = None) -> tempfile.TemporaryDirectory[str]:
    """A private temporary directory (mode 0700, as :class:`tempfile.TemporaryDirectory` makes them) in
    ``folder`` (default: the temporary directory) whose name says which process owns it; ``kind`` is a
    lower-case word (``batch``)."""
    if not re.fullmatch(r"[a-z]+", kind):
        raise ValueError(f"scratch kind must be lower-case letters: {kind!r}")
    return tempfile.TemporaryDirectory(prefix=f"{PREFIX}{kind}-{me().tag}-", dir=folder)


def owner_of(name: str) -> Owner | None:
    m = _OWNED.fullmatch(name)
    if m is None:
        return None
    return Owner(int(m["pid"]), int(m["start"]), int(m["ns"]), m["boot"])


def is_alive(owner: Owner, here: Owner | None = None) -> bool:
    """Whether ``owner`` may still be running, as seen from ``here`` (default: this process). Anything
    that cannot be decided from here (another PID namespace) counts as alive."""
    here = here or me()
    if owner.boot != here.boot:
        return here.boot == "0" or owner.boot == "0"  # a boot that is over: every owner of it is gone
    if owner.ns != here.ns:
        return True  # another container's pid: not ours to judge
    if owner.pid == here.pid and owner.start == here.start:
        return True
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's live process
    fields = _stat_fields(owner.pid)
    if fields is None:
        return owner.start == 0  # no /proc: the pid answers, so it counts as the owner
    if fields[0] in ("Z", "X"):  # proc(5) state: a zombie or dead process runs no code
        return False
    return owner.start == 0 or start_time(owner.pid) == owner.start


def sweep(folder: Path | None = None) -> list[Path]:
    """Remove the entries of ``folder`` (default: the temporary directory) whose owner is dead; returns
    what was removed. Never raises: a start-up must not fail on a folder it cannot remove."""
    root = Path(folder or tempfile.gettempdir())
    here = me()
    removed: list[Path] = []
    try:
        entries = [e for e in root.iterdir() if e.name.startswith(PREFIX)]
    except OSError as exc:
        log.warning("cannot list the temporary directory", extra={"path": str(root), "error": str(exc)})
        return removed
    for entry in entries:
        owner = owner_of(entry.name)
        if owner is None or is_alive(owner, here):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:
            continue  # another process starting up removed it first
        except OSError as exc:
            log.warning(
                "cannot remove a dead process's temporary entry",
                extra={"path": str(entry), "error": str(exc)},
            )
            continue
        removed.append(entry)
    if removed:
        log.info("removed temporary entries of dead processes", extra={"count": len(removed)})
    return removed
