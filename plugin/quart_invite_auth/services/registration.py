"""Seed 000 site-owner registration: OPAQUE registration with MFA, both diagram steps."""

from __future__ import annotations

from dataclasses import dataclass

from invite_auth.opaque import (
    RegistrationRecord,
    RegistrationRequest,
    create_registration_response,
)
from invite_auth.sealing import SealedBundle, SealingError, seal_bundle

from ..errors import ErrorCode, ProblemError
from ..names import validate_account_name
from ..store.records import PendingRegistration, Principal
from .context import AuthContext, new_handle, new_id
from .invites import verify_invite
from .mfa import new_mfa_secrets


@dataclass(frozen=True)
class RegistrationStarted:
    registration_id: str
    registration_response: bytes
    expires_at: float


@dataclass(frozen=True)
class RegistrationFinished:
    principal: Principal
    sealed_mfa: SealedBundle


async def registration_start(
    ctx: AuthContext,
    *,
    invite_token: str,
    account: str,
    request: RegistrationRequest,
    client: str | None = None,
) -> RegistrationStarted:
    if ctx.settings.registration_mode == "closed":
        raise ProblemError(ErrorCode.REGISTRATION_CLOSED)
    invite = verify_invite(ctx, invite_token)  # HMAC first: nothing else is trusted before
    account = validate_account_name(account).shown
    if account != invite.account:
        raise ProblemError(ErrorCode.INVITE_MISMATCH)
    # Name and domain are checked by the store, under the write lock and after the token
    # id, so a spent invite reads as used whatever has become of its account since.
    # The account id is the OPAQUE credential identifier: fixed now, kept for life.
    principal_id = new_id("L")
    response = create_registration_response(ctx.setup, request, principal_id.encode())
    now = ctx.now()
    pending = PendingRegistration(
        id=new_handle(),
        jti=invite.jti,
        principal_id=principal_id,
        account=account,
        domain=invite.domain,
        privileged=invite.privileged,
        claims=invite.claims,
        invite_expires_at=invite.expires_at,
        expires_at=min(now + ctx.settings.pending_ttl, invite.expires_at),
        issued_by=invite.issued_by,
        registration_response=response.to_bytes(),
        server_public_key=ctx.setup.server_public_key,
        invite_issued_at=invite.issued_at,
    )
    # One transaction: the token id leaves invite_db, the pending state is sealed into
    # state_db, and name and domain are checked again under the write lock.
    used = ctx.event(
        "invite_used", principal_id=invite.issued_by, name=account, client=client, jti=invite.jti
    )
    await ctx.store.begin_registration(pending, now, [used])
    return RegistrationStarted(pending.id, response.to_bytes(), pending.expires_at)


async def registration_finish(
    ctx: AuthContext,
    *,
    registration_id: str,
    record: RegistrationRecord,
    sealing_public_key: bytes,
    client: str | None = None,
) -> RegistrationFinished:
    pending = await ctx.store.get_pending_registration(registration_id, ctx.now())
    if await ctx.store.name_owner(pending.account) is not None:
        raise ProblemError(ErrorCode.ACCOUNT_EXISTS)
    secrets, recovery = await new_mfa_secrets(pending.account, ctx.settings.totp_issuer)
    # Seal before writing anything: an unusable key must not leave an account without MFA.
    try:
        sealed = seal_bundle(
            sealing_public_key,
            pending.account,
            {
                "totp_secret": secrets.totp_secret,
                "otpauth_uri": secrets.otpauth_uri,
                "recovery_codes": secrets.recovery_codes,
            },
        )
    except SealingError as exc:
        raise ProblemError(ErrorCode.INVALID_SEALING_KEY, str(exc)) from exc
    principal = Principal(
        id=pending.principal_id,
        name=pending.account,
        kind="opaque",
        created_at=ctx.now(),
        privileged=pending.privileged,
        domain=pending.domain,
        claims=pending.claims,
        invited_by=pending.issued_by,
        opaque_record=record.to_bytes(),
        sealing_public_key=sealing_public_key,
        totp_secret=secrets.totp_secret,
    )
    # Account, MFA secret, password file, recovery codes: one atomic write.
    registered = ctx.event(
        "registered",
        principal_id=principal.id,
        name=principal.name,
        client=client,
        domain=principal.domain,
        privileged=principal.privileged,
    )
    await ctx.store.complete_registration(
        registration_id, principal, recovery, ctx.now(), [registered]
    )
    return RegistrationFinished(principal, sealed)
