"""Plain records kept in the store; JSON on disk, bytes as base64url."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
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
        # A shallow copy: records hold only JSON values (no nested dataclasses), and
        # dataclasses.asdict's deep copy cost tens of microseconds on every login.
        data = dict(vars(self))
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
    # X25519 key the client derived from its export_key (OPAQUE accounts): what new MFA
    # secrets are sealed to later. Replaced at a password change.
    sealing_public_key: bytes | None = None
    # A disabled principal cannot log in and has no live session (administration).
    disabled: bool = False

    _bytes_fields = ("opaque_record", "sealing_public_key")


@dataclass
class InviteToken(Record):
    """What invite_db keeps per unused invite token: the id that prevents replay."""

    jti: str
    expires_at: float
    issued_at: float
    issued_by: str | None = None
    # What the token is for, so administration can list the outstanding tokens without
    # the tokens themselves (records written before these fields list them as None).
    domain: str | None = None
    account: str | None = None
    privileged: bool | None = None
    # Set when a privileged account revokes the token: kept (not deleted) until it
    # expires, so a registration start with it is told `invite_revoked`, not `invite_used`.
    revoked_at: float | None = None


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
    # When the attempt was counted against the failure limits, and on which counters
    # (taken back on a valid KE3); whether a device token vouched for it.
    started_at: float = 0.0
    counted: list[str] = field(default_factory=list)
    trusted: bool = False

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
class IssuedInvitations(Record):
    """invitation_db, per issuer: the invitations still outstanding, for the quota.

    Each entry is [issued_at, ref] (ref: a short hash of the invitation's key); accepting
    an invitation removes its entry, expiry drops it."""

    outstanding: list[list[Any]] = field(default_factory=list)


@dataclass
class RecoveryInvite(Record):
    """state_db: an MFA recovery invite (administration resets an account's MFA): single
    use, expiring, bound to one principal. It only lets the owner enrol new MFA secrets
    after proving the password by OPAQUE; kept under a hash of the token."""

    principal_id: str
    issued_at: float
    expires_at: float
    issued_by: str | None = None


@dataclass
class PendingProof(Record):
    """state_db: an OPAQUE login run again inside another operation, between its start
    and its finish: a fresh proof of the password for a change to the account (bound to
    the session that asked for it), or the proof of an MFA recovery (bound to the
    recovery invite). Counted against the failure limits like a login."""

    id: str
    principal_id: str
    account: str
    server_state: bytes
    expires_at: float
    started_at: float
    # The counters that hold the failure counted at the start (taken back on a valid KE3).
    counted: list[str] = field(default_factory=list)
    trusted: bool = False
    # Fresh proof: the hash of the token of the session it belongs to.
    session: bytes | None = None
    # MFA recovery: the state_db key of the recovery invite it uses.
    invite: bytes | None = None

    _bytes_fields = ("server_state", "session", "invite")


@dataclass
class PendingTotp(Record):
    """state_db: a new TOTP secret waiting for a code made with it (re-enrolment); the
    old secret stays in force until then."""

    principal_id: str
    totp_secret: str
    expires_at: float


@dataclass
class Session(Record):
    principal_id: str
    created_at: float
    last_seen: float
    expires_at: float
    # Where the session was opened from, for its owner to recognise it in a list.
    client: str | None = None
    user_agent: str | None = None


@dataclass
class AuditEvent(Record):
    at: float
    event: str
    principal_id: str | None = None
    name: str | None = None
    client: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)  # made on every login: slots, not frozen (cheaper)
class Limit:
    """A failure counter and what it allows over the window.

    `most` failures refuse every further attempt until the oldest leaves the window. With
    `free` set, delays grow before that: once the counter holds n >= free failures, the
    next attempt must come `min(2 ** (n - free), max_delay)` seconds after the latest one
    (1 s, 2 s, 4 s, ... up to the cap), so a guesser is slowed, not the owner locked out
    for an hour."""

    key: str
    most: int
    free: int | None = None
    max_delay: float = 0.0

    def wait(self, times: Sequence[float], now: float, window: float) -> float:
        """Seconds until this counter admits an attempt (0: now)."""
        since = now - window
        recent = [t for t in times if t > since]
        count = len(recent)
        if count < self.most and (self.free is None or count < self.free):
            return 0.0  # the common case, on every login: no sorting
        recent.sort()  # written in time order by each worker, but workers interleave
        wait = 0.0
        if count >= self.most:
            # the oldest failure that keeps the count at the limit must leave the window
            wait = recent[count - self.most] + window - now
        if self.free is not None and count >= self.free:
            delay = min(2.0 ** min(count - self.free, 64), self.max_delay)
            wait = max(wait, recent[-1] + delay - now)
        return max(0.0, wait)


@dataclass(slots=True)  # made on every login: slots, not frozen (cheaper)
class Verdict:
    """How the limits judged one attempt."""

    admitted: bool
    # The counters that hold this attempt's failure, if it fails (or was counted).
    keys: tuple[str, ...] = ()
    # Seconds until an attempt like this one would be admitted (when refused).
    retry_after: float = 0.0
    # Judged by its device's counter: the untrusted counters were left alone.
    trusted: bool = False


@dataclass(slots=True)  # made on every login: slots, not frozen (cheaper)
class Attempt:
    """An attempt under failure limits, judged in the write that records its outcome.

    With a valid device token (`device`), the attempt is judged by its device's own
    counter alone, and a failure counts there alone: untrusted failures never refuse a
    device that has logged in before. Once that device has failed too often itself it is
    judged like any other client, by the untrusted `limits`. Deciding inside the write
    that records the outcome is what keeps a burst of concurrent attempts (or workers)
    within the limits."""

    limits: Sequence[Limit]
    now: float
    window: float
    device: Sequence[Limit] = ()

    @property
    def since(self) -> float:
        return self.now - self.window

    @property
    def keys(self) -> list[str]:
        return [limit.key for limit in (*self.device, *self.limits)]

    def keep(self, key: str) -> int:
        """How many timestamps `key`'s counter must keep to judge every limit on it."""
        most = 0
        for limit in (*self.device, *self.limits):
            if limit.key == key and limit.most > most:
                most = limit.most
        return most

    def judge(self, failures: Mapping[str, Sequence[float]]) -> Verdict:
        def wait(limits: Sequence[Limit]) -> float:
            longest = 0.0
            for limit in limits:
                longest = max(
                    longest, limit.wait(failures.get(limit.key, ()), self.now, self.window)
                )
            return longest

        if self.device and wait(self.device) <= 0:
            return Verdict(True, tuple(limit.key for limit in self.device), trusted=True)
        retry_after = wait(self.limits)
        return Verdict(retry_after <= 0, tuple(limit.key for limit in self.limits), retry_after)


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


@dataclass(frozen=True)
class AccountFacts:
    """What administration shows of an account: never a secret (no OPAQUE record, TOTP
    secret, password hash or sealing key). Made by the store, not stored."""

    principal: Principal
    # Unused recovery codes (OPAQUE accounts); None for password logins.
    recovery_codes_remaining: int | None
    # Sessions neither expired nor idle past the idle lifetime.
    live_sessions: int
    # The name of the account that invited it, if it still exists.
    invited_by_name: str | None


@dataclass(frozen=True)
class ProofSuccess:
    """A fresh proof whose password and second factor checked out: what the write that
    uses it must still find true (its state, bound to this principal and session) and
    spend (the second factor), in the same transaction as the change it allows."""

    principal_id: str
    session: bytes
    totp_step: int | None
    recovery_index: int | None
    # The failure counted when the proof started, taken back now the password is proven.
    forgive_keys: Sequence[str]
    forgive_at: float
    # The second factor's own limits: checked here, and counted if the factor was spent.
    mfa: Attempt
