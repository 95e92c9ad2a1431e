"""Webhooks: an outbox row per processed order when the account has a URL; deliveries signed with
HMAC-SHA256, retried with exponential backoff, tested against an HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from shopfixtures import SELLER_NO, Shop, form

from app.store.blobs import FolderBlobStore
from app.store.models import OutboxEntry
from app.webhooks import signing
from app.webhooks.delivery import RetryPolicy, deliver_webhooks


class Receiver:
    """An HTTP server on loopback that records every POST and answers ``status``."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/nordubl?shop=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()


def _rows(shop: Shop, account_id: int) -> list[OutboxEntry]:
    with shop.db.session() as session:
        return list(
            session.query(OutboxEntry)
            .filter_by(account_id=account_id, kind="webhook")
            .order_by(OutboxEntry.id)
        )


def _deliver(shop: Shop, **kw: Any) -> Any:
    with shop.db.session() as session:
        return deliver_webhooks(
            session, shop.clock.now(), blobs=FolderBlobStore(shop.blob_dir), allow_private=True, **kw
        )


def test_a_processed_order_is_posted_signed(shop: Shop, receiver: Receiver) -> None:
    acc = shop.account(SELLER_NO)
    r = shop.put(acc, "/v1/account/webhook", {"url": receiver.url})
    assert r.status_code == 200
    secret = r.json()["secret"]
    assert secret.startswith("whsec_") and shop.get(acc, "/v1/account/webhook").json() == {
        "url": receiver.url,
        "secret": None,
    }
    out = shop.post(acc, "/v1/shop-orders", form("WH-1")).json()
    order_doc = out["documents"][0]
    (row,) = _rows(shop, acc.id)
    assert (row.document_id, row.status, row.attempts) == (order_doc["id"], "queued", 0)
    assert shop.get(acc, f"/v1/documents/{order_doc['id']}").json()["webhook"]["status"] == "queued"

    receiver.calls.clear()
    receiver.status = 204
    assert _deliver(shop)["sent"] == 1
    ((headers, body),) = receiver.calls
    assert headers["content-type"] == "application/json"
    assert headers["nordubl-event-id"] == f"evt_{row.id}"
    now = int(shop.clock.now().timestamp())
    assert signing.verify(secret, headers["nordubl-signature"], body, now)
    assert not signing.verify(secret, headers["nordubl-signature"], body + b" ", now)
    assert not signing.verify("whsec_other", headers["nordubl-signature"], body, now)
    assert not signing.verify(secret, headers["nordubl-signature"], body, now + 3600)  # a late replay
    event = json.loads(body)
    assert event["type"] == "order.processed" and event["order"]["id"] == "WH-1"
    assert event["document"]["sha256"] == order_doc["sha256"]
    assert event["document"]["xml"] == shop.get(acc, f"/v1/documents/{order_doc['id']}.xml").text
    assert _rows(shop, acc.id)[0].status == "sent"
    # nothing is due any more
    assert sum(_deliver(shop).values()) == 0 and len(receiver.calls) == 1


def test_failures_are_retried_with_exponential_backoff_then_failed(shop: Shop, receiver: Receiver) -> None:
    acc = shop.account(SELLER_NO)
    assert shop.put(acc, "/v1/account/webhook", {"url": receiver.url, "secret": "s" * 32}).status_code == 200
    shop.post(acc, "/v1/shop-orders", form("WH-2"))
    receiver.status = 503
    policy = RetryPolicy(max_attempts=3, base_seconds=30)
    start = shop.clock.now()

    assert _deliver(shop, policy=policy) == {"retry": 1}
    (row,) = _rows(shop, acc.id)
    assert (row.status, row.attempts, row.last_error) == ("queued", 1, "HTTP 503")
    assert row.next_attempt_at == start + timedelta(seconds=30)
    assert sum(_deliver(shop, policy=policy).values()) == 0  # not due yet

    shop.clock.set(start + timedelta(seconds=30))
    assert _deliver(shop, policy=policy) == {"retry": 1}
    row = _rows(shop, acc.id)[0]
    assert row.attempts == 2 and row.next_attempt_at == start + timedelta(seconds=30 + 60)

    shop.clock.set(start + timedelta(seconds=90))
    assert _deliver(shop, policy=policy) == {"failed": 1}
    assert _rows(shop, acc.id)[0].status == "failed"
    receiver.status = 200


def test_a_row_whose_lease_ran_out_is_posted_again(shop: Shop, receiver: Receiver) -> None:
    acc = shop.account(SELLER_NO)
    assert shop.put(acc, "/v1/account/webhook", {"url": receiver.url}).status_code == 200
    shop.post(acc, "/v1/shop-orders", form("WH-3"))
    (row,) = _rows(shop, acc.id)
    with shop.db.session() as session:
        entry = session.get(OutboxEntry, row.id)
        assert entry is not None
        entry.status, entry.lease_owner = "sending", "a-dead-worker"
        entry.lease_until = shop.clock.now() + timedelta(seconds=60)
        session.commit()
    assert sum(_deliver(shop).values()) == 0  # still leased by someone else
    shop.clock.set(shop.clock.now() + timedelta(seconds=61))
    receiver.status = 200
    assert _deliver(shop) == {"sent": 1}


def test_private_addresses_are_refused_unless_allowed(shop: Shop, receiver: Receiver) -> None:
    acc = shop.account(SELLER_NO)
    assert shop.put(acc, "/v1/account/webhook", {"url": receiver.url}).status_code == 200
    shop.post(acc, "/v1/shop-orders", form("WH-4"))
    calls = len(receiver.calls)
    with shop.db.session() as session:
        assert deliver_webhooks(session, shop.clock.now(), allow_private=False) == {"retry": 1}
    row = _rows(shop, acc.id)[0]
    assert "not a public address" in (row.last_error or "") and len(receiver.calls) == calls


def test_no_webhook_url_no_row_and_bad_urls_are_refused(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    shop.post(acc, "/v1/shop-orders", form("WH-5"))
    assert _rows(shop, acc.id) == []
    for url in ("ftp://example.no/x", "not a url", "https://user:pw@example.no/hook"):
        r = shop.put(acc, "/v1/account/webhook", {"url": url})
        assert r.status_code == 422 and r.json()["issues"][0]["field"] == "url", url
    assert shop.client.delete("/v1/account/webhook", auth=acc.auth).status_code == 204
