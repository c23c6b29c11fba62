"""The sealed MFA bundle: secrets encrypted to a key only the password holder can derive.

Construction (also documented in openapi.yaml):
  sk  = HKDF-SHA512(salt="", ikm=export_key, info="invite-auth sealing key v1", L=32)
  pk  = X25519(sk, base)                          -> sent as sealing_public_key
  server: ephemeral (e, E); shared = X25519(e, pk), all-zero is an error
  key = HKDF-SHA512(salt="", ikm=shared,
                    info="invite-auth sealed bundle v1" || E || pk || UTF-8(account), L=32)
  ciphertext = AES-256-GCM(key, nonce (12 random bytes), JSON payload, aad=UTF-8(account))
Only standard primitives, so a WebCrypto client can open it too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALING_KEY_INFO = b"invite-auth sealing key v1"
SEALED_BUNDLE_INFO = b"invite-auth sealed bundle v1"
KEY_LEN = 32
NONCE_LEN = 12


class SealingError(Exception):
    """A sealing key is unusable or a sealed bundle does not open."""


@dataclass(frozen=True)
class SealedBundle:
    ephemeral_public_key: bytes
    nonce: bytes
    ciphertext: bytes


def _hkdf(ikm: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA512(), length=KEY_LEN, salt=b"", info=info).derive(ikm)


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def derive_sealing_key(export_key: bytes) -> X25519PrivateKey:
    """The client's X25519 sealing key, re-derivable from the OPAQUE export_key at any login."""
    return X25519PrivateKey.from_private_bytes(_hkdf(export_key, SEALING_KEY_INFO))


def sealing_public_key(export_key: bytes) -> bytes:
    return _raw(derive_sealing_key(export_key).public_key())


def _bundle_key(shared: bytes, ephemeral: bytes, recipient: bytes, account: str) -> bytes:
    if shared == bytes(len(shared)):
        raise SealingError("the shared secret is all zero: low-order sealing key")
    return _hkdf(shared, SEALED_BUNDLE_INFO + ephemeral + recipient + account.encode())


def _exchange(private_key: X25519PrivateKey, public: bytes) -> bytes:
    if len(public) != KEY_LEN:
        raise SealingError(f"an X25519 public key has {KEY_LEN} bytes")
    try:
        return private_key.exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError as exc:  # cryptography refuses low-order points itself
        raise SealingError("the sealing public key is a low-order point") from exc


def seal_bundle(recipient_public_key: bytes, account: str, payload: dict[str, Any]) -> SealedBundle:
    """Server side: encrypt a JSON object to the client's sealing public key."""
    return seal_bundle_with(
        X25519PrivateKey.generate(), os.urandom(NONCE_LEN), recipient_public_key, account, payload
    )


def seal_bundle_with(
    ephemeral: X25519PrivateKey,
    nonce: bytes,
    recipient_public_key: bytes,
    account: str,
    payload: dict[str, Any],
) -> SealedBundle:
    """`seal_bundle` with a chosen ephemeral key and nonce, so test vectors can be made that
    other implementations (the browser client) check. Never reuse either for real: a
    repeated nonce under one key breaks AES-GCM."""
    if len(nonce) != NONCE_LEN:
        raise SealingError(f"the nonce has {NONCE_LEN} bytes")
    ephemeral_public = _raw(ephemeral.public_key())
    shared = _exchange(ephemeral, recipient_public_key)
    key = _bundle_key(shared, ephemeral_public, recipient_public_key, account)
    plaintext = json.dumps(payload, separators=(",", ":")).encode()
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, account.encode())
    return SealedBundle(ephemeral_public, nonce, ciphertext)


def open_bundle(export_key: bytes, account: str, bundle: SealedBundle) -> dict[str, Any]:
    """Client side: open a bundle sealed to the key derived from this export_key."""
    private_key = derive_sealing_key(export_key)
    recipient = _raw(private_key.public_key())
    shared = _exchange(private_key, bundle.ephemeral_public_key)
    key = _bundle_key(shared, bundle.ephemeral_public_key, recipient, account)
    if len(bundle.nonce) != NONCE_LEN:
        raise SealingError(f"the nonce has {NONCE_LEN} bytes")
    try:
        plaintext = AESGCM(key).decrypt(bundle.nonce, bundle.ciphertext, account.encode())
    except InvalidTag as exc:
        raise SealingError("the sealed bundle does not open with this key") from exc
    payload = json.loads(plaintext)
    if not isinstance(payload, dict):
        raise SealingError("the sealed bundle does not hold a JSON object")
    return payload
