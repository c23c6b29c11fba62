"""MFA recovery: administration resets an account's MFA by issuing a recovery invite;
the owner proves the password by OPAQUE with it and receives a new TOTP secret and new
recovery codes, sealed to the sealing public key kept since registration.

The invite alone is useless: it opens nothing without the password, and the password's
proof counts against the same failure limits as a login."""

from __future__ import annotations

import secrets

from ..errors import ErrorCode, ProblemError
from ..store.records import Principal, RecoveryInvite
from .context import AuthContext


async def issue_recovery_invite(
    ctx: AuthContext, principal: Principal, issued_by: str | None
) -> tuple[str, float]:
    """A new recovery invite for `principal` (an OPAQUE account): its token (a random
    string, given once, kept only as a hash) and when it expires
    (`INVITE_AUTH_RECOVERY_INVITE_TTL` from now). `issued_by` is the principal id of the
    administrator. Writes the audit event `mfa_reset` with the invite. Raises
    `opaque_account_required` for a password login (it has no MFA to reset) and
    `account_not_found` if the account is gone."""
    if principal.kind != "opaque":
        raise ProblemError(
            ErrorCode.OPAQUE_ACCOUNT_REQUIRED,
            f"{principal.name!r} is a password login: it has no MFA to reset",
        )
    now = ctx.now()
    token = secrets.token_urlsafe(32)  # 256 bits
    invite = RecoveryInvite(
        principal_id=principal.id,
        issued_at=now,
        expires_at=now + ctx.settings.recovery_invite_ttl,
        issued_by=issued_by,
    )
    event = ctx.event(
        "mfa_reset",
        principal_id=principal.id,
        name=principal.name,
        issued_by=issued_by,
        expires_at=invite.expires_at,
    )
    await ctx.store.put_recovery_invite(token, invite, [event])
    return token, invite.expires_at
