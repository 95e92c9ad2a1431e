"""HTTP benchmark: the service with 2 processes on loopback under a bounded load, against the bare engine
with the same number of processes, on the same documents, in one run.

Requests: the repository's real forms (``fixtures/forms/*.json`` → ``POST /v1/orders``, EHF Ordering 3.0;
the Norwegian B2B invoice forms ``fixtures/forms/invoices/no-b2b-*.json`` → ``POST /v1/invoices?profile=ehf``,
EHF Billing 3.0), each answered with a document the official rules validated. The two forms of 60 and
200 lines are left out: one per 40 requests taking 10 times the others would decide the p99 on its own
(``--with-large`` puts them back).

Phases, for each server mode (``--modes``):

1. start the server (a fresh process tree), wait until ``/readyz`` answered 200 ten times in a row
   (every process has compiled its rule sets), send every form once and keep the documents it answered;
2. **peak**: closed loop, ``--connections`` keep-alive connections, ``--requests`` requests (stops early at
   ``--time-limit`` seconds): requests per second;
3. **70 %**: open loop at 0.7 × peak, requests sent at a constant rate on their schedule whatever the
   answers (latency measured from the scheduled time, so a stalled server is not hidden), ``--requests``
   requests: p50, p90, p99, max latency.

**bare** (the baseline): 2 processes started with ``spawn``, each with one warm ``Engine``, validating the
documents the service answered (the same mix, ``--requests`` in all) as fast as they can; measured before
and after the HTTP phases, the mean of the two is the baseline.

Modes: ``uvicorn`` = ``uvicorn --workers 2`` (each process validates on its own Saxon thread);
``pool`` = one uvicorn process with ``NORDUBL_VALIDATION_WORKERS=2`` (two spawned validation processes).

Goals: HTTP peak ≥ 0.8 × bare; p99 ≤ 3 × p50 at 70 % of peak.

    .venv/bin/python bench/http.py [--requests 600] [--connections 8] [--modes uvicorn,pool]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LARGE = {"no-company-60-lines.json", "no-b2b-200-lines.json"}


@dataclass(frozen=True)
class Req:
    name: str
    path: str
    body: bytes


def requests_mix(with_large: bool) -> list[Req]:
    forms = ROOT / "fixtures" / "forms"
    out = [Req(p.name, "/v1/orders?profile=ehf", p.read_bytes()) for p in sorted(forms.glob("*.json"))]
    out += [
        Req(p.name, "/v1/invoices?profile=ehf", p.read_bytes())
        for p in sorted((forms / "invoices").glob("no-b2b-*.json"))
    ]
    return [r for r in out if with_large or r.name not in LARGE]


# -- a small keep-alive HTTP/1.1 client on asyncio streams (little CPU per request) ----------------------


class Conn:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, req: Req, accept: str = "application/xml") -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"POST {req.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Accept: {accept}\r\nContent-Length: {len(req.body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + req.body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        body = await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def closed_loop(
    port: int, mix: list[Req], total: int, connections: int, limit_s: float
) -> dict[str, Any]:
    done = 0
    errors = 0
    latencies: list[float] = []
    start = time.perf_counter()
    deadline = start + limit_s

    async def client(k: int) -> None:
        nonlocal done, errors
        conn = Conn("127.0.0.1", port)
        i = k
        while done < total and time.perf_counter() < deadline:
            done += 1
            req = mix[i % len(mix)]
            i += connections
            t = time.perf_counter()
            status, _, _ = await conn.request(req)
            latencies.append(time.perf_counter() - t)
            if status != 200:
                errors += 1
        conn.close()

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(*(client(k) for k in range(connections)))
    wall = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": wall,
        "rate": len(latencies) / wall,
        "client_cpu_share": client_cpu / wall,
        "p50": statistics.median(latencies),
    }


async def open_loop(port: int, mix: list[Req], total: int, rate: float, max_in_flight: int) -> dict[str, Any]:
    pool: list[Conn] = [Conn("127.0.0.1", port) for _ in range(max_in_flight)]
    free: asyncio.Queue[Conn] = asyncio.Queue()
    for c in pool:
        free.put_nowait(c)
    latencies: list[float] = []
    errors = 0
    interval = 1.0 / rate
    start = time.perf_counter() + 0.05

    async def one(i: int, scheduled: float) -> None:
        nonlocal errors
        conn = await free.get()
        try:
            status, _, _ = await conn.request(mix[i % len(mix)])
        finally:
            free.put_nowait(conn)
        latencies.append(time.perf_counter() - scheduled)  # from the schedule: queueing in the client counts
        if status != 200:
            errors += 1

    tasks = []
    for i in range(total):
        scheduled = start + i * interval
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, scheduled)))
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - start
    for c in pool:
        c.close()
    lat = sorted(latencies)

    def q(p: float) -> float:
        return lat[min(len(lat) - 1, round(p * (len(lat) - 1)))]

    return {
        "requests": len(lat),
        "errors": errors,
        "offered_rate": rate,
        "achieved_rate": len(lat) / wall,
        "p50": q(0.50),
        "p90": q(0.90),
        "p99": q(0.99),
        "max": lat[-1],
    }


# -- the server under test ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def get(port: int, path: str, timeout: float = 5) -> int:
    """The status of ``GET path`` (0 when nothing answers). Plain sockets: this file's name hides the
    standard library's ``http`` package from modules imported here."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            return int(s.recv(64).split()[1])
    except (OSError, IndexError, ValueError):
        return 0


