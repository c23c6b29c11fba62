"""Sessions: 256-bit random tokens, stored only as SHA-256, idle and absolute expiry."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from ..store.records import NewSession, Principal, Session
from .context import AuthContext

# Writing last_seen on every request would cost a durable commit each time; the idle
# clock moves at a granularity of a twentieth of the idle lifetime (at most a minute), so
# a session in use never expires more than that early: 1.5 s for a 30 s idle lifetime.
_MAX_TOUCH_EVERY = 60.0
_TOUCH_FRACTION = 1 / 20


def touch_interval(idle_ttl: float) -> float:
    return min(_MAX_TOUCH_EVERY, idle_ttl * _TOUCH_FRACTION)


@dataclass(frozen=True)
class IssuedSession:
    token: str
    expires_at: float


@dataclass(frozen=True)
class ActiveSession:
    principal: Principal
    token_hash: bytes
    expires_at: float
    refreshed: bool


# A user agent is kept for its owner to recognise the session, not parsed: a bound on
# what a client can make the store keep.
MAX_USER_AGENT = 256


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def session_id(token_hash: bytes) -> str:
    """The public handle of a session, for listing and revoking it: derived from the hash
    of its token, from which neither the token nor the hash can be recovered."""
    return hashlib.sha256(b"invite-auth session id\x00" + token_hash).hexdigest()[:24]


def new_session(
    ctx: AuthContext,
    principal: Principal,
    *,
    client: str | None = None,
    user_agent: str | None = None,
) -> tuple[IssuedSession, NewSession]:
    """A fresh token for the client and its hashed record, to store with the operation."""
    now = ctx.now()
    token = secrets.token_urlsafe(32)
    session = Session(
        principal_id=principal.id,
        created_at=now,
        last_seen=now,
        expires_at=now + ctx.settings.session_absolute_ttl,
        client=client,
        user_agent=user_agent[:MAX_USER_AGENT] if user_agent else None,
    )
    return IssuedSession(token, _visible_expiry(ctx, session, now)), NewSession(
        hash_token(token), session
    )


def _visible_expiry(ctx: AuthContext, session: Session, now: float) -> float:
    return min(session.expires_at, now + ctx.settings.session_idle_ttl)


async def authenticate(ctx: AuthContext, token: str) -> ActiveSession | None:
    """The live session for a token, or None; an idle or expired one is removed."""
    if not token or len(token) > 256:
        return None
    token_hash = hash_token(token)
    session = await ctx.store.get_session(token_hash)
    if session is None:
        return None
    now = ctx.now()
    if session.expires_at <= now or session.last_seen + ctx.settings.session_idle_ttl <= now:
        await ctx.store.delete_session(token_hash)
        return None
    principal = await ctx.store.get_principal(session.principal_id)
    if principal is None or principal.disabled:
        return None
    refreshed = now - session.last_seen >= touch_interval(ctx.settings.session_idle_ttl)
    if refreshed:
        await ctx.store.touch_session(token_hash, now)
        session.last_seen = now
    return ActiveSession(principal, token_hash, _visible_expiry(ctx, session, now), refreshed)


async def revoke(ctx: AuthContext, session: ActiveSession) -> None:
    event = ctx.event("logout", principal_id=session.principal.id, name=session.principal.name)
    await ctx.store.delete_session(session.token_hash, [event])
