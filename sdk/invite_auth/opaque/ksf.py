"""Key stretching functions (RFC 9807 §2.3): Stretch(msg).

OPAQUE leaves the KSF to the application; the one that interoperates with
@serenity-kit/opaque and opaque-ke is Argon2id over the OPRF output with a
fixed all-zero 16-byte salt and a 64-byte output. The salt can be fixed
because the OPRF output is already unique per user and server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

from argon2.low_level import Type, hash_secret_raw

from .constants import Nh
from .errors import InvalidInputError
from .primitives import extract

__all__ = ["KSF", "Argon2idKSF", "IdentityKSF", "derive_randomized_password"]

ARGON2_SALT: Final = bytes(16)


class KSF(Protocol):
    """A key stretching function."""

    def stretch(self, msg: bytes) -> bytes:
        """Return the stretched form of `msg`."""
        ...


@dataclass(frozen=True, slots=True)
class IdentityKSF:
    """Stretch(msg) = msg. Only for the RFC test vectors and fast tests:
    with it a stolen record can be attacked offline at full hash speed."""

    def stretch(self, msg: bytes) -> bytes:
        return bytes(msg)


@dataclass(frozen=True, slots=True)
class Argon2idKSF:
    """Argon2id (RFC 9106) with a zero salt, Nh-byte output.

    The defaults are serenity-kit's: t=3 passes, m=65536 KiB (64 MiB), p=4 lanes.
    The client chooses them; they must be the same at registration and login."""

    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 4

    def __post_init__(self) -> None:
        for name in ("time_cost", "memory_cost", "parallelism"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise InvalidInputError(f"Argon2id {name} must be a positive int")
        if self.parallelism > 0xFFFFFF:
            raise InvalidInputError("Argon2id parallelism must be below 2^24")
        if self.memory_cost < 8 * self.parallelism:
            # RFC 9106 §3.1: m must be at least 8 * p KiB.
            raise InvalidInputError("Argon2id memory_cost must be at least 8 * parallelism")
        if self.memory_cost > 2**32 - 1 or self.time_cost > 2**32 - 1:
            raise InvalidInputError("Argon2id parameters must fit in 32 bits")

    def stretch(self, msg: bytes) -> bytes:
        return hash_secret_raw(
            secret=bytes(msg),
            salt=ARGON2_SALT,
            time_cost=self.time_cost,
            memory_cost=self.memory_cost,
            parallelism=self.parallelism,
            hash_len=Nh,
            type=Type.ID,
        )


def derive_randomized_password(oprf_output: bytes, ksf: KSF) -> bytes:
    """randomized_password = Extract("", oprf_output || Stretch(oprf_output))
    (RFC 9807 §5.2.3, §6.3.2.3)."""
    return extract(b"", oprf_output + ksf.stretch(oprf_output))
