"""What ``kill -9`` leaves behind, for real: nothing.

- The API (``nordubl serve``) with a validation pool and a warm PDF worker, a batch upload streaming into
  its temporary folder: SIGKILL to the API process alone (not its process group) ends every process it
  started, and the next start-up removes the upload's folder, never a live process's.
- The batch checker killed while its workers are busy in a check that never ends: they end too.
- A worker forked from a thread that then ends is not killed with that thread (prctl(2):
  PR_SET_PDEATHSIG follows the thread that forked).
- The start-up sweep judges each folder by its owner: dead, zombie, pid reused, earlier boot → removed;
  alive, another PID namespace, a name it does not know → kept.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import leftover_hooks
from server import BIN, Api, Process, env_for, free_port, tree

from app.api import leftovers
from app.api.leftovers import Owner
from app.validation.pool import ValidationPool

HERE = Path(__file__).resolve().parent
#: Overall caps of the polls below: generous, the machine may be loaded; a pass takes far less.
CAP_S = 180.0
T = TypeVar("T")


def poll(what: Callable[[], T | None], cap: float = CAP_S, message: str = "") -> T:
    deadline = time.monotonic() + cap
    while True:
        value = what()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {cap:.0f} s: {message}")
        time.sleep(0.1)


def running(pid: int) -> bool:
    """The process exists and is not a zombie (proc(5) state Z/X: it runs no code, only waits to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"


def survivors_after(pids: list[int], cap: float = CAP_S) -> list[int]:
    """The ``pids`` still running once all have ended, or once ``cap`` has passed."""
    deadline = time.monotonic() + cap
    while True:
        left = [p for p in pids if running(p)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


class Serve(Api):
    """``nordubl serve`` (one process: uvicorn in the CLI's process) with its own temporary directory."""

    def __init__(self, log: Path, tmpdir: Path, **settings: object) -> None:
        self.port = free_port()
        env = env_for(host="127.0.0.1", port=self.port, **settings)
        env["TMPDIR"] = str(tmpdir)
        Process.__init__(self, [str(BIN / "nordubl"), "serve"], env, log)


def test_sigkill_of_the_api_leaves_no_worker_and_its_next_start_removes_the_upload_folder(
    tmp_path: Path, standards_dir: Path
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    settings: dict[str, object] = {
        "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "blob_dir": tmp_path / "blobs",
        "validation_workers": 1,
        "validation_warm_up": "false",
        "pdf_workers": 1,
        "log_level": "WARNING",
        "log_format": "text",
    }
    invoice = (standards_dir / "peppol-2026.5/examples/billing/base-example.xml").read_bytes()
    api = Serve(tmp_path / "api.log", scratch, **settings)
    again: Serve | None = None
    children: list[int] = []
    upload: socket.socket | None = None
    try:
        api.wait_ready()
        # validated in the pool, then rendered by the PDF worker, which stays warm
        status, _, body = api.request(
            "POST", "/v1/render?lang=en", invoice, {"Content-Type": "application/xml"}
        )
        assert status == 200 and body.startswith(b"%PDF"), (status, body[:300])
        # a batch upload still streaming: its temporary folder exists
        upload = socket.create_connection(("127.0.0.1", api.port), timeout=60)
        upload.sendall(
            b"POST /v1/validate/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\n"
            b"Content-Length: 1000000\r\n\r\n" + invoice[:4000]
        )
        folders = poll(
            lambda: [p for p in scratch.iterdir() if p.name.startswith("nordubl-batch-")],
            message="the upload's temporary folder",
        )
        assert len(folders) == 1
        folder = folders[0]
        owner = leftovers.owner_of(folder.name)
        assert owner is not None and owner.pid == api.pid, folder.name
        children = tree(api.pid)[1:]
        spawned = [p for p in children if "spawn_main" in cmdline(p)]
        assert len(spawned) >= 2, [cmdline(p) for p in children]  # the validation worker and the PDF worker

        os.kill(api.pid, signal.SIGKILL)  # the API process alone: its workers get no signal from here
        api.proc.wait(60)
        left = survivors_after(children)
        assert not left, [f"{p}: {cmdline(p)}" for p in left]
        assert folder.exists()  # nothing else removes it: the next start-up does

        live = leftovers.scratch_dir("batch", scratch)  # this test process's, alive: must stay
        again = Serve(tmp_path / "again.log", scratch, **settings)
        again.wait_ready()
        assert not folder.exists()
        assert Path(live.name).is_dir()
        live.cleanup()
    finally:
        if upload is not None:
            upload.close()
        api.stop()  # SIGKILL to what is left of its process group
        for pid in children:  # a survivor left its group? ours all the same
            with contextlib.suppress(ProcessLookupError):
                if running(pid):
                    os.kill(pid, signal.SIGKILL)
        if again is not None:
            again.stop()


def _worker_pids(folder: Path) -> list[int] | None:
    pids = [int(p.name.removeprefix("worker-")) for p in folder.glob("worker-*")]
    return pids if len(pids) == 2 else None


def test_checker_workers_busy_in_a_check_end_with_their_parent(tmp_path: Path) -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import leftover_hooks; "
        "leftover_hooks.checker_parent(sys.argv[1])"
    )
    parent = Process([sys.executable, "-c", code, str(tmp_path)], env_for(), tmp_path / "checker.log")
    workers: list[int] = []
    try:
        poll(lambda: _worker_pids(tmp_path) or not parent.alive(), message="both workers busy")
        assert parent.alive(), parent.log()
        workers = _worker_pids(tmp_path) or []
        assert set(workers) <= set(tree(parent.pid)), parent.log()
        children = tree(parent.pid)[1:]
        os.kill(parent.pid, signal.SIGKILL)
        parent.proc.wait(60)
        left = survivors_after(children)
        assert not left, [f"{p}: {cmdline(p)}" for p in left]
    finally:
        parent.stop()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                if running(pid):
                    os.kill(pid, signal.SIGKILL)


def test_a_worker_forked_from_a_thread_that_ends_outlives_the_thread(standards_dir: Path) -> None:
    """prctl(2): the parent-death signal follows the *thread* that forked the worker. The pool is started
    and warmed from a thread that then ends; the worker must not go with it."""
    pools: list[ValidationPool] = []
    native: list[int] = []

    def start() -> None:
        pool = ValidationPool(1, standards_dir=standards_dir, max_bytes=1 << 20, warm_up=False)
        pools.append(pool)
        pool.start()
        assert pool.wait_ready(CAP_S)  # the worker is up: its parent-death signal is armed
        native.append(threading.get_native_id())

    t = threading.Thread(target=start)
    t.start()
    t.join()
    pool = pools[0]
    try:
        assert native, "the pool did not become ready"
        poll(lambda: not Path(f"/proc/self/task/{native[0]}").exists(), message="the thread gone")
        before = pool.pids()
        assert len(before) == 1
        assert pool.call_sync(leftover_hooks.worker_pid) == before[0]
        assert running(before[0]) and pool.restarts == 0
    finally:
        pool.close()


# -- the start-up sweep -----------------------------------------------------------------------------------


def _entry(folder: Path, owner: Owner, name: str = "x") -> Path:
    path = folder / f"nordubl-batch-{owner.tag}-{name}"
    path.mkdir()
    (path / "000000.part").write_bytes(b"<Invoice/>")
    return path


def test_the_sweep_removes_dead_owners_entries_and_keeps_live_ones(tmp_path: Path) -> None:
    here = leftovers.me()
    assert here.start > 0 and here.ns > 0 and here.boot != "0"  # Linux with /proc: the full check
    # a process that made its folder and died without cleaning up, as kill -9 leaves it
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from app.api import leftovers; "
            "d = leftovers.scratch_dir('batch'); print(d.name, flush=True); os._exit(0)",
        ],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=CAP_S,
    )
    dead = Path(made.stdout.strip())
    assert dead.parent == tmp_path and dead.is_dir()
    dead_owner = leftovers.owner_of(dead.name)
    assert dead_owner is not None
    sleeper = subprocess.Popen(["sleep", "600"])
    zombie = subprocess.Popen(["true"])  # ends and is not reaped until the end of the test
    try:
        poll(lambda: not running(zombie.pid), message="the zombie")
        live = Owner(sleeper.pid, leftovers.start_time(sleeper.pid), here.ns, here.boot)
        scratch = leftovers.scratch_dir("batch", tmp_path)
        mine = Path(scratch.name)
        kept = [
            mine,
            _entry(tmp_path, live),  # another live process (another uvicorn worker)
            _entry(
                tmp_path, Owner(dead_owner.pid, dead_owner.start, here.ns + 1, here.boot)
            ),  # another container
        ]
        legacy = tmp_path / "nordubl-batch-abc123"  # no owner in the name: not judged
        legacy.mkdir()
        other = tmp_path / "unrelated"
        other.mkdir()
        reused = Owner(sleeper.pid, live.start + 1, here.ns, here.boot)  # the pid now belongs to another
        earlier_boot = "0" * 7 + ("1" if here.boot != "00000001" else "2")
        gone = [
            dead,
            _entry(tmp_path, reused),
            _entry(tmp_path, Owner(zombie.pid, leftovers.start_time(zombie.pid), here.ns, here.boot)),
            _entry(tmp_path, Owner(sleeper.pid, live.start, here.ns, earlier_boot)),
        ]
        dead_file = tmp_path / f"nordubl-batch-{dead_owner.tag}-file"
        dead_file.write_bytes(b"x")
        gone.append(dead_file)

        removed = leftovers.sweep(tmp_path)

        assert sorted(removed) == sorted(gone)
        assert not any(p.exists() for p in gone)
        assert all(p.is_dir() for p in kept) and legacy.is_dir() and other.is_dir()
        assert leftovers.sweep(tmp_path) == []  # nothing more to do, nothing kept is touched later
        scratch.cleanup()
    finally:
        sleeper.kill()
        sleeper.wait()
        zombie.wait()


def test_scratch_dir_is_private_and_named_after_its_owner(tmp_path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as base:
        scratch = leftovers.scratch_dir("batch", Path(base))
        path = Path(scratch.name)
        assert path.stat().st_mode & 0o777 == 0o700
        assert leftovers.owner_of(path.name) == leftovers.me()
        scratch.cleanup()
        assert not path.exists()
