"""The document store: blobs by SHA-256 in a folder or an S3 bucket (moto's server on loopback), checked on
every read; documents survive a restart; invoice numbers are gap-free; nothing is overwritten."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import Database
from fastapi.testclient import TestClient
from shopfixtures import SELLER_NO, Shop, form, make_app

from app.processing.clock import ManualClock
from app.store.blobs import BlobCorrupt, BlobMissing, FolderBlobStore, S3BlobStore

BUCKET = "nordubl-blobs"
S3_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "region_name": "eu-north-1",
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    S3BlobStore(BUCKET, endpoint, **S3_CREDENTIALS).client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    try:
        yield endpoint
    finally:
        server.stop()


def test_folder_store_is_content_addressed_and_checks_the_hash(tmp_path: Path) -> None:
    store = FolderBlobStore(tmp_path)
    data = b"<Invoice/>"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.path(sha) == tmp_path / sha[:2] / sha[2:4] / sha
    assert store.put(data) == sha and store.get(sha) == data  # written once, read back
    assert list(tmp_path.rglob(".tmp-*")) == []
    store.path(sha).write_bytes(b"<Invoice>changed</Invoice>")
    with pytest.raises(BlobCorrupt) as err:
        store.get(sha)
    assert err.value.actual == hashlib.sha256(b"<Invoice>changed</Invoice>").hexdigest()
    with pytest.raises(BlobMissing):
        store.get("0" * 64)


def test_concurrent_writers_of_the_same_blob(tmp_path: Path) -> None:
    store = FolderBlobStore(tmp_path)
    data = b"x" * 100_000
    barrier = threading.Barrier(8)
    results: list[str] = []

    def write() -> None:
        barrier.wait()
        results.append(store.put(data))

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and store.get(results[0]) == data
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [results[0]]


def test_s3_store_never_overwrites_and_detects_a_tampered_object(s3_endpoint: str) -> None:
    store = S3BlobStore(BUCKET, s3_endpoint, prefix="t/", **S3_CREDENTIALS)
    data = b"<CreditNote/>"
    sha = store.put(data)
    assert store.exists(sha) and store.get(sha) == data
    assert store.put(data) == sha  # the second write of the same bytes is refused by If-None-Match
    store.client.put_object(Bucket=BUCKET, Key=f"t/{sha}", Body=b"<CreditNote>forged</CreditNote>")
    with pytest.raises(BlobCorrupt):
        store.get(sha)
    with pytest.raises(BlobMissing):
        store.get("f" * 64)


@contextmanager
def _client(app: Any) -> Iterator[TestClient]:
    """A client without the lifespan: the validation service make_app set up stays (no warm-up)."""
    client = TestClient(app)
    try:
        yield client
    finally:
        client.close()


def _order(shop: Shop, acc: Any, order_id: str, **kw: Any) -> dict[str, Any]:
    r = shop.post(acc, "/v1/shop-orders", form(order_id, **kw))
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def test_the_xml_is_served_as_stored_and_a_tampered_blob_is_refused(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    out = _order(shop, acc, "ST-1", order_status="completed")
    invoice = out["documents"][1]
    r = shop.get(acc, f"/v1/documents/{invoice['id']}.xml")
    assert r.status_code == 200 and r.headers["content-type"] == "application/xml"
    assert hashlib.sha256(r.content).hexdigest() == invoice["sha256"] == r.headers["X-Nordubl-Sha256"]
    meta = shop.get(acc, f"/v1/documents/{invoice['id']}").json()
    assert meta["size"] == len(r.content) and meta["order_id"] == "ST-1" and meta["mail"] is None

    path = FolderBlobStore(shop.blob_dir).path(invoice["sha256"])
    original = path.read_bytes()
    path.write_bytes(original.replace(b"2490.00", b"249.00"))
    try:
        r = shop.get(acc, f"/v1/documents/{invoice['id']}.xml")
        assert r.status_code == 500
        assert r.json()["issues"][0]["code"] == "store.blob_corrupt"
    finally:
        path.write_bytes(original)
    assert shop.get(acc, f"/v1/documents/{invoice['id']}.xml").content == original


def test_another_accounts_document_is_404(shop: Shop) -> None:
    a, b = shop.account(SELLER_NO), shop.account(SELLER_NO)
    doc = _order(shop, a, "ISO-1", order_status="completed")["documents"][1]["id"]
    for path in (f"/v1/documents/{doc}", f"/v1/documents/{doc}.xml"):
        assert shop.get(b, path).status_code == 404
        assert shop.get(a, path).status_code == 200
    assert shop.post(b, f"/v1/documents/{doc}/approve", None).status_code == 404
    assert shop.get(b, "/v1/documents").json()["total"] == 0
    assert shop.get(b, "/v1/orders/ISO-1").status_code == 404
    assert shop.client.get(f"/v1/documents/{doc}").status_code == 401


def test_invoice_numbers_are_gap_free_and_never_reused(shop: Shop) -> None:
    acc = shop.account(SELLER_NO, processing={"invoice_numbers": {"prefix": "F-", "next": 1000}})
    numbers = [
        _order(shop, acc, f"NUM-{i}", order_status="completed")["documents"][1]["number"] for i in range(2)
    ]
    assert numbers == ["F-1000", "F-1001"]
    # an invoice refused at booking time gives its number back
    _order(shop, acc, "NUM-X")
    catalogue = shop.get(acc, "/v1/catalogue/products").json()["products"]
    for p in catalogue:
        p["active"] = p["product_number"] != "KURS-01"
    assert shop.put(acc, "/v1/catalogue/products", {"products": catalogue}).status_code == 200
    r = shop.client.put("/v1/orders/NUM-X/status", json={"status": "completed"}, auth=acc.auth)
    assert r.status_code == 422 and r.json()["issues"][0]["code"] == "product.inactive"
    for p in catalogue:
        p["active"] = True
    assert shop.put(acc, "/v1/catalogue/products", {"products": catalogue}).status_code == 200
    r = shop.client.put("/v1/orders/NUM-X/status", json={"status": "completed"}, auth=acc.auth)
    assert r.status_code == 201 and r.json()["documents"][1]["number"] == "F-1002"
    assert shop.errors(acc, order_id="NUM-X") == []
    # the series never goes back
    r = shop.put(acc, "/v1/account/processing", {"invoice_numbers": {"prefix": "F-", "next": 1001}})
    assert r.status_code == 409 and r.json()["issues"][0]["code"] == "invoice_numbers.reuse"
    assert shop.get(acc, "/v1/account/processing").json()["invoice_numbers"] == {"prefix": "F-", "next": 1003}


def test_a_cancelled_invoice_is_corrected_by_a_credit_note_never_overwritten(shop: Shop) -> None:
    acc = shop.account(SELLER_NO)
    out = _order(shop, acc, "CN-1", order_status="completed")
    invoice = out["documents"][1]
    r = shop.client.put("/v1/orders/CN-1/status", json={"status": "Cancelled"}, auth=acc.auth)
    assert r.status_code == 201
    docs = {d["kind"]: d for d in r.json()["documents"]}
    assert docs["invoice"] == invoice  # unchanged: same row, same hash
    credit = shop.get(acc, f"/v1/documents/{docs['creditnote']['id']}").json()
    assert credit["credits_document_id"] == invoice["id"] and credit["number"] != invoice["number"]
    xml = shop.get(acc, f"/v1/documents/{credit['id']}.xml").text
    assert f"<cbc:ID>{invoice['number']}</cbc:ID>" in xml.split("<cac:BillingReference>")[1]
    # the same status again: nothing new
    again = shop.client.put("/v1/orders/CN-1/status", json={"status": "cancelled"}, auth=acc.auth)
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert shop.get(acc, "/v1/documents", order_id="CN-1").json()["total"] == 3


def test_documents_survive_a_restart(db: Database, tmp_path: Path) -> None:
    """A new application instance on the same database and folder serves the same documents."""
    from app.db import dispose_engines

    clock = ManualClock()
    app, _ = make_app(db, tmp_path, clock)
    with _client(app) as first:
        shop = Shop(first, db, app.state.validation, clock, tmp_path)
        acc = shop.account(SELLER_NO)
        out = _order(shop, acc, "RS-1", order_status="completed")
        before = {d["id"]: shop.get(acc, f"/v1/documents/{d['id']}.xml").content for d in out["documents"]}
    app.state.validation.close()
    dispose_engines()

    app2, _ = make_app(db, tmp_path, clock)
    with _client(app2) as second:
        listed = second.get("/v1/documents", params={"order_id": "RS-1"}, auth=acc.auth).json()["items"]
        assert sorted(d["id"] for d in listed) == sorted(before)
        for doc_id, xml in before.items():
            assert second.get(f"/v1/documents/{doc_id}.xml", auth=acc.auth).content == xml
        # and the order is still known: sent again, it answers the stored result
        again = second.post("/v1/shop-orders", json=form("RS-1", order_status="completed"), auth=acc.auth)
        assert again.status_code == 200 and again.json()["replayed"] is True
    app2.state.validation.close()
    dispose_engines()


def test_the_store_on_s3(
    db: Database, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With a bucket configured the XML goes to S3 (nothing to the folder), is served from there and a
    tampered object is refused."""
    from app.db import dispose_engines

    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "eu-north-1"),
    ):
        monkeypatch.setenv(name, value)
    clock = ManualClock()
    app, _ = make_app(
        db,
        tmp_path / "unused",
        clock,
        blob_s3_bucket=BUCKET,
        blob_s3_endpoint_url=s3_endpoint,
        blob_s3_prefix=f"{db.backend}/",
    )
    try:
        with _client(app) as client:
            shop = Shop(client, db, app.state.validation, clock, tmp_path)
            acc = shop.account(SELLER_NO)
            out = _order(shop, acc, "S3-1", order_status="completed")
            s3 = S3BlobStore(BUCKET, s3_endpoint, prefix=f"{db.backend}/", **S3_CREDENTIALS)
            for d in out["documents"]:
                stored = s3.get(d["sha256"])
                assert shop.get(acc, f"/v1/documents/{d['id']}.xml").content == stored
            assert not (tmp_path / "unused").exists()
            invoice = out["documents"][1]
            s3.client.put_object(Bucket=BUCKET, Key=f"{db.backend}/{invoice['sha256']}", Body=b"<Invoice/>")
            r = shop.get(acc, f"/v1/documents/{invoice['id']}.xml")
            assert r.status_code == 500 and r.json()["issues"][0]["code"] == "store.blob_corrupt"
    finally:
        app.state.validation.close()
        dispose_engines()


def test_an_unwritable_store_stores_nothing(db: Database, tmp_path: Path) -> None:
    """The blob store cannot be written: 503, and no document, customer, number or order is kept."""
    from app.db import dispose_engines

    (tmp_path / "a-file").write_text("not a folder")
    clock = ManualClock()
    app, _ = make_app(db, tmp_path / "a-file" / "blobs", clock)
    try:
        with _client(app) as client:
            shop = Shop(client, db, app.state.validation, clock, tmp_path)
            acc = shop.account(SELLER_NO)
            r = shop.post(acc, "/v1/shop-orders", form("DOWN-1", order_status="completed"))
            assert r.status_code == 503 and r.json()["issues"][0]["code"] == "store.unavailable"
            for table in ("documents", "customers", "orders"):
                assert shop.count(f"SELECT count(*) FROM {table} WHERE account_id = :a", a=acc.id) == 0
            assert (
                shop.count("SELECT count(*) FROM invoice_number_series WHERE account_id = :a", a=acc.id) <= 1
            )
            assert shop.get(acc, "/v1/account/processing").json()["invoice_numbers"]["next"] == 1
    finally:
        app.state.validation.close()
        dispose_engines()
