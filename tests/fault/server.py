"""Real server processes on loopback for the fault tests: ``uvicorn`` (the API) and ``nordubl worker``,
started as the container starts them, with their memory read from ``/proc``."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for p in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
    return total


class Process:
    """A child process with its output in a log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv = argv
        self.log_path = log
        self._log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (the server and the processes it spawned)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        self.proc.wait(30)
        self._log.close()

    def stop(self, timeout: float = 30) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # stragglers of the group
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]


def worker(log: Path, **settings: Any) -> Process:
    """``nordubl worker``, as the container runs it."""
    return Process([str(BIN / "nordubl"), "worker"], env_for(**settings), log)


def env_for(**settings: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORDUBL_")}
    env.update({f"NORDUBL_{k.upper()}": str(v) for k, v in settings.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Api(Process):
    def __init__(self, log: Path, workers: int = 1, port: int | None = None, **settings: Any) -> None:
        self.port = port or free_port()
        argv = [
            str(BIN / "uvicorn"),
            "app.api.main:app",
            "--host=127.0.0.1",
            f"--port={self.port}",
            f"--workers={workers}",
            "--no-access-log",
            "--timeout-graceful-shutdown=5",
        ]
        super().__init__(argv, env_for(**settings), log)

    def connection(self, timeout: float = 120) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def wait_ready(self, timeout: float = 600) -> None:
        """Poll until ready; the cap only stops an API that never comes up (an exit is reported at once)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"the API exited:\n{self.log()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if self.request("GET", "/readyz")[0] == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the API did not become ready:\n{self.log()}")

    def rss(self) -> int:
        return rss_bytes(tree(self.pid))
