"""Blobs addressed by their SHA-256: a local folder (default) or an S3 bucket. They hold the documents' XML
and the PDFs rendered from it (``app.pdf.cache``).

A blob is written once and never overwritten; its name is the SHA-256 of its bytes, so the same bytes land
on the same name and a write is idempotent. Every read checks the hash: a blob changed at rest (by hand,
by a faulty disk, by a tampering user of the bucket) is refused with :class:`BlobCorrupt`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from app.config import Settings, get_settings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobError(Exception):
    """A blob could not be read or written."""


class BlobMissing(BlobError):
    def __init__(self, sha256: str) -> None:
        super().__init__(f"blob {sha256} is missing from the store")
        self.sha256 = sha256


class BlobCorrupt(BlobError):
    """The bytes read back do not hash to the blob's name."""

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"blob {sha256} is corrupt: its bytes hash to {actual}")
        self.sha256 = sha256
        self.actual = actual


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_name(sha256: str) -> str:
    if not _SHA256.match(sha256):
        raise BlobError(f"not a SHA-256 hex digest: {sha256[:80]!r}")
    return sha256


def _verified(sha256: str, data: bytes) -> bytes:
    actual = sha256_hex(data)
    if actual != sha256:
        raise BlobCorrupt(sha256, actual)
    return data


class BlobStore(Protocol):
    """Content-addressed storage: ``put`` answers the SHA-256 the bytes are stored under."""

    #: ``folder`` or ``s3``: shown by the API and the logs.
    kind: str

    def put(self, data: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


class FolderBlobStore:
    """Blobs as files ``<root>/<ab>/<cd>/<sha256>``, written to a temporary file and linked into place."""

    kind = "folder"

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        name = _check_name(sha256)
        return self.root / name[:2] / name[2:4] / name

    def put(self, data: bytes) -> str:
        sha = sha256_hex(data)
        target = self.path(sha)
        if target.exists():
            return sha  # the same bytes are already there: never overwritten
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                # a hard link fails when the name exists: a concurrent writer of the same bytes won
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, target)
            finally:
                os.unlink(tmp)
        except OSError as exc:  # disk full, no permission …
            raise BlobError(
                f"blob {sha} could not be written to {self.root}: {exc.strerror or exc}"
            ) from None
        return sha

    def get(self, sha256: str) -> bytes:
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise BlobMissing(sha256) from None
        except OSError as exc:
            raise BlobError(f"blob {sha256} could not be read: {exc.strerror or exc}") from None
        return _verified(sha256, data)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


class S3BlobStore:
    """Blobs as objects ``<prefix><sha256>`` of one bucket (boto3; credentials from the environment:
    ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, or any other source boto3 reads)."""

    kind = "s3"

    def __init__(self, bucket: str, endpoint_url: str | None = None, prefix: str = "", **client: Any) -> None:
        from app.extras import require

        boto3 = require("boto3", "s3", "NORDUBL_BLOB_S3_BUCKET", "an S3 blob store")
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
            **client,
        )

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{_check_name(sha256)}"

    def put(self, data: bytes) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        sha = sha256_hex(data)
        try:
            # If-None-Match: * (RFC 9110 §13.1.2): the object is created, never replaced
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.key(sha),
                Body=data,
                IfNoneMatch="*",
                ContentType="application/pdf" if data.startswith(b"%PDF-") else "application/xml",
                ChecksumAlgorithm="SHA256",
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in ("PreconditionFailed", "ConditionalRequestConflict"):
                return sha  # the same bytes are already stored under this name
            raise BlobError(f"blob {sha} could not be written to s3://{self.bucket}: {code}") from None
        except BotoCoreError as exc:  # no connection, no credentials …
            raise BlobError(f"blob {sha} could not be written to s3://{self.bucket}: {exc}") from None
        return sha

    def get(self, sha256: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
            data: bytes = response["Body"].read()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in ("NoSuchKey", "404"):
                raise BlobMissing(sha256) from None
            raise BlobError(f"blob {sha256} could not be read from s3://{self.bucket}: {code}") from None
        except BotoCoreError as exc:
            raise BlobError(f"blob {sha256} could not be read from s3://{self.bucket}: {exc}") from None
        return _verified(sha256, data)

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except (ClientError, BotoCoreError):
            return False
        return True


def blob_store_for(settings: Settings) -> BlobStore:
    """S3 when ``blob_s3_bucket`` is set, else the folder ``blob_dir``."""
    if settings.blob_s3_bucket:
        return S3BlobStore(
            settings.blob_s3_bucket, settings.blob_s3_endpoint_url or None, settings.blob_s3_prefix
        )
    return FolderBlobStore(settings.blob_dir)


@lru_cache(maxsize=8)
def _cached(folder: Path, bucket: str | None, endpoint: str | None, prefix: str) -> BlobStore:
    if bucket:
        return S3BlobStore(bucket, endpoint, prefix)
    return FolderBlobStore(folder)


def get_blob_store(settings: Settings | None = None) -> BlobStore:
    """The process's blob store for ``settings`` (one boto3 client per bucket)."""
    s = settings or get_settings()
    return _cached(s.blob_dir, s.blob_s3_bucket, s.blob_s3_endpoint_url, s.blob_s3_prefix)
