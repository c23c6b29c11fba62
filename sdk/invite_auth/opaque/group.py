"""The ristretto255 prime-order group (RFC 9497 §4.1) on top of libsodium.

Elements and scalars are kept in their 32-byte serialized forms, which is what
libsodium operates on; the NewTypes only mark bytes that were validated."""

from __future__ import annotations

import hmac
from typing import NewType

import pysodium

from .errors import InvalidInputError, MalformedMessageError
from .rng import RandomSource

__all__ = [
    "ELEMENT_SIZE",
    "SCALAR_SIZE",
    "Element",
    "Scalar",
    "deserialize_element",
    "deserialize_scalar",
    "element_from_uniform_bytes",
    "is_identity",
    "random_scalar",
    "scalar_from_wide_bytes",
    "scalar_inverse",
    "scalar_mult",
    "scalar_mult_base",
]

ELEMENT_SIZE = 32  # Ne
SCALAR_SIZE = 32  # Ns

Element = NewType("Element", bytes)
"""A canonical encoding of a ristretto255 element other than the identity."""

Scalar = NewType("Scalar", bytes)
"""A canonical (< group order) little-endian encoding of a non-zero scalar."""

_IDENTITY = bytes(ELEMENT_SIZE)  # the identity's encoding is all zeros
_ZERO_SCALAR = bytes(SCALAR_SIZE)


def deserialize_element(buf: bytes) -> Element:
    """DeserializeElement: ristretto255 Decode, rejecting the identity.

    libsodium's is_valid_point accepts the identity, so that is checked here."""
    if len(buf) != ELEMENT_SIZE:
        raise MalformedMessageError(f"group element must be {ELEMENT_SIZE} bytes")
    if buf[31] & 0x80:
        # RFC 9496 Decode rejects s >= 2^255 as non-canonical, but libsodium
        # 1.0.18's check ignores the top bit (fixed in later releases), so
        # without this an element would have two accepted encodings.
        raise MalformedMessageError("invalid ristretto255 encoding (top bit set)")
    if is_identity(buf):
        raise MalformedMessageError("group element is the identity")
    if not pysodium.crypto_core_ristretto255_is_valid_point(buf):
        raise MalformedMessageError("invalid ristretto255 encoding")
    return Element(bytes(buf))


def is_identity(buf: bytes) -> bool:
    """Whether an encoding is the identity element's (all zeros), in constant time."""
    return hmac.compare_digest(buf, _IDENTITY)


def _is_zero_scalar(s: bytes) -> bool:
    return hmac.compare_digest(s, _ZERO_SCALAR)


def deserialize_scalar(buf: bytes) -> Scalar:
    """DeserializeScalar, also rejecting zero (no protocol scalar may be zero)."""
    if len(buf) != SCALAR_SIZE:
        raise MalformedMessageError(f"scalar must be {SCALAR_SIZE} bytes")
    # buf < L exactly when reducing it (zero-extended to 64 bytes) changes nothing;
    # this keeps the check inside libsodium and free of secret-dependent branches.
    reduced = pysodium.crypto_core_ristretto255_scalar_reduce(bytes(buf) + _ZERO_SCALAR)
    if not hmac.compare_digest(reduced, buf):
        raise MalformedMessageError("scalar is not canonical")
    if _is_zero_scalar(buf):
        raise MalformedMessageError("scalar is zero")
    return Scalar(bytes(buf))


def scalar_from_wide_bytes(uniform_bytes: bytes) -> bytes:
    """Reduce a 64-byte little-endian integer modulo the group order.

    The result may be zero, so it is not yet a Scalar; see RFC 9497 DeriveKeyPair."""
    if len(uniform_bytes) != 64:
        raise InvalidInputError("scalar reduction takes exactly 64 bytes")
    return bytes(pysodium.crypto_core_ristretto255_scalar_reduce(uniform_bytes))


def element_from_uniform_bytes(uniform_bytes: bytes) -> bytes:
    """hash_to_ristretto255's map: 64 uniform bytes to an element (may be the identity)."""
    if len(uniform_bytes) != 64:
        raise InvalidInputError("ristretto255 from_hash takes exactly 64 bytes")
    return bytes(pysodium.crypto_core_ristretto255_from_hash(uniform_bytes))


def random_scalar(rng: RandomSource) -> Scalar:
    """RandomScalar() drawn from `rng`, validated so a faulty source cannot
    inject zero or out-of-range scalars."""
    try:
        return deserialize_scalar(rng.random_scalar())
    except MalformedMessageError as exc:
        raise InvalidInputError(f"random source returned a bad scalar: {exc}") from None


def scalar_inverse(s: Scalar) -> Scalar:
    """ScalarInverse(s) modulo the group order."""
    try:
        return Scalar(bytes(pysodium.crypto_core_ristretto255_scalar_invert(s)))
    except ValueError:  # pysodium raises an empty ValueError for s == 0
        raise MalformedMessageError("cannot invert a zero scalar") from None


def scalar_mult(k: Scalar, element: Element) -> Element:
    """k * element, rejecting an identity result (impossible for validated
    inputs in a prime-order group, but libsodium reports it, so map it)."""
    try:
        return Element(bytes(pysodium.crypto_scalarmult_ristretto255(k, element)))
    except ValueError:
        raise MalformedMessageError("scalar multiplication gave the identity") from None


def scalar_mult_base(k: Scalar) -> Element:
    """ScalarMultGen(k) = k * generator."""
    try:
        return Element(bytes(pysodium.crypto_scalarmult_ristretto255_base(k)))
    except ValueError:
        raise MalformedMessageError("scalar multiplication gave the identity") from None