class Server:
    def __init__(self, mode: str, workdir: Path, processes: int) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "NORDUBL_DATABASE_URL": f"sqlite:///{workdir / f'{mode}.db'}",
            "NORDUBL_BLOB_DIR": str(workdir / "blobs"),
            "NORDUBL_LOG_LEVEL": "WARNING",
            "NORDUBL_VALIDATION_WARM_UP": "true",
            "PYTHONUNBUFFERED": "1",
        }
        workers = processes
        if mode == "pool":
            env["NORDUBL_VALIDATION_WORKERS"] = str(processes)
            workers = 1
        cmd = [
            str(Path(sys.executable).parent / "uvicorn"),
            "app.api.main:app",
            "--host=127.0.0.1",
            f"--port={self.port}",
            f"--workers={workers}",
            "--no-access-log",
            "--log-level=warning",
        ]
        self.log = open(workdir / f"{mode}.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 300) -> float:
        start = time.monotonic()
        streak = 0
        while streak < 10:
            if time.monotonic() - start > timeout or self.proc.poll() is not None:
                raise RuntimeError(f"the server did not become ready (see {self.log.name})")
            streak = streak + 1 if get(self.port, "/readyz") == 200 else 0
            time.sleep(0.05 if streak else 0.3)
        return time.monotonic() - start

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# -- the bare engine: N spawned processes, Engine.validate on the same documents ----------------------


def _bare_worker(docs: list[bytes], count: int, offset: int, barrier: Any, out: Any) -> None:
    from app.validation.engine import Engine

    engine = Engine()
    for d in docs:  # compile what the documents need, check they are valid
        assert engine.validate(d).valid
    barrier.wait()
    start = time.perf_counter()
    for i in range(count):
        engine.validate(docs[(offset + i) % len(docs)])
    out.put((start, time.perf_counter()))


def bare(docs: list[bytes], processes: int, total: int) -> float:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(processes)
    out = ctx.Queue()
    per = total // processes
    procs = [
        ctx.Process(target=_bare_worker, args=(docs, per, k * 7, barrier, out)) for k in range(processes)
    ]
    for p in procs:
        p.start()
    spans = [out.get() for _ in procs]
    for p in procs:
        p.join()
    wall = max(e for _, e in spans) - min(s for s, _ in spans)
    return per * processes / wall


# -- one mode -----------------------------------------------------------------------------------------


def collect_documents(port: int, mix: list[Req]) -> list[bytes]:
    async def run() -> list[bytes]:
        conn = Conn("127.0.0.1", port)
        docs = []
        for req in mix:
            status, headers, body = await conn.request(req, accept="application/json")
            if status != 200:
                raise RuntimeError(f"{req.name}: {status} {body[:300]!r}")
            envelope = json.loads(body)
            assert envelope["ruleset"] and headers["x-nordubl-profile"] == "ehf", req.name
            docs.append(envelope["xml"].encode())
        conn.close()
        return docs

    return asyncio.run(run())


def run_mode(mode: str, args: argparse.Namespace, mix: list[Req], workdir: Path) -> dict[str, Any]:
    """Server up → documents → bare → peak → 70 % → bare; the server idles while the bare engine runs."""
    server = Server(mode, workdir, args.processes)
    try:
        ready_s = server.wait_ready()
        docs = collect_documents(server.port, mix)
        bare1 = bare(docs, args.processes, args.requests)
        asyncio.run(closed_loop(server.port, mix, 2 * len(mix), args.connections, 60))  # warm
        peak = asyncio.run(closed_loop(server.port, mix, args.requests, args.connections, args.time_limit))
        load = asyncio.run(
            open_loop(server.port, mix, args.requests, 0.7 * peak["rate"], max_in_flight=4 * args.connections)
        )
        bare2 = bare(docs, args.processes, args.requests)
    finally:
        server.stop()
    return {"mode": mode, "ready_s": ready_s, "peak": peak, "load": load, "bare": (bare1, bare2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--requests", type=int, default=600, help="requests per phase (default 600)")
    ap.add_argument("--connections", type=int, default=8, help="closed-loop connections (default 8)")
    ap.add_argument(
        "--time-limit", type=float, default=180, help="seconds per closed-loop phase (default 180)"
    )
    ap.add_argument("--processes", type=int, default=2, help="server and bare-engine processes (default 2)")
    ap.add_argument("--modes", default="uvicorn,pool", help="uvicorn, pool or both (default)")
    ap.add_argument("--with-large", action="store_true", help="include the 60- and 200-line forms")
    args = ap.parse_args()
    # spawned processes inherit the import path: keep this folder (and its "http") off it
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    mix = requests_mix(args.with_large)
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"mix: {len(mix)} forms ({sum(r.path.startswith('/v1/orders') for r in mix)} orders), "
        f"{args.requests} requests per phase, {args.processes} processes"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="nordubl-bench-http-") as tmp:
        for mode in args.modes.split(","):
            results.append(run_mode(mode, args, mix, Path(tmp)))
    print(
        "\n| mode | ready after | bare docs/s (before, after) | peak req/s | peak / bare | client CPU "
        "| p50 at 70 % | p90 | p99 | max | p99 / p50 | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ok = True
    for r in results:
        peak, load = r["peak"], r["load"]
        baseline = sum(r["bare"]) / 2
        ratio = peak["rate"] / baseline
        tail = load["p99"] / load["p50"]
        ok &= ratio >= 0.8 and tail <= 3 and peak["errors"] == 0 and load["errors"] == 0
        print(
            f"| {r['mode']} | {r['ready_s']:.1f} s | {baseline:.1f} ({r['bare'][0]:.1f}, {r['bare'][1]:.1f}) "
            f"| {peak['rate']:.1f} | {ratio:.2f} | {peak['client_cpu_share'] * 100:.0f} % "
            f"| {load['p50'] * 1000:.1f} ms | {load['p90'] * 1000:.1f} ms | {load['p99'] * 1000:.1f} ms "
            f"| {load['max'] * 1000:.1f} ms | {tail:.2f} | {peak['errors'] + load['errors']} |"
        )
    for r in results:
        load = r["load"]
        print(
            f"{r['mode']}: 70 % of peak = {load['offered_rate']:.1f} req/s offered, "
            f"{load['achieved_rate']:.1f} achieved"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"goals (peak ≥ 0.8 × bare, p99 ≤ 3 × p50 at 70 %): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
