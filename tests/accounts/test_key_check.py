"""The key check remembers a key that passed (scrypt once per process), never a wrong or rotated one."""

from __future__ import annotations

import pytest

from app.accounts import keys


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = keys._scrypt

    def counting(key: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        calls.append(key)
        return real(key, salt, n, r, p)

    monkeypatch.setattr(keys, "_scrypt", counting)
    monkeypatch.setattr(keys, "_verified", type(keys._verified)())
    return calls


def test_a_key_that_passed_is_confirmed_without_scrypt(scrypt_calls: list[str]) -> None:
    key = keys.new_client_key()
    stored = keys.hash_key(key)
    scrypt_calls.clear()
    assert all(keys.check_key(key, stored) for _ in range(5))
    assert scrypt_calls == [key]  # the first check only
    assert key.encode() not in b"".join(keys._verified.values())  # an HMAC is kept, not the key


def test_a_wrong_key_always_costs_a_full_check(scrypt_calls: list[str]) -> None:
    key = keys.new_client_key()
    stored = keys.hash_key(key)
    assert keys.check_key(key, stored)
    scrypt_calls.clear()
    assert not any(keys.check_key(key + "x", stored) for _ in range(3))
    assert scrypt_calls == [key + "x"] * 3
    assert keys.check_key(key, stored) and len(scrypt_calls) == 3


def test_a_rotated_key_is_checked_against_its_new_hash(scrypt_calls: list[str]) -> None:
    old, new = keys.new_client_key(), keys.new_client_key()
    old_stored = keys.hash_key(old)
    assert keys.check_key(old, old_stored)
    new_stored = keys.hash_key(new)
    scrypt_calls.clear()
    assert not keys.check_key(old, new_stored)  # remembered for the old hash only
    assert keys.check_key(new, new_stored)
    assert scrypt_calls == [old, new]


def test_the_cache_is_bounded(scrypt_calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "VERIFIED_CACHE_SIZE", 2)
    pairs = [(k, keys.hash_key(k)) for k in (keys.new_client_key() for _ in range(3))]
    for key, stored in pairs:
        assert keys.check_key(key, stored)
    assert list(keys._verified) == [stored for _, stored in pairs[1:]]
    scrypt_calls.clear()
    assert keys.check_key(*pairs[0]) and scrypt_calls == [pairs[0][0]]  # forgotten: checked again
