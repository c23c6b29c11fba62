"""Plain records kept in the store; JSON on disk, bytes as base64url."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Self, TypeVar

PrincipalKind = Literal["opaque", "password"]
# How the transaction that ends a login went: "gone" if another finish consumed it first.
LoginOutcome = Literal["ok", "gone", "locked", "replayed", "used"]


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_R = TypeVar("_R", bound="Record")


class Record:
    """Dataclass mixin: bytes fields travel as base64url strings inside JSON."""

    _bytes_fields: tuple[str, ...] = ()

    def to_json(self) -> bytes:
        data = dataclasses.asdict(self)  # type: ignore[call-overload]
        for name in self._bytes_fields:
            if data[name] is not None:
                data[name] = b64e(data[name])
        return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Self:
        data: dict[str, Any] = json.loads(raw)
        for name in cls._bytes_fields:
            if data.get(name) is not None:
                data[name] = b64d(data[name])
        return cls(**data)


@dataclass
class Principal(Record):
    """An account (seed 000, OPAQUE + TOTP) or a login (seed 003, password): one namespace."""

    id: str
    name: str
    kind: PrincipalKind
    created_at: float
    privileged: bool = False
    domain: str | None = None
    claims: dict[str, Any] = field(default_factory=dict)
    invited_by: str | None = None
    # OPAQUE registration record ("password file"), RFC 9807 §5.1.1.2
    opaque_record: bytes | None = None
    totp_secret: str | None = None
    # RFC 6238 time step of the last accepted code: a code is accepted at most once
    totp_last_step: int = 0
    password_hash: str | None = None

    _bytes_fields = ("opaque_record",)


@dataclass
class InviteToken(Record):
    """What invite_db keeps per unused invite token: the id that prevents replay."""

    jti: str
    expires_at: float
    issued_at: float
    issued_by: str | None = None


@dataclass
class PendingRegistration(Record):
    """state_db: the invite claims and the OPAQUE setup between start and finish."""

    id: str
    jti: str
    principal_id: str
    account: str
    domain: str | None
    privileged: bool
    claims: dict[str, Any]
    invite_expires_at: float
    expires_at: float
    issued_by: str | None
    registration_response: bytes
    server_public_key: bytes

    _bytes_fields = ("registration_response", "server_public_key")


@dataclass
class PendingLogin(Record):
    """state_db: the OPAQUE server login state between login start and finish."""

    id: str
    principal_id: str | None
    account: str
    server_state: bytes
    expires_at: float
    # When the attempt was counted against the failure limits (forgiven on a valid KE3).
    started_at: float = 0.0

    _bytes_fields = ("server_state",)


@dataclass
class RecoveryCodes(Record):
    """recovery_db: Argon2id hashes of the recovery codes; a used one is set to None."""

    hashes: list[str | None]


@dataclass
class Invitation(Record):
    """Seed 003 invitation; accepted at most once, expires a fixed time after issued_at."""

    id: str
    issuer: str
    issued_at: float
    accepted_by: str | None = None
    accepted_at: float | None = None


@dataclass
class Session(Record):
    principal_id: str
    created_at: float
    last_seen: float
    expires_at: float


@dataclass
class AuditEvent(Record):
    at: float
    event: str
    principal_id: str | None = None
    name: str | None = None
    client: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Attempt:
    """An attempt under failure limits, judged in the write that records its outcome.

    Refused if any key already holds its limit of failures newer than `since`; otherwise
    a failure is counted at `now` where the outcome calls for one. Deciding inside that
    write is what keeps a burst of concurrent attempts (or workers) within the limit."""

    limits: Sequence[tuple[str, int]]
    now: float
    since: float

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.limits]

    @property
    def keep(self) -> int:
        """How many timestamps a counter must keep to tell whether any limit is reached."""
        return max(limit for _, limit in self.limits)


@dataclass(frozen=True)
class NewSession:
    """A session to store under the hash of its token (the token itself is never kept)."""

    token_hash: bytes
    session: Session


@dataclass(frozen=True)
class LoginSuccess:
    """Everything a successful login writes, in the transaction that consumes its state."""

    principal_id: str
    totp_step: int | None
    recovery_index: int | None
    # The failure counted when the login started, taken back now the password is proven.
    forgive_keys: Sequence[str]
    forgive_at: float
    # The second factor's own limits: checked here, and counted if the factor was spent.
    mfa: Attempt
    session: NewSession
