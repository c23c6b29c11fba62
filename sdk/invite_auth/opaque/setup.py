"""The server's long-term OPAQUE secrets (RFC 9807 §3.1 Setup)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from . import group
from .constants import BytesLike, Nh, Nsk
from .errors import MalformedMessageError
from .group import Element, Scalar
from .rng import RandomSource, default_random_source, draw_bytes

__all__ = ["ServerSetup"]


@dataclass(frozen=True, slots=True, repr=False)
class ServerSetup:
    """oprf_seed (Nh bytes, from which every per-credential OPRF key is
    derived) and the server's AKE key pair.

    Both must persist across restarts: losing or changing them invalidates
    every registration record. Encoding: oprf_seed[Nh] || server_private_key[Nsk];
    the public key is recomputed."""

    SIZE: ClassVar[int] = Nh + Nsk

    oprf_seed: bytes
    server_private_key: bytes
    _server_public_key: bytes = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.oprf_seed, bytes) or not isinstance(self.server_private_key, bytes):
            raise TypeError("ServerSetup fields must be bytes")
        if len(self.oprf_seed) != Nh:
            raise MalformedMessageError(f"oprf_seed must be {Nh} bytes")
        try:
            sk = group.deserialize_scalar(self.server_private_key)
        except MalformedMessageError as exc:
            raise MalformedMessageError(f"server_private_key: {exc}") from None
        object.__setattr__(self, "_server_public_key", group.scalar_mult_base(sk))

    def __repr__(self) -> str:
        return f"ServerSetup(server_public_key={self._server_public_key.hex()}, <secret>)"

    @classmethod
    def generate(cls, rng: RandomSource | None = None) -> ServerSetup:
        """A fresh setup: random oprf_seed, server key pair from RandomScalar()."""
        source = default_random_source(rng)
        oprf_seed = draw_bytes(source, Nh)
        return cls(oprf_seed=oprf_seed, server_private_key=group.random_scalar(source))

    @property
    def server_public_key(self) -> Element:
        return Element(self._server_public_key)

    @property
    def server_private_scalar(self) -> Scalar:
        """The private key as a validated Scalar (checked in __post_init__)."""
        return Scalar(self.server_private_key)

    def to_bytes(self) -> bytes:
        return self.oprf_seed + self.server_private_key

    @classmethod
    def from_bytes(cls, data: BytesLike) -> ServerSetup:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"expected bytes, got {type(data).__name__}")
        buf = bytes(data)
        if len(buf) != cls.SIZE:
            raise MalformedMessageError(f"ServerSetup must be {cls.SIZE} bytes, got {len(buf)}")
        return cls(oprf_seed=buf[:Nh], server_private_key=buf[Nh:])
