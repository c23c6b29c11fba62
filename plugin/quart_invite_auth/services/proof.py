"""Operations behind a fresh proof: an OPAQUE login run again, inside the flow, for the
session's own account, plus a second factor (change password, regenerate recovery codes,
re-enrol TOTP).

A fresh proof is judged and counted exactly like a login (its start counts as a failure
under the name's limits until its KE3 proves the password; then the second factor under
the MFA limits), so it cannot serve to guess a password or a code faster than a login
could. Its state is kept under a hash of its handle, bound to the principal and to the
session that started it, expires like a login and is spent by its first finish."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from invite_auth.opaque import (
    KE1,
    KE3,
    OpaqueError,
    RegistrationRecord,
    RegistrationRequest,
    ServerLoginState,
    create_registration_response,
    generate_ke2,
    server_finish,
)
from invite_auth.sealing import SealedBundle, SealingError, seal_bundle

from ..errors import ErrorCode, ProblemError
from ..store.records import (
    Attempt,
    AuditEvent,
    LoginOutcome,
    PendingProof,
    PendingTotp,
    Principal,
    ProofSuccess,
)
from . import devices, ratelimit
from .context import AuthContext, new_handle
from .login import check_second_factor, require_one_factor
from .mfa import match_totp, new_mfa_secrets, new_totp_secret, otpauth_uri
from .sessions import ActiveSession


@dataclass(frozen=True)
class ReauthStarted:
    reauth_id: str
    ke2: bytes
    expires_at: float
    # For a password change: the server's answer to the new password's registration
    # request (credential identifier: the account id, as at registration).
    registration_response: bytes | None


@dataclass(frozen=True)
class SecondFactor:
    """The second factor sent with a fresh proof's finish (exactly one of the two)."""

    totp_code: str | None = None
    recovery_code: str | None = None


def opaque_principal(session: ActiveSession) -> Principal:
    """The session's account, which must be an OPAQUE one."""
    principal = session.principal
    if principal.kind != "opaque" or principal.opaque_record is None:
        raise ProblemError(
            ErrorCode.WRONG_ACCOUNT_KIND,
            "this is a password login: it has no OPAQUE password or second factor",
        )
    return principal


def check_sealing_key(public_key: bytes, account: str) -> None:
    """Refuse (400 invalid_sealing_key) a key nothing could be sealed to, before any write."""
    try:
        seal_bundle(public_key, account, {})
    except SealingError as exc:
        raise ProblemError(ErrorCode.INVALID_SEALING_KEY, str(exc)) from exc


def seal_to_account(principal: Principal, payload: dict[str, object]) -> SealedBundle:
    """Seal `payload` to the sealing public key kept from registration (or the last
    password change)."""
    if principal.sealing_public_key is None:
        raise ProblemError(
            ErrorCode.INVALID_SEALING_KEY,
            "no sealing public key is on record for this account; change the password "
            "first, which records one",
        )
    try:
        return seal_bundle(principal.sealing_public_key, principal.name, payload)
    except SealingError as exc:
        raise ProblemError(ErrorCode.INVALID_SEALING_KEY, str(exc)) from exc


async def reauth_start(
    ctx: AuthContext,
    session: ActiveSession,
    *,
    ke1: KE1,
    registration_request: RegistrationRequest | None = None,
    client: str | None = None,
    device_tokens: list[str] | None = None,
) -> ReauthStarted:
    principal = opaque_principal(session)
    assert principal.opaque_record is not None
    device = devices.trusted_key(ctx, principal.name, device_tokens or [])
    # The same counters as a login for this name: a fresh proof is no faster guessing.
    attempt = ratelimit.login_attempt(ctx, principal.name, client, device)
    verdict, _ = await ctx.store.login_lookup(principal.name, attempt)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=principal.name, retry_after=verdict.retry_after)
    identifier = principal.id.encode()
    record = RegistrationRecord.from_bytes(principal.opaque_record)
    ke2, state = generate_ke2(ctx.setup, record, identifier, ke1)
    response = (
        None
        if registration_request is None
        else create_registration_response(ctx.setup, registration_request, identifier).to_bytes()
    )
    pending = PendingProof(
        id=new_handle(),
        principal_id=principal.id,
        account=principal.name,
        server_state=state.to_bytes(),
        expires_at=attempt.now + ctx.settings.login_ttl,
        started_at=attempt.now,
        session=session.token_hash,
    )
    verdict = await ctx.store.begin_proof(pending, attempt)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=principal.name, retry_after=verdict.retry_after)
    return ReauthStarted(pending.id, ke2.to_bytes(), pending.expires_at, response)


