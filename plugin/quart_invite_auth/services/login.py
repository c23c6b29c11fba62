"""OPAQUE login (KE1 → KE2 → KE3) followed by a TOTP or recovery code."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from invite_auth.opaque import (
    KE1,
    KE3,
    AuthenticationError,
    OpaqueError,
    RegistrationRecord,
    ServerLoginState,
    fake_registration_record,
    generate_ke2,
    server_finish,
)

from ..errors import ErrorCode, ProblemError
from ..names import compared_name
from ..store.records import Attempt, AuditEvent, LoginSuccess, PendingLogin, Principal, Verdict
from . import devices, ratelimit
from .context import AuthContext, new_handle
from .mfa import match_recovery_code, match_totp
from .sessions import IssuedSession, new_session


@dataclass(frozen=True)
class LoginStarted:
    login_id: str
    ke2: bytes
    expires_at: float


@dataclass(frozen=True)
class LoginFinished:
    principal: Principal
    session: IssuedSession
    # A fresh device token for this name, for the client to keep and send next time.
    device_token: str


async def login_start(
    ctx: AuthContext,
    *,
    account: str,
    ke1: KE1,
    client: str | None = None,
    device_tokens: list[str] | None = None,
) -> LoginStarted:
    device = devices.trusted_key(ctx, account, device_tokens or [])
    # Judged by the name as sent (its compared form), whoever it belongs to: the same
    # counters for an OPAQUE account, a password login and nobody.
    attempt = ratelimit.login_attempt(ctx, account, client, device)
    # Refused before any work (KE2) when the store would refuse it anyway.
    verdict, principal = await ctx.store.login_lookup(account, attempt)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=account, retry_after=verdict.retry_after)
    if principal is not None and principal.kind != "opaque":
        principal = None  # a password login has no OPAQUE record: answer as for no one
    # RFC 9807 §10.9: a well-formed answer for an unknown name, the same every time, so a
    # client cannot tell which names exist. Made for known names too, so that the time
    # taken does not tell either.
    fake_identifier = b"unknown:" + compared_name(account).encode()
    fake_record = fake_registration_record(ctx.setup, fake_identifier)
    if principal is not None and principal.opaque_record is not None:
        record_bytes, credential_identifier = principal.opaque_record, principal.id.encode()
    else:
        record_bytes, credential_identifier = fake_record.to_bytes(), fake_identifier
    record = RegistrationRecord.from_bytes(record_bytes)  # both paths parse and validate
    ke2, state = generate_ke2(ctx.setup, record, credential_identifier, ke1)
    pending = PendingLogin(
        id=new_handle(),
        principal_id=principal.id if principal is not None else None,
        account=account,
        server_state=state.to_bytes(),
        expires_at=attempt.now + ctx.settings.login_ttl,
        started_at=attempt.now,
    )
    # Every start counts as a failure until a valid KE3 proves the password: a client can
    # test a guess against KE2 alone and never send KE3, so counting only bad KE3s would
    # leave online guessing unlimited. For the same reason KE2 leaves only if the store,
    # in the write that counts this start, finds the limits not yet reached.
    verdict = await ctx.store.begin_login(pending, attempt)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=account, retry_after=verdict.retry_after)
    return LoginStarted(pending.id, ke2.to_bytes(), pending.expires_at)


async def login_finish(
    ctx: AuthContext,
    *,
    login_id: str,
    ke3: KE3,
    totp_code: str | None,
    recovery_code: str | None,
    client: str | None = None,
    user_agent: str | None = None,
) -> LoginFinished:
    require_one_factor(totp_code, recovery_code)
    now = ctx.now()
    pending, principal, early = await ctx.store.login_to_finish(
        login_id, now, lambda p: ratelimit.mfa_attempt(ctx, p.account, client, p.trusted)
    )
    # The attempt was admitted and counted by login_start; it is not checked again here, or
    # the last admitted attempt could never succeed.
    try:
        if principal is None:
            raise AuthenticationError("unknown account")
        server_finish(ServerLoginState.from_bytes(pending.server_state), ke3)
    except OpaqueError as exc:
        # Counted as a failure when the login started; now only spent and logged.
        event = ctx.event(
            "login_failed",
            principal_id=pending.principal_id,
            name=pending.account,
            client=client,
            reason="password",
        )
        await ctx.store.fail_login(login_id, [event])
        raise ProblemError(ErrorCode.LOGIN_FAILED) from exc
    # The password is proven: the failure counted at the start is taken back whatever the
    # second factor gives. Only someone with the password reaches the MFA counter, so an
    # attacker without it cannot lock the owner out of MFA.
    forgive = pending.counted
    mfa = ratelimit.mfa_attempt(ctx, pending.account, client, pending.trusted)

    async def fail(events: Sequence[AuditEvent], failure: Attempt | None) -> bool:
        return await ctx.store.fail_login(
            login_id, events, failure=failure, forgive_keys=forgive, forgive_at=pending.started_at
        )

    step, index = await check_second_factor(
        ctx,
        principal,
        name=pending.account,
        client=client,
        trusted=pending.trusted,
        counted=pending.counted,
        early=early,
        totp_code=totp_code,
        recovery_code=recovery_code,
        fail=fail,
    )
    issued, session = new_session(ctx, principal, client=client, user_agent=user_agent)
    events = [
        ctx.event(
            "login", principal_id=principal.id, name=principal.name, client=client, method="opaque"
        )
    ]
    if index is not None:
        events.insert(
            0,
            ctx.event(
                "recovery_code_used", principal_id=principal.id, name=principal.name, client=client
            ),
        )
    outcome = await ctx.store.complete_login(
        login_id,
        now,
        LoginSuccess(
            principal_id=principal.id,
            totp_step=step,
            recovery_index=index,
            forgive_keys=forgive,
            forgive_at=pending.started_at,
            mfa=mfa,
            session=session,
        ),
        events,
        # A concurrent login spent the same code between our check and this write.
        [
            ctx.event(
                "login_failed",
                principal_id=principal.id,
                name=principal.name,
                client=client,
                reason="second_factor_spent",
            )
        ],
    )
    if outcome == "gone":
        raise ProblemError(ErrorCode.LOGIN_NOT_FOUND)
    if outcome == "locked":
        await ratelimit.refuse(ctx, mfa, name=pending.account)
    if outcome != "ok":
        raise ProblemError(
            ErrorCode.TOTP_REPLAYED if outcome == "replayed" else ErrorCode.MFA_INVALID
        )
    return LoginFinished(principal, issued, devices.issue(ctx, principal.name))


def require_one_factor(totp_code: str | None, recovery_code: str | None) -> None:
    if (totp_code is None) == (recovery_code is None):
        raise ProblemError(
            ErrorCode.MFA_REQUIRED, "send exactly one of totp_code and recovery_code"
        )


async def check_second_factor(
    ctx: AuthContext,
    principal: Principal,
    *,
    name: str,
    client: str | None,
    trusted: bool,
    counted: Sequence[str],
    early: Verdict,
    totp_code: str | None,
    recovery_code: str | None,
    fail: Callable[[Sequence[AuditEvent], Attempt | None], Awaitable[bool]],
    failed_event: str = "login_failed",
) -> tuple[int | None, int | None]:
    """Judge the second factor of an OPAQUE login (or of a fresh proof) whose password
    was just proven: the TOTP step or the recovery code index it matches, for the write
    that spends it. `early` is how the second factor's limits judged the attempt when
    it was read. On a refusal or a wrong code, `fail(events, failure)` spends the
    attempt (counting `failure` if given, False if its limits were reached meanwhile)
    and the problem is raised: 429, or the code's 401 logged as `failed_event`."""
    mfa = ratelimit.mfa_attempt(ctx, name, client, trusted)
    try:
        if not early.admitted:  # refused before any work on the second factor
            await ratelimit.refuse(ctx, mfa, name=name, retry_after=early.retry_after)
        if totp_code is not None:
            return match_totp(ctx, principal, totp_code), None
        assert recovery_code is not None
        # Recovery codes are Argon2id hashes: a few checks in flight, no more.
        hashing = ratelimit.hashing_limits(
            ctx, name, client, counted[0] if trusted and counted else None
        )
        with ctx.in_flight.admit(hashing):
            return None, await match_recovery_code(ctx, principal, recovery_code)
    except ProblemError as exc:
        if exc.code is ErrorCode.RATE_LIMITED:
            await fail([], None)
            raise
        event = ctx.event(
            failed_event,
            principal_id=principal.id,
            name=principal.name,
            client=client,
            reason=exc.code.code,
        )
        # The store counts this failure only if the limits still allow the attempt, in
        # the same write: concurrent guesses cannot all slip under the limit.
        if not await fail([event], ratelimit.mfa_attempt(ctx, name, client, trusted)):
            await ratelimit.refuse(ctx, mfa, name=name)
        raise
