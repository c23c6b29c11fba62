"""What the high-level client returns: plain frozen dataclasses, independent of the wire."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Account:
    """An account (accounts surface) or a login (invitations surface)."""

    id: str
    name: str
    kind: str
    domain: str | None
    privileged: bool
    created_at: datetime.datetime
    # From `me()`: unused recovery codes of an OPAQUE account; None for a password login
    # (and where the server does not say, e.g. in a registration's result).
    recovery_codes_remaining: int | None = None


@dataclass(frozen=True)
class Registration:
    """The opened MFA bundle of a new account: show it once, then forget it."""

    account: Account
    # Secrets: kept out of repr() so they do not end up in logs by accident.
    totp_secret: str = field(repr=False)
    otpauth_uri: str = field(repr=False)
    recovery_codes: list[str] = field(repr=False)
    # The OPAQUE export key: the client's own secret, e.g. to re-derive the sealing key.
    export_key: bytes = field(repr=False)


@dataclass(frozen=True)
class Session:
    """A logged-in session; `token` is the bearer token (and the identity cookie's value)."""

    token: str = field(repr=False)
    expires_at: datetime.datetime | None
    account_id: str
    name: str
    # The device token the server gave this login: send it with the next login for the
    # same name, so failures by others cannot lock this client out (see the README).
    device_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SiteInvite:
    invite_token: str = field(repr=False)
    domain: str
    account: str
    expires_at: datetime.datetime


@dataclass(frozen=True)
class Invitation:
    """An invitation as created (seed 003): `issuer` is the creator's login id."""

    id: str
    issuer: str
    issued_at: datetime.datetime


@dataclass(frozen=True)
class InvitationDetails:
    """An invitation as shown to the invitee, with the issuer's name."""

    id: str
    issuer_id: str
    issuer_name: str
    issued_at: datetime.datetime


@dataclass(frozen=True)
class Login:
    """A login created by accepting an invitation or by initial setup."""

    id: str
    name: str


@dataclass(frozen=True)
class SessionInfo:
    """One of your sessions, as `sessions()` lists it; `id` is for `revoke_session`."""

    id: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime
    expires_at: datetime.datetime
    client: str | None
    user_agent: str | None
    current: bool


@dataclass(frozen=True)
class OutstandingInvitation:
    """An invitation you issued that is still outstanding. Only its `ref` (a short hash)
    is known to the server; `revoke_invitation` takes it, or the full id."""

    ref: str
    issued_at: datetime.datetime
    expires_at: datetime.datetime


@dataclass(frozen=True)
class PasswordChanged:
    """The account after a password change, and how many of its other sessions ended."""

    account: Account
    sessions_ended: int


@dataclass(frozen=True)
class TotpEnrollment:
    """A new TOTP secret, waiting for `confirm_totp_reenrollment` with a code made from it
    (the old secret works until then): show it once, then forget it."""

    totp_secret: str = field(repr=False)
    otpauth_uri: str = field(repr=False)