@dataclass(frozen=True)
class _Proven:
    principal: Principal
    success: ProofSuccess


async def _prove(
    ctx: AuthContext,
    session: ActiveSession,
    reauth_id: str,
    ke3: KE3,
    factor: SecondFactor,
    client: str | None,
) -> _Proven:
    """Check a fresh proof's KE3 and second factor (counting failures as a login does);
    what the write that uses it must spend."""
    principal = opaque_principal(session)
    require_one_factor(factor.totp_code, factor.recovery_code)
    pending, owner, early = await ctx.store.proof_to_finish(
        reauth_id, ctx.now(), lambda p: ratelimit.mfa_attempt(ctx, p.account, client, p.trusted)
    )
    if pending.principal_id != principal.id or pending.session != session.token_hash:
        # Another session's proof: as if unknown, and left alone.
        raise ProblemError(ErrorCode.REAUTHENTICATION_NOT_FOUND)
    if owner is None:
        raise ProblemError(ErrorCode.REAUTHENTICATION_NOT_FOUND)
    try:
        server_finish(ServerLoginState.from_bytes(pending.server_state), ke3)
    except OpaqueError as exc:
        # Counted as a failure when the proof started; now only spent and logged.
        event = ctx.event(
            "reauth_failed",
            principal_id=principal.id,
            name=principal.name,
            client=client,
            reason="password",
        )
        await ctx.store.fail_proof(pending, [event])
        raise ProblemError(ErrorCode.LOGIN_FAILED) from exc

    async def fail(events: Sequence[AuditEvent], failure: Attempt | None) -> bool:
        return await ctx.store.fail_proof(
            pending,
            events,
            failure=failure,
            forgive_keys=pending.counted,
            forgive_at=pending.started_at,
        )

    step, index = await check_second_factor(
        ctx,
        owner,
        name=pending.account,
        client=client,
        trusted=pending.trusted,
        counted=pending.counted,
        early=early,
        totp_code=factor.totp_code,
        recovery_code=factor.recovery_code,
        fail=fail,
        failed_event="reauth_failed",
    )
    return _Proven(
        owner,
        ProofSuccess(
            principal_id=principal.id,
            session=session.token_hash,
            totp_step=step,
            recovery_index=index,
            forgive_keys=pending.counted,
            forgive_at=pending.started_at,
            mfa=ratelimit.mfa_attempt(ctx, pending.account, client, pending.trusted),
        ),
    )


def _spent_meanwhile(ctx: AuthContext, principal: Principal, client: str | None) -> AuditEvent:
    # A concurrent login or proof spent the same code between our check and the write.
    return ctx.event(
        "reauth_failed",
        principal_id=principal.id,
        name=principal.name,
        client=client,
        reason="second_factor_spent",
    )


async def _settle(ctx: AuthContext, outcome: LoginOutcome, proven: _Proven) -> None:
    """The problem for a write behind a fresh proof that did not go through."""
    if outcome == "ok":
        return
    if outcome == "gone":
        raise ProblemError(ErrorCode.REAUTHENTICATION_NOT_FOUND)
    if outcome == "locked":
        await ratelimit.refuse(ctx, proven.success.mfa, name=proven.principal.name)
    raise ProblemError(ErrorCode.TOTP_REPLAYED if outcome == "replayed" else ErrorCode.MFA_INVALID)


async def change_password(
    ctx: AuthContext,
    session: ActiveSession,
    *,
    reauth_id: str,
    ke3: KE3,
    factor: SecondFactor,
    record: RegistrationRecord,
    sealing_public_key: bytes,
    client: str | None = None,
) -> tuple[Principal, int]:
    """The new password's record and sealing key replace the old ones and every other
    session ends, in one write; returns the account and how many sessions ended."""
    principal = opaque_principal(session)
    # Checked before the proof is spent: a bad key leaves the proof usable.
    check_sealing_key(sealing_public_key, principal.name)
    proven = await _prove(ctx, session, reauth_id, ke3, factor, client)
    events = [
        ctx.event("password_changed", principal_id=principal.id, name=principal.name, client=client)
    ]
    outcome, ended = await ctx.store.change_password(
        reauth_id,
        ctx.now(),
        proven.success,
        record.to_bytes(),
        sealing_public_key,
        events,
        [_spent_meanwhile(ctx, principal, client)],
    )
    await _settle(ctx, outcome, proven)
    updated = replace(
        proven.principal, opaque_record=record.to_bytes(), sealing_public_key=sealing_public_key
    )
    return updated, ended


