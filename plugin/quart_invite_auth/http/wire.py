"""Wire formats shared by the request and response models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BeforeValidator

from ..encoding import b64url_decode, b64url_encode

__all__ = ["b64url_encode", "timestamp"]


def _exactly(length: int) -> BeforeValidator:
    def decode(value: object) -> bytes:
        if not isinstance(value, str):
            raise ValueError("must be a base64url string")
        if len(value) > (length * 4 + 2) // 3:
            raise ValueError(f"must encode exactly {length} bytes")
        raw = b64url_decode(value)  # an EncodingError is a ValueError: a field error
        if len(raw) != length:
            raise ValueError(f"must encode exactly {length} bytes")
        return raw

    return BeforeValidator(decode)


# RFC 9807 message sizes for ristretto255/SHA-512 (Noe=Npk=32, Nn=32, Nh=Nm=64).
RegistrationRequestBytes = Annotated[bytes, _exactly(32)]
RegistrationRecordBytes = Annotated[bytes, _exactly(192)]
KE1Bytes = Annotated[bytes, _exactly(96)]
KE3Bytes = Annotated[bytes, _exactly(64)]
X25519PublicKeyBytes = Annotated[bytes, _exactly(32)]


def timestamp(at: float) -> str:
    """RFC 3339 in UTC with microseconds, as in the seed's examples."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
