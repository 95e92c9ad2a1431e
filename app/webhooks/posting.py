"""One POST of a webhook with one total deadline: :func:`post` checks the receiver's address, connects, sends
and reads the answer, and :class:`Cutoff` ends the exchange from another thread at the deadline or when the
lease is lost."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
from urllib.parse import urlsplit


class DeliveryError(Exception):
    pass


class Cutoff:
    """Ends one HTTP exchange from another thread: shuts its socket down, which wakes a connect, send or
    receive blocked on it at once (the exchange then fails with ``reason``).

    Hand-written because http.client (and urllib3, httpx) only bound each socket operation: a receiver that
    sends a byte every few seconds never trips a per-operation timeout, and no total deadline exists there.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._done = False
        self.reason: str | None = None

    def attach(self, sock: socket.socket) -> None:
        """Watch the connection of ``sock``. Keeps a duplicate of its descriptor: shutdown(2) acts on the
        connection, not the descriptor, so it reaches a socket that TLS has since wrapped (and detached),
        and the duplicate is never a descriptor number that someone else reuses after a close."""
        with self._lock:
            if self._done:
                return
            self._sock = sock.dup()
            if self.reason is not None:
                self._shut()

    def cut(self, reason: str) -> None:
        with self._lock:
            if self._done or self.reason is not None:
                return
            self.reason = reason
            self._shut()

    def finish(self) -> str | None:
        """The exchange is over: no later cut; answers the reason when it was cut before."""
        with self._lock:
            self._done = True
            if self._sock is not None:
                self._sock.close()
                self._sock = None
            return self.reason

    def _shut(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing blocks on it
                self._sock.shutdown(socket.SHUT_RDWR)


class _CutoffConnection(http.client.HTTPConnection):
    """Hands the TCP socket to the cutoff as soon as it is connected (before TLS, so a handshake trickled a
    byte at a time is cut as well)."""

    cutoff: Cutoff

    def connect(self) -> None:
        super().connect()
        assert self.sock is not None
        self.cutoff.attach(self.sock)


class _CutoffHTTPSConnection(http.client.HTTPSConnection, _CutoffConnection):
    # MRO: HTTPSConnection.connect → _CutoffConnection.connect (TCP, attach) → TLS on the attached socket
    pass


def _check_address(host: str, port: int, allow_private: bool) -> None:
    """Refuse loopback, private, link-local … addresses unless allowed (an account's URL must not reach
    the service's own network)."""
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DeliveryError(f"{host}: {exc.strerror or exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise DeliveryError(f"{host} resolves to {address}, which is not a public address")


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    deadline: float,
    allow_private: bool,
    cutoff: Cutoff | None = None,
) -> int:
    """POST ``body``; answers the HTTP status (redirects are not followed).

    ``deadline``: seconds for the whole exchange (address check, connect, send, the answer's status, headers
    and up to 64 KiB of its body); past it the connection is cut and :class:`DeliveryError` raised.
    ``cutoff``: ends the exchange early from another thread (a lost lease)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError(f"not an http(s) URL: {url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    cutoff = cutoff or Cutoff()
    started = time.monotonic()
    late = (
        f"no complete answer within the delivery deadline of {deadline:g} s "
        "(NORDUBL_WEBHOOK_DEADLINE_SECONDS): the receiver must answer sooner"
    )
    timer = threading.Timer(deadline, cutoff.cut, (late,))
    timer.daemon = True
    timer.start()
    conn: _CutoffConnection
    try:
        # getaddrinfo cannot be interrupted; its time counts towards the deadline (attach cuts at once)
        _check_address(parts.hostname, port, allow_private)
        # each socket operation is bounded by what is left as well (a connect cannot be cut before attach)
        left = max(0.001, deadline - (time.monotonic() - started))
        if parts.scheme == "https":
            conn = _CutoffHTTPSConnection(parts.hostname, port, timeout=left)
        else:
            conn = _CutoffConnection(parts.hostname, port, timeout=left)
        conn.cutoff = cutoff
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        try:
            conn.request("POST", target, body=body, headers=headers)
            response = conn.getresponse()
            response.read(64 * 1024)
        except (OSError, http.client.HTTPException) as exc:
            # a socket timeout is the deadline too: each operation was given only what was left of it
            reason = cutoff.finish() or (late if isinstance(exc, TimeoutError) else None)
            raise DeliveryError(reason or f"{type(exc).__name__}: {exc}") from None
        finally:
            conn.close()
        reason = cutoff.finish()
        if reason is not None:  # cut just as the answer completed: an attempt past the deadline failed
            raise DeliveryError(reason)
        return response.status
    finally:
        timer.cancel()
        cutoff.finish()
