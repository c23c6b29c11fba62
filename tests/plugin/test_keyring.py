"""Secrets at rest: AES-256-GCM bound to database and key; old secrets as fallbacks."""

from __future__ import annotations

import secrets

import pytest

from quart_invite_auth.keyring import Keyring, KeyringError


def test_a_sealed_value_opens_only_where_it_was_written() -> None:
    keyring = Keyring(secrets.token_bytes(32))
    sealed = keyring.seal("account_db", b"Lroot", b"totp secret")
    assert keyring.open("account_db", b"Lroot", sealed) == b"totp secret"
    with pytest.raises(KeyringError):
        keyring.open("account_db", b"Lother", sealed)  # moved to another record
    with pytest.raises(KeyringError):
        keyring.open("state_db", b"Lroot", sealed)  # moved to another database
    flipped = bytearray(sealed)
    flipped[-1] ^= 1
    with pytest.raises(KeyringError):
        keyring.open("account_db", b"Lroot", bytes(flipped))


def test_rotation_opens_old_values_and_seals_new_ones_under_the_new_secret() -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    sealed_before = Keyring(old).seal("account_db", b"k", b"v")
    rotated = Keyring(new, [old])
    assert rotated.open("account_db", b"k", sealed_before) == b"v"
    assert rotated.needs_reseal(sealed_before)
    sealed_after = rotated.seal("account_db", b"k", b"v")
    assert not rotated.needs_reseal(sealed_after)
    with pytest.raises(KeyringError, match="not configured"):
        Keyring(old).open("account_db", b"k", sealed_after)
    with pytest.raises(KeyringError, match="not configured"):
        Keyring(new).open("account_db", b"k", sealed_before)


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        Keyring(b"too short")
