"""MFA recovery: administration resets an account's MFA by issuing a recovery invite;
the owner proves the password by OPAQUE with it and receives a new TOTP secret and new
recovery codes, sealed to the sealing public key kept since registration.

The invite alone is useless: it opens nothing without the password, and the password's
proof counts against the same failure limits as a login."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from invite_auth.opaque import (
    KE1,
    KE3,
    AuthenticationError,
    OpaqueError,
    RegistrationRecord,
    ServerLoginState,
    generate_ke2,
    server_finish,
)
from invite_auth.sealing import SealedBundle

from ..errors import ErrorCode, ProblemError
from ..store.records import PendingProof, Principal, RecoveryInvite
from . import devices, ratelimit
from .context import AuthContext, new_handle
from .mfa import new_mfa_secrets
from .proof import check_sealing_key, seal_to_account


async def issue_recovery_invite(
    ctx: AuthContext, principal: Principal, issued_by: str | None
) -> tuple[str, float]:
    """A new recovery invite for `principal` (an OPAQUE account): its token (a random
    string, given once, kept only as a hash) and when it expires
    (`INVITE_AUTH_RECOVERY_INVITE_TTL` from now). `issued_by` is the principal id of the
    administrator. Writes the audit event `mfa_reset` with the invite. Raises
    `not_opaque_account` for a password login (it has no MFA to reset) and
    `account_not_found` if the account is gone."""
    if principal.kind != "opaque":
        raise ProblemError(
            ErrorCode.NOT_OPAQUE_ACCOUNT,
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


@dataclass(frozen=True)
class RecoveryStarted:
    recovery_id: str
    ke2: bytes
    expires_at: float


@dataclass(frozen=True)
class RecoveryFinished:
    principal: Principal
    sealed_mfa: SealedBundle


def _invalid() -> ProblemError:
    # One answer for an unknown, used or expired invite, one for another account, and an
    # account that does not exist: the invite's holder learns nothing about names.
    return ProblemError(ErrorCode.RECOVERY_INVITE_INVALID)


async def recovery_start(
    ctx: AuthContext,
    *,
    recovery_invite: str,
    account: str,
    ke1: KE1,
    client: str | None = None,
    device_tokens: list[str] | None = None,
) -> RecoveryStarted:
    """KE1 → KE2 for the account a live recovery invite is bound to; counted as a login
    start under the name's limits (a recovery invite is no way around them)."""
    device = devices.trusted_key(ctx, account, device_tokens or [])
    attempt = ratelimit.login_attempt(ctx, account, client, device)
    verdict, principal = await ctx.store.login_lookup(account, attempt)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=account, retry_after=verdict.retry_after)
    invite = await ctx.store.get_recovery_invite(recovery_invite, attempt.now)
    if (
        invite is None
        or principal is None
        or principal.kind != "opaque"
        or principal.opaque_record is None
        or invite.principal_id != principal.id
    ):
        raise _invalid()
    record = RegistrationRecord.from_bytes(principal.opaque_record)
    ke2, state = generate_ke2(ctx.setup, record, principal.id.encode(), ke1)
    pending = PendingProof(
        id=new_handle(),
        principal_id=principal.id,
        account=principal.name,
        server_state=state.to_bytes(),
        expires_at=min(attempt.now + ctx.settings.login_ttl, invite.expires_at),
        started_at=attempt.now,
    )
    # The invite is read again in the write: used or expired meanwhile, it is refused.
    verdict = await ctx.store.begin_proof(pending, attempt, recovery_invite=recovery_invite)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=account, retry_after=verdict.retry_after)
    return RecoveryStarted(pending.id, ke2.to_bytes(), pending.expires_at)


async def recovery_finish(
    ctx: AuthContext,
    *,
    recovery_id: str,
    ke3: KE3,
    sealing_public_key: bytes | None = None,
    client: str | None = None,
) -> RecoveryFinished:
    """A valid KE3 spends the recovery invite and gives the account a new TOTP secret and
    new recovery codes (the old ones stop working), sealed to its sealing public key. A
    wrong password stays counted as a failure and leaves the invite usable.

    An account registered before sealing keys were kept has none on record: then the
    `sealing_public_key` the client derived from this login's export key is used, and
    kept (without one the owner, who lost the second factor, could never be sealed
    anything). A key on record is always the one used."""
    now = ctx.now()
    pending, principal, _ = await ctx.store.proof_to_finish(
        recovery_id,
        now,
        lambda p: ratelimit.mfa_attempt(ctx, p.account, client, p.trusted),
        recovery=True,
    )
    try:
        if principal is None:
            raise AuthenticationError("the account is gone")
        server_finish(ServerLoginState.from_bytes(pending.server_state), ke3)
    except OpaqueError as exc:
        event = ctx.event(
            "mfa_recovery_failed",
            principal_id=pending.principal_id,
            name=pending.account,
            client=client,
            reason="password",
        )
        await ctx.store.fail_proof(pending, [event])
        raise ProblemError(ErrorCode.LOGIN_FAILED) from exc
    adopted = None
    if principal.sealing_public_key is None and sealing_public_key is not None:
        check_sealing_key(sealing_public_key, principal.name)
        adopted = sealing_public_key
        principal = replace(principal, sealing_public_key=sealing_public_key)
    secrets_, codes = await new_mfa_secrets(principal.name, ctx.settings.totp_issuer)
    # Sealed before anything is written: an unusable key must not leave the account
    # with secrets its owner never saw.
    sealed = seal_to_account(
        principal,
        {
            "totp_secret": secrets_.totp_secret,
            "otpauth_uri": secrets_.otpauth_uri,
            "recovery_codes": secrets_.recovery_codes,
        },
    )
    event = ctx.event(
        "mfa_recovered", principal_id=principal.id, name=principal.name, client=client
    )
    updated = await ctx.store.complete_mfa_recovery(
        recovery_id,
        now,
        secrets_.totp_secret,
        codes,
        pending.counted,
        pending.started_at,
        [event],
        sealing_public_key=adopted,
    )
    return RecoveryFinished(updated, sealed)
