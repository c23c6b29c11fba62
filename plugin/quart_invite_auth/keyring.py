"""Keys derived from the configured master secret, with old secrets kept as fallbacks.

Every secret at rest is sealed with AES-256-GCM under a key derived by HKDF from the
master secret for one purpose (the LMDB database name); the database name and the record
key are the associated data, so a ciphertext moved to another record does not open.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_FORMAT_V1 = b"\x01"
_NONCE_LEN = 12
_KEY_ID_LEN = 4
_MIN_SECRET_LEN = 32


class KeyringError(Exception):
    """A sealed value did not open under any configured secret."""


def _hkdf(secret: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=length, salt=b"invite-auth keyring v1", info=info
    ).derive(secret)


class _MasterKey:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < _MIN_SECRET_LEN:
            raise ValueError(f"a secret key must have at least {_MIN_SECRET_LEN} bytes")
        self._secret = secret
        self.key_id = _hkdf(secret, b"key id", _KEY_ID_LEN)
        self._aeads: dict[str, AESGCM] = {}
        self._macs: dict[str, bytes] = {}

    def aead(self, purpose: str) -> AESGCM:
        aead = self._aeads.get(purpose)
        if aead is None:
            aead = AESGCM(_hkdf(self._secret, b"at rest\x00" + purpose.encode()))
            self._aeads[purpose] = aead
        return aead

    def mac_key(self, purpose: str) -> bytes:
        # derived once per purpose: device tokens are checked on every login start
        key = self._macs.get(purpose)
        if key is None:
            key = self._macs[purpose] = _hkdf(self._secret, b"mac\x00" + purpose.encode())
        return key


def secret_from_config(value: str | bytes) -> bytes:
    """Accept a configured secret as bytes or text (hex, or any string of enough length)."""
    if isinstance(value, bytes):
        return value
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    return raw if len(raw) >= _MIN_SECRET_LEN else value.encode()


class Keyring:
    """The current master secret first, then fallbacks that still open old data."""

    def __init__(self, current: bytes, fallbacks: Sequence[bytes] = ()) -> None:
        self._keys = [_MasterKey(current), *(_MasterKey(s) for s in fallbacks)]
        self._by_id = {k.key_id: k for k in reversed(self._keys)}

    @property
    def current(self) -> _MasterKey:
        return self._keys[0]

    def seal(self, purpose: str, key: bytes, plaintext: bytes) -> bytes:
        master = self.current
        nonce = os.urandom(_NONCE_LEN)
        header = _FORMAT_V1 + master.key_id
        aad = _aad(purpose, key, header)
        return header + nonce + master.aead(purpose).encrypt(nonce, plaintext, aad)

    def open(self, purpose: str, key: bytes, sealed: bytes) -> bytes:
        head = 1 + _KEY_ID_LEN
        if len(sealed) < head + _NONCE_LEN + 16 or sealed[:1] != _FORMAT_V1:
            raise KeyringError("not a sealed value")
        master = self._by_id.get(sealed[1:head])
        if master is None:
            raise KeyringError("sealed under a secret that is not configured")
        nonce = sealed[head : head + _NONCE_LEN]
        try:
            return master.aead(purpose).decrypt(
                nonce, sealed[head + _NONCE_LEN :], _aad(purpose, key, sealed[:head])
            )
        except InvalidTag as exc:
            raise KeyringError("sealed value failed authentication") from exc

    def needs_reseal(self, sealed: bytes) -> bool:
        return sealed[1 : 1 + _KEY_ID_LEN] != self.current.key_id

    def mac_keys(self, purpose: str) -> list[bytes]:
        """MAC keys for verifying: the current one first, then the fallbacks'."""
        return [k.mac_key(purpose) for k in self._keys]


def _aad(purpose: str, key: bytes, header: bytes) -> bytes:
    p = purpose.encode()
    return len(p).to_bytes(2, "big") + p + len(key).to_bytes(4, "big") + key + header
