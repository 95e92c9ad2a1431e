"""Client credentials (source 004: client id + client key).

The key is shown once and stored as ``scrypt$n$r$p$salt$hash`` (a fresh 16-byte salt per key); checking
compares in constant time, and an unknown client id costs as much as a wrong key.

scrypt costs about 40 ms of CPU by design, which would bound an account's requests to some 25 per second
per core. :func:`check_key` therefore remembers, in this process only, which key passed the check for a
stored hash (as an HMAC under a random per-process key, never the key itself): the same key again is
confirmed by one HMAC. A wrong key still costs a full scrypt check, and a rotated key has a new stored
hash (a new salt), so nothing remembered for the old one applies to it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from functools import lru_cache

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_DKLEN = 32


def new_client_id() -> str:
    return "nc_" + secrets.token_hex(10)


def new_client_key() -> str:
    return "nk_" + secrets.token_urlsafe(32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(key: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        key.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=64 * 1024 * 1024
    )


def hash_key(key: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(key, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_key(key: str, stored: str) -> bool:
    try:
        algorithm, n, r, p, salt, digest = stored.split("$")
        if algorithm != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(key, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


#: Stored hashes whose key was checked in this process, with the HMAC of that key (newest last).
VERIFIED_CACHE_SIZE = 4096
_PEPPER = secrets.token_bytes(32)
_verified: OrderedDict[str, bytes] = OrderedDict()
_verified_lock = threading.Lock()


def _tag(key: str) -> bytes:
    return hmac.new(_PEPPER, key.encode("utf-8"), hashlib.sha256).digest()


def check_key(key: str, stored: str) -> bool:
    """:func:`verify_key`, with the scrypt work done once per process for a key that passed."""
    tag = _tag(key)
    with _verified_lock:
        known = _verified.get(stored)
        if known is not None:
            _verified.move_to_end(stored)
    if known is not None and hmac.compare_digest(known, tag):
        return True
    if not verify_key(key, stored):
        return False
    with _verified_lock:
        _verified[stored] = tag
        _verified.move_to_end(stored)
        while len(_verified) > VERIFIED_CACHE_SIZE:
            _verified.popitem(last=False)
    return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_key(secrets.token_urlsafe(16))


def burn_time(key: str) -> None:
    """Spend as long as a real check, for a client id that does not exist."""
    verify_key(key, _dummy_hash())
