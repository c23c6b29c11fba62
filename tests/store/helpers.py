"""Records for the store contract suite, made directly (no HTTP, no OPAQUE)."""

from __future__ import annotations

import itertools
import os
import secrets
import uuid

import pyotp

from quart_invite_auth.store.core import Store
from quart_invite_auth.store.records import (
    Attempt,
    AuditEvent,
    Invitation,
    InviteToken,
    Limit,
    LoginSuccess,
    NewSession,
    PendingLogin,
    PendingRegistration,
    Principal,
    RecoveryCodes,
    Session,
)

NOW = 1_800_000_000.0
HOUR = 3600.0


def principal(
    name: str,
    *,
    kind: str = "opaque",
    domain: str | None = None,
    privileged: bool = False,
    principal_id: str | None = None,
) -> Principal:
    opaque = kind == "opaque"
    return Principal(
        id=principal_id or str(uuid.uuid4()),
        name=name,
        kind="opaque" if opaque else "password",
        created_at=NOW,
        privileged=privileged,
        domain=domain,
        opaque_record=os.urandom(192) if opaque else None,
        totp_secret=pyotp.random_base32() if opaque else None,
        password_hash=None if opaque else "$argon2id$v=19$m=1024,t=1,p=1$" + secrets.token_hex(16),
    )


def new_session(principal_id: str, now: float = NOW, ttl: float = HOUR) -> NewSession:
    return NewSession(os.urandom(32), Session(principal_id, now, now, now + ttl))


_ticks = itertools.count(1)


def event(name: str, at: float | None = None) -> AuditEvent:
    """An audit event; by default each one a millisecond after the last, so that the
    log's time order is the order they were made in."""
    when = NOW + next(_ticks) / 1000 if at is None else at
    return AuditEvent(at=when, event=name, detail={"marker": secrets.token_hex(4)})


def invite(jti: str | None = None, now: float = NOW, ttl: float = 24 * HOUR) -> InviteToken:
    return InviteToken(jti=jti or str(uuid.uuid4()), expires_at=now + ttl, issued_at=now)


def pending_registration(
    token: InviteToken,
    account: str,
    *,
    domain: str | None = None,
    now: float = NOW,
    ttl: float = 600.0,
) -> PendingRegistration:
    return PendingRegistration(
        id=secrets.token_urlsafe(16),
        jti=token.jti,
        principal_id=str(uuid.uuid4()),
        account=account,
        domain=domain,
        privileged=False,
        claims={"plan": "gold"},
        invite_expires_at=token.expires_at,
        expires_at=now + ttl,
        issued_by=None,
        registration_response=os.urandom(64),
        server_public_key=os.urandom(32),
        invite_issued_at=token.issued_at,
    )


def pending_login(
    who: Principal | None, account: str, now: float = NOW, ttl: float = 300.0
) -> PendingLogin:
    return PendingLogin(
        id=secrets.token_urlsafe(16),
        principal_id=None if who is None else who.id,
        account=account,
        server_state=os.urandom(96),
        expires_at=now + ttl,
        started_at=now,
    )


def attempt(limits: list[tuple[str, int]], now: float = NOW) -> Attempt:
    """An attempt under plain limits (no growing delays) over an hour's window."""
    return Attempt([Limit(key, most) for key, most in limits], now, HOUR)


async def recent_failures(store: Store, keys: list[str], since: float) -> list[int]:
    """How many failures after `since` each counter holds."""
    held = await store.failures(keys)
    return [sum(t > since for t in held[key]) for key in keys]


def recovery(count: int = 10) -> RecoveryCodes:
    return RecoveryCodes(
        ["$argon2id$v=19$m=1024,t=1,p=1$" + secrets.token_hex(24) for _ in range(count)]
    )


def invitation(issuer: str, now: float = NOW) -> Invitation:
    return Invitation(id=secrets.token_urlsafe(16), issuer=issuer, issued_at=now)


def success(
    who: Principal,
    login: PendingLogin,
    *,
    totp_step: int | None = None,
    recovery_index: int | None = None,
    mfa_limit: int = 10,
    now: float = NOW,
) -> LoginSuccess:
    return LoginSuccess(
        principal_id=who.id,
        totp_step=totp_step,
        recovery_index=recovery_index,
        forgive_keys=[f"acct:{who.name}", "addr:192.0.2.1"],
        forgive_at=login.started_at,
        mfa=attempt([(f"mfa:{who.id}", mfa_limit), ("addr:192.0.2.1", 200)], now),
        session=new_session(who.id, now),
    )
