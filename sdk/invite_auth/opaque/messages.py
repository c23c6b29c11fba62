"""Wire messages of RFC 9807 (§4.1.1 Envelope, §5.1 registration, §6.1 and
§6.3.1 login) as frozen dataclasses.

Every message validates itself when constructed (lengths, group elements), so
`from_bytes` only slices; a message object that exists is well formed. All
sizes are fixed, so an encoding is the plain concatenation of the fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import group
from .constants import BytesLike, Nh, Nm, Nn, Noe, Nok, Npk, Nseed, Nsk, Nx
from .errors import MalformedMessageError

__all__ = [
    "KE1",
    "KE2",
    "KE3",
    "AuthRequest",
    "AuthResponse",
    "CredentialRequest",
    "CredentialResponse",
    "Envelope",
    "Nh",
    "Nm",
    "Nn",
    "Noe",
    "Nok",
    "Npk",
    "Nseed",
    "Nsk",
    "Nx",
    "RegistrationRecord",
    "RegistrationRequest",
    "RegistrationResponse",
]


def _as_bytes(data: object) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    return bytes(data)


def _split(data: object, sizes: tuple[int, ...], what: str) -> list[bytes]:
    """Cut `data` into fields of the given sizes; the total must match exactly."""
    buf = _as_bytes(data)
    if len(buf) != sum(sizes):
        raise MalformedMessageError(f"{what} must be {sum(sizes)} bytes, got {len(buf)}")
    parts = []
    offset = 0
    for size in sizes:
        parts.append(buf[offset : offset + size])
        offset += size
    return parts


def _check_bytes(what: str, value: object, size: int) -> bytes:
    if not isinstance(value, bytes):
        raise TypeError(f"{what} must be bytes, got {type(value).__name__}")
    if len(value) != size:
        raise MalformedMessageError(f"{what} must be {size} bytes, got {len(value)}")
    return value


def _check_element(what: str, value: object) -> None:
    buf = _check_bytes(what, value, Noe)
    try:
        group.deserialize_element(buf)
    except MalformedMessageError as exc:
        raise MalformedMessageError(f"{what}: {exc}") from None


def _check_type(what: str, value: object, expected: type) -> None:
    if not isinstance(value, expected):
        raise TypeError(f"{what} must be {expected.__name__}, got {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class Envelope:
    """Envelope { envelope_nonce[Nn]; auth_tag[Nm] } (RFC 9807 §4.1.1)."""

    SIZE: ClassVar[int] = Nn + Nm

    envelope_nonce: bytes
    auth_tag: bytes

    def __post_init__(self) -> None:
        _check_bytes("Envelope.envelope_nonce", self.envelope_nonce, Nn)
        _check_bytes("Envelope.auth_tag", self.auth_tag, Nm)

    def to_bytes(self) -> bytes:
        return self.envelope_nonce + self.auth_tag

    @classmethod
    def from_bytes(cls, data: BytesLike) -> Envelope:
        nonce, tag = _split(data, (Nn, Nm), "Envelope")
        return cls(nonce, tag)


@dataclass(frozen=True, slots=True)
class RegistrationRequest:
    """RegistrationRequest { blinded_message[Noe] } (RFC 9807 §5.1)."""

    SIZE: ClassVar[int] = Noe

    blinded_message: bytes

    def __post_init__(self) -> None:
        _check_element("RegistrationRequest.blinded_message", self.blinded_message)

    def to_bytes(self) -> bytes:
        return self.blinded_message

    @classmethod
    def from_bytes(cls, data: BytesLike) -> RegistrationRequest:
        (blinded,) = _split(data, (Noe,), "RegistrationRequest")
        return cls(blinded)


@dataclass(frozen=True, slots=True)
class RegistrationResponse:
    """RegistrationResponse { evaluated_message[Noe]; server_public_key[Npk] }."""

    SIZE: ClassVar[int] = Noe + Npk

    evaluated_message: bytes
    server_public_key: bytes

    def __post_init__(self) -> None:
        _check_element("RegistrationResponse.evaluated_message", self.evaluated_message)
        # The client MUST validate the server's public key (RFC 9807 §10.7).
        _check_element("RegistrationResponse.server_public_key", self.server_public_key)

    def to_bytes(self) -> bytes:
        return self.evaluated_message + self.server_public_key

    @classmethod
    def from_bytes(cls, data: BytesLike) -> RegistrationResponse:
        evaluated, server_pk = _split(data, (Noe, Npk), "RegistrationResponse")
        return cls(evaluated, server_pk)


@dataclass(frozen=True, slots=True)
class RegistrationRecord:
    """RegistrationRecord { client_public_key[Npk]; masking_key[Nh]; Envelope }.

    The server stores this per credential_identifier. A fake record (RFC 9807
    §6.3.2.2) has the same shape with an all-zero envelope."""

    SIZE: ClassVar[int] = Npk + Nh + Envelope.SIZE

    client_public_key: bytes
    masking_key: bytes
    envelope: Envelope

    def __post_init__(self) -> None:
        _check_element("RegistrationRecord.client_public_key", self.client_public_key)
        _check_bytes("RegistrationRecord.masking_key", self.masking_key, Nh)
        _check_type("RegistrationRecord.envelope", self.envelope, Envelope)

    def to_bytes(self) -> bytes:
        return self.client_public_key + self.masking_key + self.envelope.to_bytes()

    @classmethod
    def from_bytes(cls, data: BytesLike) -> RegistrationRecord:
        client_pk, masking_key, envelope = _split(
            data, (Npk, Nh, Envelope.SIZE), "RegistrationRecord"
        )
        return cls(client_pk, masking_key, Envelope.from_bytes(envelope))


@dataclass(frozen=True, slots=True)
class CredentialRequest:
    """CredentialRequest { blinded_message[Noe] } (RFC 9807 §6.3.1)."""

    SIZE: ClassVar[int] = Noe

    blinded_message: bytes

    def __post_init__(self) -> None:
        _check_element("CredentialRequest.blinded_message", self.blinded_message)

    def to_bytes(self) -> bytes:
        return self.blinded_message

    @classmethod
    def from_bytes(cls, data: BytesLike) -> CredentialRequest:
        (blinded,) = _split(data, (Noe,), "CredentialRequest")
        return cls(blinded)


MASKED_RESPONSE_SIZE = Npk + Nn + Nm  # masked (server_public_key || envelope)


@dataclass(frozen=True, slots=True)
class CredentialResponse:
    """CredentialResponse { evaluated_message[Noe]; masking_nonce[Nn];
    masked_response[Npk + Nn + Nm] } (RFC 9807 §6.3.1)."""

    SIZE: ClassVar[int] = Noe + Nn + MASKED_RESPONSE_SIZE

    evaluated_message: bytes
    masking_nonce: bytes
    masked_response: bytes

    def __post_init__(self) -> None:
        _check_element("CredentialResponse.evaluated_message", self.evaluated_message)
        _check_bytes("CredentialResponse.masking_nonce", self.masking_nonce, Nn)
        _check_bytes(
            "CredentialResponse.masked_response", self.masked_response, MASKED_RESPONSE_SIZE
        )

    def to_bytes(self) -> bytes:
        return self.evaluated_message + self.masking_nonce + self.masked_response

    @classmethod
    def from_bytes(cls, data: BytesLike) -> CredentialResponse:
        evaluated, nonce, masked = _split(
            data, (Noe, Nn, MASKED_RESPONSE_SIZE), "CredentialResponse"
        )
        return cls(evaluated, nonce, masked)


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """AuthRequest { client_nonce[Nn]; client_public_keyshare[Npk] } (RFC 9807 §6.1)."""

    SIZE: ClassVar[int] = Nn + Npk

    client_nonce: bytes
    client_public_keyshare: bytes

    def __post_init__(self) -> None:
        _check_bytes("AuthRequest.client_nonce", self.client_nonce, Nn)
        _check_element("AuthRequest.client_public_keyshare", self.client_public_keyshare)

    def to_bytes(self) -> bytes:
        return self.client_nonce + self.client_public_keyshare

    @classmethod
    def from_bytes(cls, data: BytesLike) -> AuthRequest:
        nonce, keyshare = _split(data, (Nn, Npk), "AuthRequest")
        return cls(nonce, keyshare)


@dataclass(frozen=True, slots=True)
class AuthResponse:
    """AuthResponse { server_nonce[Nn]; server_public_keyshare[Npk]; server_mac[Nm] }."""

    SIZE: ClassVar[int] = Nn + Npk + Nm

    server_nonce: bytes
    server_public_keyshare: bytes
    server_mac: bytes

    def __post_init__(self) -> None:
        _check_bytes("AuthResponse.server_nonce", self.server_nonce, Nn)
        _check_element("AuthResponse.server_public_keyshare", self.server_public_keyshare)
        _check_bytes("AuthResponse.server_mac", self.server_mac, Nm)

    def to_bytes(self) -> bytes:
        return self.server_nonce + self.server_public_keyshare + self.server_mac

    @classmethod
    def from_bytes(cls, data: BytesLike) -> AuthResponse:
        nonce, keyshare, server_mac = _split(data, (Nn, Npk, Nm), "AuthResponse")
        return cls(nonce, keyshare, server_mac)


@dataclass(frozen=True, slots=True)
class KE1:
    """KE1 { CredentialRequest; AuthRequest } (RFC 9807 §6.1)."""

    SIZE: ClassVar[int] = CredentialRequest.SIZE + AuthRequest.SIZE

    credential_request: CredentialRequest
    auth_request: AuthRequest

    def __post_init__(self) -> None:
        _check_type("KE1.credential_request", self.credential_request, CredentialRequest)
        _check_type("KE1.auth_request", self.auth_request, AuthRequest)

    def to_bytes(self) -> bytes:
        return self.credential_request.to_bytes() + self.auth_request.to_bytes()

    @classmethod
    def from_bytes(cls, data: BytesLike) -> KE1:
        request, auth = _split(data, (CredentialRequest.SIZE, AuthRequest.SIZE), "KE1")
        return cls(CredentialRequest.from_bytes(request), AuthRequest.from_bytes(auth))


@dataclass(frozen=True, slots=True)
class KE2:
    """KE2 { CredentialResponse; AuthResponse } (RFC 9807 §6.1)."""

    SIZE: ClassVar[int] = CredentialResponse.SIZE + AuthResponse.SIZE

    credential_response: CredentialResponse
    auth_response: AuthResponse

    def __post_init__(self) -> None:
        _check_type("KE2.credential_response", self.credential_response, CredentialResponse)
        _check_type("KE2.auth_response", self.auth_response, AuthResponse)

    def to_bytes(self) -> bytes:
        return self.credential_response.to_bytes() + self.auth_response.to_bytes()

    @classmethod
    def from_bytes(cls, data: BytesLike) -> KE2:
        response, auth = _split(data, (CredentialResponse.SIZE, AuthResponse.SIZE), "KE2")
        return cls(CredentialResponse.from_bytes(response), AuthResponse.from_bytes(auth))


@dataclass(frozen=True, slots=True)
class KE3:
    """KE3 { client_mac[Nm] } (RFC 9807 §6.1)."""

    SIZE: ClassVar[int] = Nm

    client_mac: bytes

    def __post_init__(self) -> None:
        _check_bytes("KE3.client_mac", self.client_mac, Nm)

    def to_bytes(self) -> bytes:
        return self.client_mac

    @classmethod
    def from_bytes(cls, data: BytesLike) -> KE3:
        (client_mac,) = _split(data, (Nm,), "KE3")
        return cls(client_mac)
