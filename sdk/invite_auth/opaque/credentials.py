"""CleartextCredentials (RFC 9807 §4): what the envelope's tag binds together."""

from __future__ import annotations

from dataclasses import dataclass

from .constants import MAX_PREFIXED_LEN, Npk
from .errors import InvalidInputError
from .primitives import i2osp

__all__ = ["CleartextCredentials", "check_identity"]


def check_identity(name: str, identity: bytes | None) -> bytes | None:
    """Validate an optional identity: absent (None) or 1..2^16-1 bytes.

    The RFC's encoding is `uint8 identity<1..2^16-1>`, so an empty identity
    cannot be expressed; it is refused instead of silently meaning "absent"."""
    if identity is None:
        return None
    if not isinstance(identity, bytes):
        raise TypeError(f"{name} must be bytes or None, got {type(identity).__name__}")
    if not 1 <= len(identity) <= MAX_PREFIXED_LEN:
        raise InvalidInputError(f"{name} must be 1..{MAX_PREFIXED_LEN} bytes (or None)")
    return identity


@dataclass(frozen=True, slots=True)
class CleartextCredentials:
    """struct { server_public_key[Npk]; server_identity<1..2^16-1>;
    client_identity<1..2^16-1> } CleartextCredentials."""

    server_public_key: bytes
    server_identity: bytes
    client_identity: bytes

    def __post_init__(self) -> None:
        if len(self.server_public_key) != Npk:
            raise InvalidInputError(f"server_public_key must be {Npk} bytes")
        check_identity("server_identity", self.server_identity)
        check_identity("client_identity", self.client_identity)

    @classmethod
    def create(
        cls,
        server_public_key: bytes,
        client_public_key: bytes,
        server_identity: bytes | None = None,
        client_identity: bytes | None = None,
    ) -> CleartextCredentials:
        """CreateCleartextCredentials: an absent identity defaults to that
        party's public key."""
        server_id = check_identity("server_identity", server_identity)
        client_id = check_identity("client_identity", client_identity)
        return cls(
            server_public_key=server_public_key,
            server_identity=server_public_key if server_id is None else server_id,
            client_identity=client_public_key if client_id is None else client_id,
        )

    def serialize(self) -> bytes:
        """The struct's TLS-style encoding (two-byte length prefixes)."""
        return (
            self.server_public_key
            + i2osp(len(self.server_identity), 2)
            + self.server_identity
            + i2osp(len(self.client_identity), 2)
            + self.client_identity
        )
