"""Webhook deadlines and leases, against a real receiver on loopback that trickles its answer one byte at a
time: a post is cut at its total deadline and recorded as a failed attempt, the lease is renewed while a
post runs (a second worker does not post the same event meanwhile), a row taken over ends the post, and a
slow receiver does not hold up another account's event.

The assertions are about order and counts, never about how fast the machine is: waits poll for their
condition with a generous cap.
"""

from __future__ import annotations

import select as sel
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from shopfixtures import SELLER_NO, Shop, form
from sqlalchemy import select, text
from test_webhooks import Receiver, receiver
from waiting import CAP_S, wait_until

from app.cli import main
from app.config import Settings, get_settings
from app.store.blobs import FolderBlobStore
from app.store.models import Document, OrderRecord, OutboxEntry
from app.webhooks.delivery import RetryPolicy, deliver_webhooks
from app.webhooks.posting import Cutoff, DeliveryError, post

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
__all__ = ["receiver"]  # the receiver fixture of test_webhooks, used here too


class Trickler:
    """A socket server on loopback: reads each POST, then sends its 200 answer one byte every ``interval``
    seconds (the rest at once when ``release`` is set); notes when the client hangs up first."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.events: list[str] = []  # Nordubl-Event-Id of every connection, in order
        self.open = 0
        self.max_open = 0
        self.cut = 0  # connections the client closed before the whole answer
        self.finished = 0  # connections that got the whole answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                request += chunk
            head, _, body = request.partition(b"\r\n\r\n")
            fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
            fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
            length = int(fields.get(b"content-length", b"0"))
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                body += chunk
            with self.lock:
                self.events.append(fields.get(b"nordubl-event-id", b"").decode())
                self.open += 1
                self.max_open = max(self.max_open, self.open)
            try:
                for i in range(len(ANSWER)):
                    if self.release.is_set():
                        conn.sendall(ANSWER[i:])
                        break
                    # wait one interval, unless the client hangs up (readable: EOF) meanwhile
                    readable, _, _ = sel.select([conn], [], [], self.interval)
                    if readable and not conn.recv(1):
                        raise ConnectionResetError("the client hung up")
                    conn.sendall(ANSWER[i : i + 1])
                with self.lock:
                    self.finished += 1
            except OSError:
                with self.lock:
                    self.cut += 1
            finally:
                with self.lock:
                    self.open -= 1

    def close(self) -> None:
        self.release.set()
        self.listener.close()


@pytest.fixture
def trickler() -> Iterator[Trickler]:
    t = Trickler()
    try:
        yield t
    finally:
        t.close()


def _row(shop: Shop, order_id: str) -> OutboxEntry:
    """The webhook row of a shop order, as committed now."""
    with shop.db.session() as session:
        row = session.scalars(
            select(OutboxEntry)
            .join(Document, Document.id == OutboxEntry.document_id)
            .join(OrderRecord, OrderRecord.id == Document.order_id)
            .where(OrderRecord.external_id == order_id, OutboxEntry.kind == "webhook")
        ).one()
        session.expunge(row)
        return row


def _execute(shop: Shop, sql: str, **params: Any) -> None:
    with shop.db.engine.begin() as conn:
        conn.execute(text(sql), params)


def _deliver(shop: Shop, policy: RetryPolicy, now: datetime | None = None, owner: str = "worker-a") -> Any:
    with shop.db.session() as session:
        return deliver_webhooks(
            session,
            now or shop.clock.now(),
            blobs=FolderBlobStore(shop.blob_dir),
            owner=owner,
            policy=policy,
            allow_private=True,
        )


def _account_with_hook(shop: Shop, url: str) -> Any:
    acc = shop.account(SELLER_NO)
    assert shop.put(acc, "/v1/account/webhook", {"url": url}).status_code == 200
    return acc


def _finish_pending(shop: Shop) -> None:
    """Rows left queued by a test are sent to nowhere: they must not reach the next test's round."""
    _execute(shop, "UPDATE outbox SET status = 'failed' WHERE kind = 'webhook' AND status <> 'sent'")


