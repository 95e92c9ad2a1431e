"""HTTP benchmark: the service with 2 processes on loopback under a bounded load, against the bare engine
with the same number of processes, on the same documents, in one run.

Requests: the repository's real forms (``fixtures/forms/*.json`` → ``POST /v1/orders``, EHF Ordering 3.0;
the Norwegian B2B invoice forms ``fixtures/forms/invoices/no-b2b-*.json`` → ``POST /v1/invoices?profile=ehf``,
EHF Billing 3.0), each answered with a document the official rules validated. The two forms of 60 and
200 lines are left out: one per 40 requests taking 10 times the others would decide the p99 on its own
(``--with-large`` puts them back).

Every server mode (``--modes``) is started first (a fresh process tree each), each waited for until
``/readyz`` answered 200 ten times in a row (every process has compiled its rule sets; the jvm mode has
also warmed its JIT), then sent ``--warm-requests`` untimed requests; every form is sent once and the
documents it answered are kept. Then ``--rounds`` rounds, the modes **interleaved** round by round (round
1 of every mode, then round 2 …: two modes' same round are minutes apart, not a quarter of an hour, so
the machine's load moves both alike), each of:

1. **bare** (the baseline): 2 processes started with ``spawn`` (kept for the whole run), each with one
   warm ``Engine``, validating the documents the service answered (the same mix, ``--requests`` in all)
   as fast as they can;
2. **peak**: closed loop, ``--connections`` keep-alive connections, ``--requests`` requests: requests per
   second;
3. **70 %**: open loop at 0.7 × this round's peak, requests sent at a constant rate on their schedule
   whatever the answers (latency measured from the scheduled time, so a stalled server is not hidden),
   ``--requests`` requests: p50, p90, p99, max;
4. **no-HTTP**: the 2 bare processes doing what the service does per request without HTTP (form →
   business document → XML → the rules: the functions the routes call): where the gap comes from.

The build machine is shared, so besides wall-clock rates (what the goals name) the CPU time of each side
is measured (``/proc``: the whole server process tree; the bare processes' own): **per CPU-second** rates
are what the service would do with the two cores to itself. Ratios are taken within a round; the table
gives every round and the median.

Modes: ``uvicorn`` = ``uvicorn --workers 2`` (each process validates on its own Saxon thread);
``pool`` = one uvicorn process with ``NORDUBL_VALIDATION_WORKERS=2`` (two spawned validation processes:
the image's setting with ``NORDUBL_VALIDATION_ENGINE=saxonche``); ``split`` = ``uvicorn --workers 2`` with
``NORDUBL_VALIDATION_WORKERS=1`` each (two API processes, each with its own validation process); ``jvm`` =
one uvicorn process with ``NORDUBL_VALIDATION_ENGINE=jvm`` and ``NORDUBL_VALIDATION_THREADS=2`` (threads
sharing one JVM: the image's setting; the bare side stays saxonche). ``MODE@granian`` serves a mode with
granian (a Rust HTTP server and event loop, ``pip install granian``; not a dependency of nordubl: it lost,
docs/performance.md) instead of uvicorn.

After the table, every mode is set against the first one, round by round (requests per second and per
CPU-second of the server tree): ``--modes pool,jvm`` gives the jvm engine against the image's earlier
setting. Two modes' rounds are still a minute or more apart, and the machine's speed moves within that: the
bare engine's own rate moved 1.8 × between two rounds of one run (docs/performance.md). So last come
``--pairs`` **paired blocks** (with two or more modes): each runs every mode for ``--pair-requests``
closed-loop requests in the order A B … B A (a drift that is linear over the block falls on every mode
alike), and the ratio per CPU-second of each mode against the first is taken within the block, from
slices seconds apart; besides the median of the blocks, the ratio of all blocks' requests and CPU seconds
summed per mode (pooled).

Goals: HTTP peak ≥ 0.8 × bare; p99 ≤ 3 × p50 at 70 % of peak.

    .venv/bin/python bench/http.py [--rounds 3] [--requests 600] [--connections 8] [--modes uvicorn,pool]
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
        mode, _, server = mode.partition("@")  # "jvm@granian": the jvm mode served by granian
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
        elif mode == "split":
            env["NORDUBL_VALIDATION_WORKERS"] = "1"
        elif mode == "jvm":  # one process, its validation threads sharing one JVM (app/validation/jvm.py)
            env["NORDUBL_VALIDATION_ENGINE"] = "jvm"
            env["NORDUBL_VALIDATION_THREADS"] = str(processes)
            workers = 1
        common = ["--host=127.0.0.1", f"--port={self.port}", f"--workers={workers}", "--log-level=warning"]
        if server == "granian":  # a Rust HTTP server and event loop (granian's own), same ASGI app
            granian = str(Path(sys.executable).parent / "granian")
            cmd = [granian, "--interface=asgi", "--no-ws", *common, "app.api.main:app"]
        else:
            uvicorn = str(Path(sys.executable).parent / "uvicorn")
            cmd = [uvicorn, "app.api.main:app", "--no-access-log", *common]
        self.log = open(workdir / f"{mode}-{server or 'uvicorn'}.log", "wb")  # noqa: SIM115 - closed in stop()
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


def _engine_worker(mix: list[Req], docs: list[bytes], ready: Any, commands: Any, out: Any) -> None:
    """A baseline process: one warm engine; on ``("bare"|"generate", count, offset)`` it runs ``count``
    validations of the documents (or generations from the forms) and answers (start, end, CPU seconds)."""
    from app.accounts.profile import load_seller
    from app.config import get_settings
    from app.forms.loader import load_form_bytes
    from app.service import make_invoice, make_order
    from app.validation.engine import Engine

    engine = Engine()
    seller = load_seller(get_settings().account_file)

    def generate(req: Req) -> None:
        form = load_form_bytes(req.body)
        if req.path.startswith("/v1/orders"):
            make_order(form, seller, "ehf", engine=engine)
        else:
            make_invoice(form, seller, profile="ehf", engine=engine)

    for d in docs:  # compile what the documents need; they are the service's answers: valid
        assert engine.validate(d).valid
    for req in mix:
        generate(req)
    ready.put(os.getpid())
    while (command := commands.get()) is not None:
        what, count, offset = command
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(count):
            if what == "bare":
                engine.validate(docs[(offset + i) % len(docs)])
            else:
                generate(mix[(offset + i) % len(mix)])
        out.put((start, time.perf_counter(), time.process_time() - cpu))


class Baseline:
    """``processes`` spawned engine processes, kept warm between rounds."""

    def __init__(self, mix: list[Req], docs: list[bytes], processes: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.out = ctx.Queue()
        ready = ctx.Queue()
        self.commands = [ctx.Queue() for _ in range(processes)]
        self.procs = [
            ctx.Process(target=_engine_worker, args=(mix, docs, ready, q, self.out)) for q in self.commands
        ]
        for p in self.procs:
            p.start()
        for _ in self.procs:
            ready.get()

    def run(self, what: str, total: int) -> dict[str, float]:
        per = total // len(self.procs)
        for k, q in enumerate(self.commands):
            q.put((what, per, k * 7))
        spans = [self.out.get() for _ in self.procs]
        wall = max(e for _, e, _ in spans) - min(s for s, _, _ in spans)
        cpu = sum(c for _, _, c in spans)
        return {"rate": per * len(self.procs) / wall, "per_cpu_s": per * len(self.procs) / cpu}

    def close(self) -> None:
        for q in self.commands:
            q.put(None)
        for p in self.procs:
            p.join(30)


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and all its living descendants (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = fields
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            total += (int(stats[p][11]) + int(stats[p][12])) / ticks  # utime, stime
        todo.extend(children.get(p, []))
    return total


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


def one_round(server: Server, baseline: Baseline, mix: list[Req], args: argparse.Namespace) -> dict[str, Any]:
    bare = baseline.run("bare", args.requests)
    cpu = tree_cpu_seconds(server.proc.pid)
    peak = asyncio.run(closed_loop(server.port, mix, args.requests, args.connections, args.time_limit))
    peak["per_cpu_s"] = peak["requests"] / (tree_cpu_seconds(server.proc.pid) - cpu)
    load = asyncio.run(
        open_loop(server.port, mix, args.requests, 0.7 * peak["rate"], max_in_flight=4 * args.connections)
    )
    gen = baseline.run("generate", args.requests)
    return {"bare": bare, "peak": peak, "load": load, "gen": gen, "loadavg": os.getloadavg()[0]}


def paired_block(servers: list[Server], mix: list[Req], args: argparse.Namespace) -> list[dict[str, float]]:
    """Every server for ``--pair-requests`` closed-loop requests, in the order A B … B A (each twice):
    requests, wall seconds and CPU seconds of its process tree, summed over its two slices."""
    sums = [{"requests": 0.0, "seconds": 0.0, "cpu": 0.0} for _ in servers]
    order = list(range(len(servers)))
    for k in order + order[::-1]:
        cpu = tree_cpu_seconds(servers[k].proc.pid)
        got = asyncio.run(
            closed_loop(servers[k].port, mix, args.pair_requests, args.connections, args.time_limit)
        )
        sums[k]["cpu"] += tree_cpu_seconds(servers[k].proc.pid) - cpu
        sums[k]["requests"] += got["requests"]
        sums[k]["seconds"] += got["seconds"]
    return sums


def run_modes(
    modes: list[str], args: argparse.Namespace, mix: list[Req], workdir: Path
) -> list[dict[str, Any]]:
    """Every mode's server started (one after the other, each waited for), then ``--rounds`` rounds, each
    running every mode in turn: the modes are interleaved, so the machine's load falls on all of them."""
    servers: dict[str, Server] = {}
    results = {mode: {"mode": mode, "rounds": []} for mode in modes}
    baseline: Baseline | None = None
    try:
        for mode in modes:
            servers[mode] = Server(mode, workdir, args.processes)
            results[mode]["ready_s"] = servers[mode].wait_ready()
        docs = collect_documents(servers[modes[0]].port, mix)
        for mode in modes[1:]:
            collect_documents(servers[mode].port, mix)
        baseline = Baseline(mix, docs, args.processes)
        for mode in modes:  # every process of every server has run every form before the rounds
            asyncio.run(closed_loop(servers[mode].port, mix, args.warm_requests, args.connections, 300))
        for _ in range(args.rounds):
            for mode in modes:
                results[mode]["rounds"].append(one_round(servers[mode], baseline, mix, args))
        for _ in range(args.pairs if len(modes) > 1 else 0):
            block = paired_block([servers[mode] for mode in modes], mix, args)
            for mode, got in zip(modes, block, strict=True):
                results[mode].setdefault("pairs", []).append(got)
    finally:
        if baseline is not None:
            baseline.close()
        for server in servers.values():
            server.stop()
    return [results[mode] for mode in modes]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rounds", type=int, default=3, help="rounds per mode (default 3)")
    ap.add_argument("--requests", type=int, default=600, help="requests per phase (default 600)")
    ap.add_argument("--connections", type=int, default=8, help="closed-loop connections (default 8)")
    ap.add_argument(
        "--time-limit", type=float, default=180, help="seconds per closed-loop phase (default 180)"
    )
    ap.add_argument("--processes", type=int, default=2, help="server and bare-engine processes (default 2)")
    ap.add_argument(
        "--modes",
        default="pool,split,uvicorn",
        help="pool, split, uvicorn, jvm; MODE@granian serves it with granian (default: the first three)",
    )
    ap.add_argument("--with-large", action="store_true", help="include the 60- and 200-line forms")
    ap.add_argument(
        "--warm-requests", type=int, default=600, help="requests per mode before the rounds (default 600)"
    )
    ap.add_argument("--pairs", type=int, default=8, help="paired blocks after the rounds (default 8)")
    ap.add_argument(
        "--pair-requests", type=int, default=150, help="requests per mode per slice of a block (default 150)"
    )
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
    with tempfile.TemporaryDirectory(prefix="nordubl-bench-http-") as tmp:
        results = run_modes(args.modes.split(","), args, mix, Path(tmp))
    print(
        "\n| mode | round | bare docs/s | no-HTTP forms/s | HTTP peak req/s | **peak / bare** | no-HTTP / bare "
        "| per CPU-s: HTTP / bare | client CPU | p50 at 70 % | p90 | p99 | **p99 / p50** | errors | load avg |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    verdicts = []
    for r in results:
        ratios, tails, cpu_ratios = [], [], []
        for n, rd in enumerate(r["rounds"], 1):
            bare, peak, load, gen = rd["bare"], rd["peak"], rd["load"], rd["gen"]
            ratio = peak["rate"] / bare["rate"]
            cpu_ratio = peak["per_cpu_s"] / bare["per_cpu_s"]
            tail = load["p99"] / load["p50"]
            ratios.append(ratio)
            tails.append(tail)
            cpu_ratios.append(cpu_ratio)
            print(
                f"| {r['mode']} | {n} | {bare['rate']:.1f} | {gen['rate']:.1f} | {peak['rate']:.1f} | {ratio:.2f} "
                f"| {gen['rate'] / bare['rate']:.2f} | {cpu_ratio:.2f} | {peak['client_cpu_share'] * 100:.0f} % "
                f"| {load['p50'] * 1000:.1f} ms | {load['p90'] * 1000:.1f} ms | {load['p99'] * 1000:.1f} ms "
                f"| {tail:.2f} | {peak['errors'] + load['errors']} | {rd['loadavg']:.1f} |"
            )
        med = (statistics.median(ratios), statistics.median(cpu_ratios), statistics.median(tails))
        print(f"| {r['mode']} | median | | | | {med[0]:.2f} | | {med[1]:.2f} | | | | | {med[2]:.2f} | | |")
        verdicts.append((r["mode"], r["ready_s"], *med))
    print()
    for mode, ready_s, ratio, cpu_ratio, tail in verdicts:
        print(
            f"{mode}: ready after {ready_s:.1f} s; peak / bare {ratio:.2f} (goal ≥ 0.8: "
            f"{'met' if ratio >= 0.8 else 'NOT met'}; per CPU-second {cpu_ratio:.2f}); p99 / p50 at 70 % "
            f"{tail:.2f} (goal ≤ 3: {'met' if tail <= 3 else 'NOT met'})"
        )
    against = results[0]
    for r in results[1:]:  # the same round of two modes: adjacent in time, under the same load
        rates = [
            (a["peak"]["rate"] / b["peak"]["rate"], a["peak"]["per_cpu_s"] / b["peak"]["per_cpu_s"])
            for a, b in zip(r["rounds"], against["rounds"], strict=True)
        ]
        print(
            f"{r['mode']} against {against['mode']}, round by round: requests/s "
            + ", ".join(f"{x:.2f}" for x, _ in rates)
            + f" (median {statistics.median(x for x, _ in rates):.2f}); per CPU-second "
            + ", ".join(f"{y:.2f}" for _, y in rates)
            + f" (median {statistics.median(y for _, y in rates):.2f}; absolute: "
            + ", ".join(f"{rd['peak']['per_cpu_s']:.1f}" for rd in r["rounds"])
            + " against "
            + ", ".join(f"{rd['peak']['per_cpu_s']:.1f}" for rd in against["rounds"])
            + " requests per CPU-second)"
        )
    for r in results[1:]:
        print_pairs(r, against)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


def print_pairs(r: dict[str, Any], against: dict[str, Any]) -> None:
    """The paired blocks of mode ``r`` against the first mode: per CPU-second and per second, by block."""
    if not r.get("pairs"):
        return
    pairs = list(zip(r["pairs"], against["pairs"], strict=True))
    per_cpu = [a["requests"] / a["cpu"] / (b["requests"] / b["cpu"]) for a, b in pairs]
    per_s = [a["requests"] / a["seconds"] / (b["requests"] / b["seconds"]) for a, b in pairs]

    def pooled(key: str) -> float:  # every block's requests over every block's seconds, per mode
        mine = sum(a["requests"] for a, _ in pairs) / sum(a[key] for a, _ in pairs)
        return mine / (sum(b["requests"] for _, b in pairs) / sum(b[key] for _, b in pairs))

    print(
        f"{r['mode']} against {against['mode']}, paired blocks ({len(per_cpu)}, each slice "
        f"{int(r['pairs'][0]['requests'] / 2)} requests): per CPU-second "
        + ", ".join(f"{x:.2f}" for x in per_cpu)
        + f" (median {statistics.median(per_cpu):.2f}, all blocks pooled {pooled('cpu'):.2f}); requests/s "
        + ", ".join(f"{x:.2f}" for x in per_s)
        + f" (median {statistics.median(per_s):.2f}, pooled {pooled('seconds'):.2f}); absolute per CPU-second "
        + ", ".join(f"{a['requests'] / a['cpu']:.1f}" for a in r["pairs"])
        + " against "
        + ", ".join(f"{b['requests'] / b['cpu']:.1f}" for b in against["pairs"])
    )


if __name__ == "__main__":
    sys.exit(main())
