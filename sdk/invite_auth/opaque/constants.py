"""Sizes of the OPAQUE-3DH ristretto255-SHA512 configuration (RFC 9807 §7)."""

from __future__ import annotations

from typing import Final, TypeAlias

__all__ = ["BytesLike", "Nh", "Nm", "Nn", "Noe", "Nok", "Npk", "Nseed", "Nsk", "Nx"]

# What from_bytes accepts; it copies to bytes first.
BytesLike: TypeAlias = bytes | bytearray | memoryview

Nn: Final = 32  # nonce
Nseed: Final = 32  # key-derivation seed
Noe: Final = 32  # serialized OPRF group element
Nok: Final = 32  # OPRF private key
Npk: Final = 32  # AKE public key
Nsk: Final = 32  # AKE private key
Nh: Final = 64  # SHA-512 output
Nm: Final = 64  # HMAC-SHA512 output
Nx: Final = 64  # HKDF-SHA512 Extract output

# Longest value that fits the two-byte length prefixes (I2OSP(len(x), 2)) used
# by RFC 9497 Finalize / DeriveKeyPair and by the RFC 9807 preamble.
MAX_PREFIXED_LEN: Final = 2**16 - 1