def test_a_trickling_receiver_is_cut_at_the_deadline_and_other_accounts_are_posted(
    shop: Shop, trickler: Trickler, receiver: Receiver
) -> None:
    slow = _account_with_hook(shop, trickler.url)
    other = _account_with_hook(shop, receiver.url)
    # the slow account's two events come first in the round
    for order_id, acc in (("DL-SLOW-1", slow), ("DL-SLOW-2", slow), ("DL-OTHER-1", other)):
        assert shop.post(acc, "/v1/shop-orders", form(order_id)).status_code in (200, 201)
    finished_when_other_posted: list[int] = []

    class Noting(list[tuple[dict[str, str], bytes]]):
        """The other receiver's calls, noting how many answers the slow one had finished at each."""

        def append(self, call: tuple[dict[str, str], bytes]) -> None:
            with trickler.lock:
                finished_when_other_posted.append(trickler.finished)
            super().append(call)

    receiver.calls = Noting()
    counts = _deliver(shop, RetryPolicy(deadline_seconds=2, lease_seconds=6))

    # (a) the post was cut at the deadline: a failed attempt with the reason, to be tried again later
    assert counts == {"retry": 1, "sent": 1}
    slow_1 = _row(shop, "DL-SLOW-1")
    assert (slow_1.status, slow_1.attempts, slow_1.lease_owner) == ("queued", 1, None)
    assert "deadline of 2 s" in (slow_1.last_error or ""), slow_1.last_error
    assert "NORDUBL_WEBHOOK_DEADLINE_SECONDS" in (slow_1.last_error or "")
    wait_until(lambda: trickler.open == 0, "the receiver sees the connection closed")
    assert (trickler.events, trickler.cut, trickler.finished) == ([f"evt_{slow_1.id}"], 1, 0)
    # the slow account's next event waits for the next round instead of holding this one up again
    slow_2 = _row(shop, "DL-SLOW-2")
    assert (slow_2.status, slow_2.attempts) == ("queued", 0)
    # (c) the other account's event was posted, while the slow receiver had not answered
    other_1 = _row(shop, "DL-OTHER-1")
    assert other_1.status == "sent" and len(receiver.calls) == 1
    assert finished_when_other_posted == [0]
    _finish_pending(shop)


def _connected(trickler: Trickler, n: int = 1) -> Callable[[], bool]:
    return lambda: len(trickler.events) >= n and trickler.open >= 1


def test_the_lease_is_renewed_while_a_post_runs_so_a_second_worker_does_not_post_it(
    shop: Shop, trickler: Trickler
) -> None:
    acc = _account_with_hook(shop, trickler.url)
    assert shop.post(acc, "/v1/shop-orders", form("DL-LEASE-1")).status_code in (200, 201)
    # a long deadline: the trickler is released by the test as soon as the renewals are seen
    policy = RetryPolicy(deadline_seconds=60, lease_seconds=120, renew_seconds=0.1)
    start = shop.clock.now()
    with ThreadPoolExecutor(1) as pool:
        first: Future[Any] = pool.submit(_deliver, shop, policy, start, "worker-a")
        wait_until(_connected(trickler), "worker A is connected")
        initial = _row(shop, "DL-LEASE-1").lease_until
        assert initial is not None and initial >= start + timedelta(seconds=120)
        # (b) a second worker with the same clock finds the row leased, again and again
        for _ in range(3):
            assert sum(_deliver(shop, policy, start, "worker-b").values()) == 0
        # the lease moves on while the post runs …
        wait_until(
            lambda: (
                (_row(shop, "DL-LEASE-1").lease_until or initial) > initial + timedelta(seconds=0.5)
                or first.done()
            ),
            "the lease is renewed",
        )
        renewed = _row(shop, "DL-LEASE-1").lease_until
        assert renewed is not None and renewed > initial + timedelta(seconds=0.5), (initial, renewed)
        # … so a worker whose clock is already past the lease first taken does not take the row over
        assert sum(_deliver(shop, policy, initial + timedelta(seconds=0.25), "worker-b").values()) == 0
        assert (len(trickler.events), trickler.max_open) == (1, 1)
        trickler.release.set()
        assert first.result(timeout=CAP_S) == {"sent": 1}
    row = _row(shop, "DL-LEASE-1")
    assert (row.status, row.attempts, row.lease_owner) == ("sent", 1, None)
    assert (len(trickler.events), trickler.finished) == (1, 1)


def test_a_post_whose_row_was_taken_over_is_ended(shop: Shop, trickler: Trickler) -> None:
    acc = _account_with_hook(shop, trickler.url)
    assert shop.post(acc, "/v1/shop-orders", form("DL-TAKEN-1")).status_code in (200, 201)
    policy = RetryPolicy(deadline_seconds=60, lease_seconds=120, renew_seconds=0.1)
    with ThreadPoolExecutor(1) as pool:
        first: Future[Any] = pool.submit(_deliver, shop, policy, shop.clock.now(), "worker-a")
        wait_until(_connected(trickler), "worker A is connected")
        row = _row(shop, "DL-TAKEN-1")
        _execute(shop, "UPDATE outbox SET lease_owner = 'worker-c' WHERE id = :id", id=row.id)
        # the next renewal finds the row another's: the post ends, and worker A records nothing
        assert first.result(timeout=CAP_S) == {"lost": 1}
    wait_until(lambda: trickler.open == 0, "the receiver sees the connection closed")
    assert (trickler.cut, trickler.finished) == (1, 0)
    row = _row(shop, "DL-TAKEN-1")
    assert (row.status, row.lease_owner, row.last_error) == ("sending", "worker-c", None)
    _finish_pending(shop)


