"""MFA recovery invites: what administration's MFA reset hands out for the owner.

A recovery invite is a single-use, expiring token bound to one account. With it, the
owner proves the password by OPAQUE and enrols new MFA secrets; without the password it is
useless. (The owner's side, redeeming it, lives with the MFA recovery journey.)
"""

from __future__ import annotations

import secrets

from ..store.records import Principal, RecoveryInvite
from .context import AuthContext

# Long enough to reach the owner by another channel, short enough not to linger.
RECOVERY_INVITE_TTL = 24 * 3600.0


async def issue_recovery_invite(
    ctx: AuthContext, principal: Principal, issued_by: str | None
) -> tuple[str, float]:
    """A new recovery invite for `principal` (stored only as a hash of the token), with
    the `mfa_reset` audit event in the same write; returns the token and its expiry."""
    token = secrets.token_urlsafe(32)
    now = ctx.now()
    expires_at = now + RECOVERY_INVITE_TTL
    reset = ctx.event(
        "mfa_reset", principal_id=principal.id, name=principal.name, issued_by=issued_by
    )
    await ctx.store.put_recovery_invite(
        token, RecoveryInvite(principal.id, now, expires_at, issued_by), [reset]
    )
    return token, expires_at
