"""A dry run of the pipeline: what a shop order would become with the account's own settings, catalogue,
customers and number series, with nothing kept.

The order goes through :func:`app.processing.pipeline.submit_order`, the very code a real order takes, in a
transaction that is rolled back at the end: the session joins an outer transaction on its connection and
each ``commit()`` inside the pipeline only releases a savepoint (SQLAlchemy's "joining a session into an
external transaction"). No customer, number, order, document, error-log entry or outbox row (mail,
webhook) survives; the XML goes to a blob store in memory instead of the account's folder or bucket. The
answer shows the numbers the documents *would* get: the next ones of the series, still free afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.processing.clock import Clock
from app.processing.context import Context, Runner
from app.store.blobs import BlobMissing, sha256_hex


@dataclass
class MemoryBlobStore:
    """A blob store that keeps what is put in a dict for the length of one preview."""

    kind: str = "memory"
    blobs: dict[str, bytes] = field(default_factory=dict)

    def put(self, data: bytes) -> str:
        digest = sha256_hex(data)
        self.blobs[digest] = data
        return digest

    def get(self, sha256: str) -> bytes:
        try:
            return self.blobs[sha256]
        except KeyError:
            raise BlobMissing(sha256) from None

    def exists(self, sha256: str) -> bool:
        return sha256 in self.blobs


@contextmanager
def dry_context(engine: Engine, account_id: int, clock: Clock, run: Runner) -> Iterator[Context]:
    """A :class:`Context` whose every write is rolled back when the block ends, however it ends."""
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            with Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ) as session:
                account = session.get(Account, account_id)
                assert account is not None  # authenticated by the caller in this request
                yield Context(session, account, clock, MemoryBlobStore(), run)
        finally:
            outer.rollback()
