"""Injectable randomness, so tests can replay the RFC's "random" values."""

from __future__ import annotations

import os
from typing import Protocol

import pysodium

from .errors import InvalidInputError

__all__ = ["RandomSource", "SystemRandomSource", "default_random_source", "draw_bytes"]


class RandomSource(Protocol):
    """Where every random value of the protocol comes from."""

    def random_bytes(self, n: int) -> bytes:
        """Return `n` uniformly random bytes (nonces, seeds)."""
        ...

    def random_scalar(self) -> bytes:
        """Return a serialized, uniformly random, non-zero ristretto255 scalar
        (RFC 9497 RandomScalar, used for OPRF blinds and server keys)."""
        ...


class SystemRandomSource:
    """The operating system's CSPRNG (os.urandom) and libsodium's scalar sampler."""

    def random_bytes(self, n: int) -> bytes:
        return os.urandom(n)

    def random_scalar(self) -> bytes:
        # libsodium samples uniformly in [1, L-1] by rejection.
        return bytes(pysodium.crypto_core_ristretto255_scalar_random())


_DEFAULT = SystemRandomSource()


def default_random_source(rng: RandomSource | None) -> RandomSource:
    """`rng` itself, or the system source when it is None."""
    return _DEFAULT if rng is None else rng


def draw_bytes(rng: RandomSource, n: int) -> bytes:
    """rng.random_bytes(n), checked, so a faulty source cannot shorten a nonce."""
    value = rng.random_bytes(n)
    if not isinstance(value, bytes) or len(value) != n:
        raise InvalidInputError(f"random source did not return {n} bytes")
    return value
