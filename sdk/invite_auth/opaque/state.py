"""Protocol states kept between two messages (RFC 9807 §6, ClientState,
ClientAkeState, ServerAkeState), serializable so an HTTP server or a client
can park them between requests.

They hold secrets: keep the serialized forms confidential and short-lived,
and use each state once. reprs do not show the secrets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import group
from .constants import MAX_PREFIXED_LEN, BytesLike, Nm, Nx
from .errors import InvalidInputError, MalformedMessageError
from .group import SCALAR_SIZE, Scalar
from .messages import KE1

__all__ = ["ClientLoginState", "ClientRegistrationState", "ServerLoginState", "check_password"]


def _as_bytes(data: object) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    return bytes(data)


def check_password(password: object) -> bytes:
    if not isinstance(password, bytes):
        raise TypeError(f"password must be bytes, got {type(password).__name__}")
    # RFC 9497 §5.1: the OPRF input is length-prefixed with two bytes.
    if len(password) > MAX_PREFIXED_LEN:
        raise InvalidInputError(f"password must be at most {MAX_PREFIXED_LEN} bytes")
    return password


def _check_scalar(what: str, value: object) -> Scalar:
    if not isinstance(value, bytes):
        raise TypeError(f"{what} must be bytes, got {type(value).__name__}")
    try:
        return group.deserialize_scalar(value)
    except MalformedMessageError as exc:
        raise MalformedMessageError(f"{what}: {exc}") from None


@dataclass(frozen=True, slots=True, repr=False)
class ClientRegistrationState:
    """What the client keeps between RegistrationRequest and RegistrationResponse.

    Encoding: blind[32] || password."""

    password: bytes
    blind: bytes

    def __post_init__(self) -> None:
        check_password(self.password)
        _check_scalar("ClientRegistrationState.blind", self.blind)

    def __repr__(self) -> str:
        return "ClientRegistrationState(<secret>)"

    def to_bytes(self) -> bytes:
        return self.blind + self.password

    @classmethod
    def from_bytes(cls, data: BytesLike) -> ClientRegistrationState:
        buf = _as_bytes(data)
        if not SCALAR_SIZE <= len(buf) <= SCALAR_SIZE + MAX_PREFIXED_LEN:
            raise MalformedMessageError("ClientRegistrationState has a bad length")
        return cls(password=buf[SCALAR_SIZE:], blind=buf[:SCALAR_SIZE])


@dataclass(frozen=True, slots=True, repr=False)
class ClientLoginState:
    """What the client keeps between KE1 and KE2: the password and OPRF blind
    (ClientState) and the ephemeral secret and KE1 (ClientAkeState).

    Encoding: blind[32] || client_secret[32] || ke1[96] || password."""

    HEADER: ClassVar[int] = 2 * SCALAR_SIZE + KE1.SIZE

    password: bytes
    blind: bytes
    client_secret: bytes
    ke1: KE1

    def __post_init__(self) -> None:
        check_password(self.password)
        _check_scalar("ClientLoginState.blind", self.blind)
        _check_scalar("ClientLoginState.client_secret", self.client_secret)
        if not isinstance(self.ke1, KE1):
            raise TypeError("ClientLoginState.ke1 must be a KE1")

    def __repr__(self) -> str:
        return "ClientLoginState(<secret>)"

    def to_bytes(self) -> bytes:
        return self.blind + self.client_secret + self.ke1.to_bytes() + self.password

    @classmethod
    def from_bytes(cls, data: BytesLike) -> ClientLoginState:
        buf = _as_bytes(data)
        if not cls.HEADER <= len(buf) <= cls.HEADER + MAX_PREFIXED_LEN:
            raise MalformedMessageError("ClientLoginState has a bad length")
        return cls(
            blind=buf[:SCALAR_SIZE],
            client_secret=buf[SCALAR_SIZE : 2 * SCALAR_SIZE],
            ke1=KE1.from_bytes(buf[2 * SCALAR_SIZE : cls.HEADER]),
            password=buf[cls.HEADER :],
        )


@dataclass(frozen=True, slots=True, repr=False)
class ServerLoginState:
    """ServerAkeState: what the server keeps between KE2 and KE3.

    Encoding: expected_client_mac[Nm] || session_key[Nx]."""

    SIZE: ClassVar[int] = Nm + Nx

    expected_client_mac: bytes
    session_key: bytes

    def __post_init__(self) -> None:
        for what, value, size in (
            ("expected_client_mac", self.expected_client_mac, Nm),
            ("session_key", self.session_key, Nx),
        ):
            if not isinstance(value, bytes):
                raise TypeError(f"ServerLoginState.{what} must be bytes")
            if len(value) != size:
                raise MalformedMessageError(f"ServerLoginState.{what} must be {size} bytes")

    def __repr__(self) -> str:
        return "ServerLoginState(<secret>)"

    def to_bytes(self) -> bytes:
        return self.expected_client_mac + self.session_key

    @classmethod
    def from_bytes(cls, data: BytesLike) -> ServerLoginState:
        buf = _as_bytes(data)
        if len(buf) != cls.SIZE:
            raise MalformedMessageError(f"ServerLoginState must be {cls.SIZE} bytes")
        return cls(expected_client_mac=buf[:Nm], session_key=buf[Nm:])