def test_a_tls_handshake_trickled_a_byte_at_a_time_is_cut_at_the_deadline() -> None:
    """The server starts a TLS record (RFC 8446 §5.1: type 22, version, a 16 KiB length) and then sends its
    body one byte every 0.5 s, so the handshake would never end: it fails at the deadline, saying so."""
    listener = socket.create_server(("127.0.0.1", 0))
    outcome: dict[str, int] = {}

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"\x16\x03\x03\x40\x00")
            for sent in range(240):  # 2 minutes at most: only reached when the client is never cut
                readable, _, _ = sel.select([conn], [], [], 0.5)
                try:
                    if readable and not conn.recv(65536):
                        outcome["hung_up_after"] = sent
                        return
                    conn.sendall(b"\x00")
                except OSError:
                    outcome["hung_up_after"] = sent
                    return
            outcome["finished"] = 1

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        port = listener.getsockname()[1]
        with pytest.raises(DeliveryError, match=r"delivery deadline of 2 s"):
            post(f"https://127.0.0.1:{port}/hook", b"{}", {}, 2, allow_private=True)
        server.join(CAP_S)
    finally:
        listener.close()
    assert "finished" not in outcome and "hung_up_after" in outcome, outcome


def test_a_cut_reaches_a_socket_that_tls_has_wrapped() -> None:
    """Wrapping a socket in TLS detaches the socket object the cutoff was given (its descriptor moves to
    the TLS socket); the cut must still end the connection, or a trickled answer over https is never cut."""
    client, server = socket.socketpair()
    with client, server:
        client.settimeout(60)  # only reached when the cut did not reach the connection
        server.settimeout(60)
        cutoff = Cutoff()
        cutoff.attach(client)
        tls = ssl.create_default_context().wrap_socket(
            client, server_hostname="receiver.example", do_handshake_on_connect=False
        )
        with tls:
            assert client.fileno() == -1  # detached: a shutdown through it would reach nothing
            cutoff.cut("cut")
            with pytest.raises(OSError) as failed:
                tls.do_handshake()
            assert not isinstance(failed.value, TimeoutError), failed.value
            assert server.recv(1) == b""  # the connection is shut: the client hello never left
        assert cutoff.finish() == "cut"


def test_a_deadline_not_shorter_than_the_lease_is_refused() -> None:
    with pytest.raises(ValueError, match=r"deadline_seconds \(6\) must be shorter than lease_seconds \(6\)"):
        RetryPolicy(deadline_seconds=6, lease_seconds=6)
    with pytest.raises(ValueError, match="renew_seconds"):
        RetryPolicy(deadline_seconds=2, lease_seconds=6, renew_seconds=6)
    with pytest.raises(ValidationError) as refused:
        Settings(webhook_deadline_seconds=130, webhook_lease_seconds=120)
    message = str(refused.value)
    assert (
        "NORDUBL_WEBHOOK_DEADLINE_SECONDS (130) must be shorter than NORDUBL_WEBHOOK_LEASE_SECONDS (120)"
        in (message)
    )
    settings = Settings(webhook_deadline_seconds=3, webhook_lease_seconds=9)
    policy = RetryPolicy.from_settings(settings)
    assert (policy.deadline_seconds, policy.lease_seconds, policy.renew_interval) == (3, 9, 2.25)


def test_the_deliverer_refuses_a_deadline_not_shorter_than_the_lease(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("NORDUBL_WEBHOOK_DEADLINE_SECONDS", "200")
    monkeypatch.setenv("NORDUBL_DATABASE_URL", f"sqlite:///{tmp_path / 'never-opened.db'}")
    get_settings.cache_clear()
    try:
        assert main(["webhooks", "deliver", "--once"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith(
        "nordubl webhooks: refused configuration: NORDUBL_WEBHOOK_DEADLINE_SECONDS (200) must be shorter"
    ), err
    assert "NORDUBL_WEBHOOK_LEASE_SECONDS (120)" in err
    assert not (tmp_path / "never-opened.db").exists()  # refused before the database was opened
