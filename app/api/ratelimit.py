"""The rate limit of the expensive anonymous routes: ``POST /v1/validate``, ``/v1/render``, ``/v1/validate/batch``.

One token bucket per client for the three routes together: ``rate_limit_burst`` tokens, refilled
continuously at ``rate_limit_per_minute``; every request takes one, and a request that finds none answers
429 problem+json (RFC 6585 §4) with ``Retry-After`` (RFC 9110 §10.2.3), before any of its body is read.

- **Who**: the client is the TCP peer's address (behind a proxy, run uvicorn with ``--proxy-headers`` and
  ``--forwarded-allow-ips`` so it is the client's): an IPv4 address, or the /64 prefix of an IPv6 address
  (RFC 4291 §2.5.4: the low 64 bits are the interface identifier, which a host chooses and changes at
  will, RFC 8981). Every caller is limited, with credentials or without: these routes do not
  authenticate (the validation page sends an account's stored documents through the batch route like
  any upload), as the batch route always did.
- **Where** (``rate_limit_store``): ``database`` (the default): the table ``rate_buckets`` (revision 0008)
  of ``database_url``, so every process and replica on that database shares one bucket per client and
  ``--workers N`` does not multiply the limit. A take is one statement in its own short transaction,
  ``INSERT … ON CONFLICT (key) DO UPDATE … WHERE <a token is there> RETURNING``: PostgreSQL locks the row
  for that statement only, SQLite's write lock (``BEGIN IMMEDIATE``, :mod:`app.db.engine`) is held for
  that one statement. A refused take changes nothing and reads the row for ``Retry-After``. The clock is
  the wall clock (rows are shared between hosts); a host whose clock is behind a row's stamp refills
  nothing from it, never a negative amount. A bucket untouched for as long as it takes to refill is the
  same as no bucket: such rows are deleted, at most once a minute per process, so the table holds the
  clients of the last minutes only. If the database cannot be used, the process's memory buckets stand
  in (logged at most once a minute): the limit still holds per process and validation stays available.
  ``memory``: each process keeps its own buckets (:class:`TokenBuckets`, at most :data:`MAX_CLIENTS`).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from typing import Any, Protocol, cast

import anyio.to_thread
from fastapi import Request
from sqlalchemy import Double, Engine, Table, bindparam, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from app.api.models import RateBucket
from app.codes import issue
from app.config import Settings
from app.db import get_engine
from app.errors import NordublError
from app.issues import Issue

log = logging.getLogger(__name__)

#: Client keys whose buckets one process remembers in memory; the least recently seen is forgotten first.
MAX_CLIENTS = 10_000
#: How often one process deletes the buckets that are full again.
PURGE_EVERY_S = 60.0
#: A database failure is logged at most this often.
LOG_EVERY_S = 60.0
#: The routes that share the bucket (named in the 429 answer).
ROUTES = "/v1/validate, /v1/render and /v1/validate/batch"


class Buckets(Protocol):
    def take(self, key: str, burst: int, per_minute: int, now: float | None = None) -> float:
        """Take one token; 0.0 when granted, else the seconds until one is available (inf: never)."""


class TokenBuckets:
    """One token bucket per client key, in this process's memory."""

    def __init__(self, max_clients: int = MAX_CLIENTS) -> None:
        from collections import OrderedDict

        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.max_clients = max_clients
        self._lock = threading.Lock()  # takes come from the event loop and from the database fallback

    def take(self, key: str, burst: int, per_minute: int, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        rate = per_minute / 60.0
        with self._lock:
            tokens, stamp = self._buckets.pop(key, (float(burst), now))
            tokens = min(float(burst), tokens + max(0.0, now - stamp) * rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / rate if rate > 0 else math.inf
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


_T = cast(Table, RateBucket.__table__)
_NOW = bindparam("now", type_=Double)
_BURST = bindparam("burst", type_=Double)
_RATE = bindparam("rate", type_=Double)  # tokens per second
# The bucket's tokens now: what it held, refilled for the time since its stamp, at most ``burst``.
_ELAPSED = case((_T.c.stamp < _NOW, _NOW - _T.c.stamp), else_=0.0)
_REFILLED = _T.c.tokens + _ELAPSED * _RATE
_AVAILABLE = case((_REFILLED < _BURST, _REFILLED), else_=_BURST)


def _take_statement(dialect: str) -> Any:
    """One token from the bucket in one statement: a new client's bucket is made full less one; an
    existing one is refilled and decremented only when a token is there (else no row comes back)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(_T).values(key=bindparam("key"), tokens=_BURST - 1.0, stamp=_NOW)
    return stmt.on_conflict_do_update(
        index_elements=[_T.c.key],
        set_={"tokens": _AVAILABLE - 1.0, "stamp": case((_T.c.stamp < _NOW, _NOW), else_=_T.c.stamp)},
        where=_AVAILABLE >= 1.0,
    ).returning(_T.c.tokens)


class DatabaseBuckets:
    """The buckets in the ``rate_buckets`` table (see the module docstring)."""

    def __init__(self, engine: Engine, clock: Any = time.time) -> None:
        self.engine = engine
        self.clock = clock
        self._take = _take_statement(engine.dialect.name)
        self._available = select(_AVAILABLE).where(_T.c.key == bindparam("key"))
        self._purged = 0.0
        self._lock = threading.Lock()

    def take(self, key: str, burst: int, per_minute: int, now: float | None = None) -> float:
        now = self.clock() if now is None else now
        rate = per_minute / 60.0
        if burst < 1:
            return math.inf
        params = {"key": key, "now": now, "burst": float(burst), "rate": rate}
        with self.engine.begin() as conn:
            granted = conn.execute(self._take, params).first()
            available = None if granted is not None else conn.execute(self._available, params).scalar()
        self._purge(now, burst, rate)
        if granted is not None:
            return 0.0
        tokens = float(available) if available is not None else 0.0
        return (1.0 - tokens) / rate if rate > 0 else math.inf

    def _purge(self, now: float, burst: int, rate: float) -> None:
        """Delete the buckets that have refilled since their last take (they equal no bucket)."""
        with self._lock:
            if now - self._purged < PURGE_EVERY_S:
                return
            self._purged = now
        if rate <= 0:
            return  # a bucket that never refills must be kept
        with self.engine.begin() as conn:
            conn.execute(delete(_T).where(_T.c.stamp < now - burst / rate))


class RateLimited(NordublError):
    """429 problem+json; ``headers`` carries Retry-After (see :func:`app.api.problems.nordubl_error_handler`)."""

    headers: dict[str, str]

    def __init__(self, issue: Issue, retry_after: int) -> None:
        super().__init__(title="Too many requests", issues=[issue], status=429)
        self.headers = {"Retry-After": str(retry_after)}  # RFC 9110 §10.2.3


class Limiter:
    """The buckets of one application: its memory buckets and one database store per database URL."""

    def __init__(self) -> None:
        self.memory = TokenBuckets()
        self._stores: dict[str, DatabaseBuckets] = {}
        self._lock = threading.Lock()
        self._logged = -math.inf

    def store(self, settings: Settings) -> DatabaseBuckets:
        url = settings.database_url
        with self._lock:
            found = self._stores.get(url)
        if found is None:
            found = DatabaseBuckets(get_engine(url))  # the process's engine; SQLite is migrated on first use
            with self._lock:
                found = self._stores.setdefault(url, found)
        return found

    def take(self, key: str, settings: Settings) -> float:
        """Blocking (a database round trip): call it from a worker thread."""
        burst, per_minute = settings.rate_limit_burst, settings.rate_limit_per_minute
        if settings.rate_limit_store == "memory":
            return self.memory.take(key, burst, per_minute)
        try:
            return self.store(settings).take(key, burst, per_minute)
        except SQLAlchemyError as exc:
            now = time.monotonic()
            if now - self._logged >= LOG_EVERY_S:
                self._logged = now
                log.warning(
                    "rate limit buckets unavailable in the database; this process's own buckets stand in "
                    "(is the database migrated? nordubl db upgrade)",
                    extra={"error": str(exc)[:300]},
                )
            return self.memory.take(key, burst, per_minute)


def client_key(request: Request) -> str:
    """The bucket's key: the peer's IPv4 address, or its IPv6 /64 prefix (RFC 4291 §2.5.4)."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64] or "unknown"  # not an IP address (a test client, a Unix socket)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d is the IPv4 client (RFC 4291 §2.5.5.2)
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def limiter_of(request: Request) -> Limiter:
    state = request.app.state
    limiter: Limiter | None = getattr(state, "rate_limiter", None)
    if limiter is None:
        limiter = Limiter()
        state.rate_limiter = limiter
    return limiter


async def enforce(request: Request, settings: Settings) -> None:
    """Take this request's token, or raise :class:`RateLimited` (429, ``Retry-After``)."""
    key = client_key(request)
    wait = await anyio.to_thread.run_sync(limiter_of(request).take, key, settings)
    if wait == 0.0:
        return
    retry = max(1, math.ceil(wait)) if math.isfinite(wait) else 3600
    per = 60 / max(settings.rate_limit_per_minute, 1)
    raise RateLimited(
        issue(
            "rate.limited",
            params={
                "burst": str(settings.rate_limit_burst),
                "routes": ROUTES,
                "per": f"{per:.1f}",
                "retry": str(retry),
            },
        ),
        retry,
    )


#: For the routes' ``responses``.
RESPONSE_429 = {"description": "Too many requests from this address (problem+json, Retry-After)"}
