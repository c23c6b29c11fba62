"""Wire formats shared by the request and response models."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BeforeValidator

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    """Strict base64url without padding: anything else is a client error."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("must be base64url without padding")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("must be base64url without padding") from exc
    if b64url_encode(raw) != text:
        raise ValueError("is not canonical base64url")
    return raw


def _exactly(length: int) -> BeforeValidator:
    def decode(value: object) -> bytes:
        if not isinstance(value, str):
            raise ValueError("must be a base64url string")
        if len(value) > (length * 4 + 2) // 3:
            raise ValueError(f"must encode exactly {length} bytes")
        raw = _b64url_decode(value)
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
