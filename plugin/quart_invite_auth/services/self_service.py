"""Self-service with a session alone: one's own sessions, one's own outstanding
invitations (seed 003), a seed-003 password change, and how many recovery codes are left.

Nothing here needs a fresh OPAQUE proof: listing and ending one's own sessions or
invitations only takes away, and a password login proves its current password here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ErrorCode, ProblemError
from ..store.core import invitation_key_ref
from ..store.records import Principal
from . import devices, ratelimit
from .context import AuthContext
from .invitations import invitation_ref
from .passwords import Passwords, apply_policy, normalize_password
from .sessions import ActiveSession, session_id

# A ref, as listed by `invitations`: 16 lowercase hex digits. Invitation ids never look
# like one (they start with "I").
_REF = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class SessionView:
    id: str
    created_at: float
    last_used_at: float
    expires_at: float
    client: str | None
    user_agent: str | None
    current: bool


@dataclass(frozen=True)
class OutstandingInvitation:
    ref: str
    issued_at: float
    expires_at: float


# -- sessions -------------------------------------------------------------------------


async def list_sessions(ctx: AuthContext, active: ActiveSession) -> list[SessionView]:
    """The caller's live sessions, oldest first; expired ones the sweep has not removed
    yet are left out (they can no longer be used)."""
    now = ctx.now()
    idle = ctx.settings.session_idle_ttl
    views = []
    for token_hash, session in await ctx.store.sessions_of(active.principal.id):
        expires_at = min(session.expires_at, session.last_seen + idle)
        if expires_at <= now:
            continue
        views.append(
            SessionView(
                id=session_id(token_hash),
                created_at=session.created_at,
                last_used_at=session.last_seen,
                expires_at=expires_at,
                client=session.client,
                user_agent=session.user_agent,
                current=token_hash == active.token_hash,
            )
        )
    return views


async def revoke_session(ctx: AuthContext, active: ActiveSession, public_id: str) -> bool:
    """End one of the caller's sessions by its public id; True if it was the current one.
    SESSION_NOT_FOUND for an id that is not one of the caller's live sessions."""
    principal = active.principal
    now = ctx.now()
    idle = ctx.settings.session_idle_ttl
    for token_hash, session in await ctx.store.sessions_of(principal.id):
        if session_id(token_hash) != public_id:
            continue
        if min(session.expires_at, session.last_seen + idle) <= now:
            break  # not listed, so not revocable: it has ended already
        event = ctx.event(
            "session_revoked",
            principal_id=principal.id,
            name=principal.name,
            session=public_id,
            current=token_hash == active.token_hash,
        )
        # The write re-checks the session is still there and still the caller's.
        if await ctx.store.end_session_of(principal.id, token_hash, [event]):
            return token_hash == active.token_hash
        break
    raise ProblemError(ErrorCode.SESSION_NOT_FOUND)


async def revoke_other_sessions(ctx: AuthContext, active: ActiveSession) -> int:
    principal = active.principal
    event = ctx.event("sessions_revoked", principal_id=principal.id, name=principal.name)
    return await ctx.store.end_other_sessions(principal.id, active.token_hash, event)


# -- invitations (seed 003) -------------------------------------------------------------


async def list_invitations(ctx: AuthContext, issuer: Principal) -> list[OutstandingInvitation]:
    lifetime = ctx.settings.invitation_ttl
    return [
        OutstandingInvitation(ref=str(ref), issued_at=issued_at, expires_at=issued_at + lifetime)
        for issued_at, ref in await ctx.store.invitations_of(issuer.id, ctx.now(), lifetime)
    ]


async def revoke_invitation(ctx: AuthContext, issuer: Principal, ref_or_id: str) -> None:
    """Revoke one of the issuer's outstanding invitations, named by its ref or its id.
    INVITATION_NOT_FOUND for one that is unknown, another's, or no longer outstanding."""
    if _REF.fullmatch(ref_or_id):
        found = await ctx.store.find_invitation(issuer.id, ref_or_id)
        if found is None:
            raise ProblemError(ErrorCode.INVITATION_NOT_FOUND)
        invitation_id = found.id
    else:
        invitation_id = ref_or_id
    event = ctx.event(
        "invitation_revoked",
        principal_id=issuer.id,
        name=issuer.name,
        # as the issued and accepted events name it, and as the issuer's list does
        invitation=invitation_ref(invitation_id),
        ref=invitation_key_ref(invitation_id),
    )
    await ctx.store.revoke_invitation(
        invitation_id, issuer.id, ctx.now(), ctx.settings.invitation_ttl, [event]
    )


# -- seed-003 password change ------------------------------------------------------------


async def change_login_password(
    ctx: AuthContext,
    passwords: Passwords,
    active: ActiveSession,
    *,
    current_password: str,
    new_password: str,
    client: str | None = None,
    device_tokens: list[str] | None = None,
) -> int:
    """Prove the current password, store the new one and end the login's other sessions;
    returns how many ended. A wrong current password is LOGIN_FAILED and counts as a
    failed password login for the name (the same limits, 429 past them)."""
    principal = active.principal
    if principal.kind != "password":
        raise ProblemError(
            ErrorCode.WRONG_ACCOUNT_KIND,
            "an OPAQUE account changes its password with an OPAQUE proof, not here",
        )
    name = principal.name
    # The same counters as a password login for this name, the device's own with a valid
    # device token: a stolen session cannot be used to guess the password faster than
    # logging in would, and others' failures cannot keep the owner from changing it.
    device = devices.trusted_key(ctx, name, device_tokens or [])
    attempt = ratelimit.login_attempt(ctx, name, client, device)
    verdict, current = await ctx.store.login_lookup(name, attempt)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=name, retry_after=verdict.retry_after)
    # The record as stored now (the session's copy may be older).
    stored = current if current is not None and current.id == principal.id else principal
    verified_hash = stored.password_hash
    new = apply_policy(ctx.settings, new_password)  # before any hashing: cheap refusals first
    with ctx.in_flight.admit(ratelimit.hashing_limits(ctx, name, client, device)):
        verified = verified_hash is not None and await passwords.verify(
            verified_hash, normalize_password(current_password)
        )
    attempt = ratelimit.login_attempt(ctx, name, client, device)
    if not verified or verified_hash is None:
        failed = ctx.event(
            "login_failed",
            principal_id=principal.id,
            name=name,
            client=client,
            reason="password_change",
        )
        verdict = await ctx.store.password_login(attempt, None, [failed])
        if not verdict.admitted:
            await ratelimit.refuse(ctx, attempt, name=name, retry_after=verdict.retry_after)
        raise ProblemError(ErrorCode.LOGIN_FAILED, "the current password is wrong")
    new_hash = await passwords.hash(new)
    changed = ctx.event("password_changed", principal_id=principal.id, name=name, client=client)
    verdict, ended = await ctx.store.change_login_password(
        principal.id, verified_hash, new_hash, active.token_hash, attempt, [changed]
    )
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=name, retry_after=verdict.retry_after)
    return ended


# -- me -------------------------------------------------------------------------------


async def recovery_codes_remaining(ctx: AuthContext, principal: Principal) -> int | None:
    """Unused recovery codes of an OPAQUE account; None for a password login (none)."""
    if principal.kind != "opaque":
        return None
    codes = await ctx.store.recovery_codes(principal.id)
    return sum(1 for code in codes.hashes if code is not None)