async def regenerate_recovery_codes(
    ctx: AuthContext,
    session: ActiveSession,
    *,
    reauth_id: str,
    ke3: KE3,
    factor: SecondFactor,
    client: str | None = None,
) -> SealedBundle:
    """Ten new recovery codes replace all the old ones, in one write; returned sealed to
    the account's sealing public key as `{"recovery_codes": [...]}`."""
    principal = opaque_principal(session)
    if principal.sealing_public_key is None:
        seal_to_account(principal, {})  # the problem, before the proof is spent
    proven = await _prove(ctx, session, reauth_id, ke3, factor, client)
    secrets, codes = await new_mfa_secrets(principal.name, ctx.settings.totp_issuer)
    sealed = seal_to_account(proven.principal, {"recovery_codes": secrets.recovery_codes})
    event = ctx.event(
        "recovery_codes_regenerated", principal_id=principal.id, name=principal.name, client=client
    )
    outcome = await ctx.store.regenerate_recovery_codes(
        reauth_id,
        ctx.now(),
        proven.success,
        codes,
        [event],
        [_spent_meanwhile(ctx, principal, client)],
    )
    await _settle(ctx, outcome, proven)
    return sealed


async def start_totp_reenrollment(
    ctx: AuthContext,
    session: ActiveSession,
    *,
    reauth_id: str,
    ke3: KE3,
    factor: SecondFactor,
    client: str | None = None,
) -> SealedBundle:
    """A new TOTP secret, kept pending until a code made with it confirms it (the old
    one works until then); returned sealed as `{"totp_secret", "otpauth_uri"}`."""
    principal = opaque_principal(session)
    if principal.sealing_public_key is None:
        seal_to_account(principal, {})  # the problem, before the proof is spent
    proven = await _prove(ctx, session, reauth_id, ke3, factor, client)
    secret = new_totp_secret()
    uri = otpauth_uri(secret, principal.name, ctx.settings.totp_issuer)
    sealed = seal_to_account(proven.principal, {"totp_secret": secret, "otpauth_uri": uri})
    now = ctx.now()
    pending = PendingTotp(
        principal_id=principal.id, totp_secret=secret, expires_at=now + ctx.settings.pending_ttl
    )
    event = ctx.event(
        "totp_reenrollment_started", principal_id=principal.id, name=principal.name, client=client
    )
    outcome = await ctx.store.begin_totp_reenrollment(
        reauth_id,
        now,
        proven.success,
        pending,
        [event],
        [_spent_meanwhile(ctx, principal, client)],
    )
    await _settle(ctx, outcome, proven)
    return sealed


async def confirm_totp_reenrollment(
    ctx: AuthContext, session: ActiveSession, *, totp_code: str, client: str | None = None
) -> Principal:
    """A code made with the pending secret makes it the account's; a wrong one counts
    against the MFA limits (the session alone does not allow guessing without limit)."""
    principal = opaque_principal(session)
    now = ctx.now()
    pending = await ctx.store.pending_totp(principal.id, now)
    if pending is None:
        raise ProblemError(ErrorCode.TOTP_ENROLLMENT_NOT_FOUND)
    attempt = ratelimit.mfa_attempt(ctx, principal.name, client, False)
    early = attempt.judge(await ctx.store.failures(attempt.keys))
    if not early.admitted:
        await ratelimit.refuse(ctx, attempt, name=principal.name, retry_after=early.retry_after)
    # Judged against the new secret alone; no step of it has been used yet.
    candidate = replace(principal, totp_secret=pending.totp_secret, totp_last_step=0)
    try:
        step = match_totp(ctx, candidate, totp_code)
    except ProblemError as exc:
        event = ctx.event(
            "totp_reenrollment_failed",
            principal_id=principal.id,
            name=principal.name,
            client=client,
            reason=exc.code.code,
        )
        # The store's write of a failed attempt (no session): counted only while the
        # limits still allow it, in the same transaction.
        verdict = await ctx.store.password_login(attempt, None, [event])
        if not verdict.admitted:
            await ratelimit.refuse(ctx, attempt, name=principal.name)
        raise
    event = ctx.event(
        "totp_reenrolled", principal_id=principal.id, name=principal.name, client=client
    )
    if not await ctx.store.confirm_totp_reenrollment(pending, step, now, [event]):
        raise ProblemError(ErrorCode.TOTP_ENROLLMENT_NOT_FOUND)
    return replace(principal, totp_secret=pending.totp_secret, totp_last_step=step)
