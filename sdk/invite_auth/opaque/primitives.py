"""Symmetric building blocks: SHA-512, HKDF-SHA512, HMAC-SHA512, Expand-Label
(RFC 9807 §2.2, §6.4.2.1) and small byte helpers."""

from __future__ import annotations

import hashlib
import hmac

from .constants import Nh, Nx
from .errors import InvalidInputError

__all__ = [
    "ct_equal",
    "derive_secret",
    "expand",
    "expand_label",
    "extract",
    "hash_sha512",
    "i2osp",
    "mac",
    "xor",
]

_HASH = "sha512"


def i2osp(value: int, length: int) -> bytes:
    """Big-endian encoding of a non-negative integer in exactly `length` bytes."""
    if value < 0 or value >= 1 << (8 * length):
        raise InvalidInputError(f"{value} does not fit in {length} byte(s)")
    return value.to_bytes(length, "big")


def hash_sha512(msg: bytes) -> bytes:
    """Hash(msg): SHA-512, Nh bytes."""
    return hashlib.sha512(msg).digest()


def extract(salt: bytes, ikm: bytes) -> bytes:
    """HKDF-Extract (RFC 5869 §2.2) with SHA-512.

    An empty salt is the same as Nh zero bytes: HMAC pads its key with zeros."""
    return hmac.digest(salt, ikm, _HASH)


def expand(prk: bytes, info: bytes, length: int) -> bytes:
    """HKDF-Expand (RFC 5869 §2.3) with SHA-512."""
    if not 0 < length <= 255 * Nh:
        raise InvalidInputError(f"HKDF-Expand length {length} out of range")
    okm = b""
    block = b""
    counter = 1
    while len(okm) < length:
        block = hmac.digest(prk, block + info + bytes([counter]), _HASH)
        okm += block
        counter += 1
    return okm[:length]


def mac(key: bytes, msg: bytes) -> bytes:
    """MAC(key, msg): HMAC-SHA512, Nm bytes."""
    return hmac.digest(key, msg, _HASH)


def ct_equal(a: bytes, b: bytes) -> bool:
    """Constant-time equality for MAC tags."""
    return hmac.compare_digest(a, b)


def xor(a: bytes, b: bytes) -> bytes:
    """Byte-wise XOR of two equal-length strings."""
    if len(a) != len(b):
        raise InvalidInputError("xor operands differ in length")
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def expand_label(secret: bytes, label: bytes, context: bytes, length: int) -> bytes:
    """Expand-Label (RFC 9807 §6.4.2.1), TLS 1.3 style with the "OPAQUE-" prefix.

    CustomLabel = uint16 length || opaque label<8..255> || opaque context<0..255>."""
    full_label = b"OPAQUE-" + label
    if not 8 <= len(full_label) <= 255 or len(context) > 255:
        raise InvalidInputError("Expand-Label label or context too long")
    custom_label = (
        i2osp(length, 2) + i2osp(len(full_label), 1) + full_label + i2osp(len(context), 1) + context
    )
    return expand(secret, custom_label, length)


def derive_secret(secret: bytes, label: bytes, transcript_hash: bytes) -> bytes:
    """Derive-Secret(Secret, Label, Transcript-Hash) = Expand-Label(..., Nx)."""
    return expand_label(secret, label, transcript_hash, Nx)
