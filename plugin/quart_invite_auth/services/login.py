"""OPAQUE login (KE1 → KE2 → KE3) followed by a TOTP or recovery code."""

from __future__ import annotations

import asyncio
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
from ..names import name_key
from ..store.records import LoginSuccess, PendingLogin, Principal
from . import ratelimit
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


def _limit_subject(principal: Principal | None, account: str) -> str:
    return principal.id if principal is not None else name_key(account)


async def login_start(
    ctx: AuthContext, *, account: str, ke1: KE1, client: str | None = None
) -> LoginStarted:
    principal = ctx.store.principal_by_name(account)
    if principal is not None and principal.kind != "opaque":
        principal = None  # a password login has no OPAQUE record: answer as for no one
    limits = ratelimit.login_limits(ctx, _limit_subject(principal, account), client)
    ratelimit.check(ctx, limits)
    if principal is not None and principal.opaque_record is not None:
        record = RegistrationRecord.from_bytes(principal.opaque_record)
        credential_identifier = principal.id.encode()
    else:
        # RFC 9807 §10.9: a well-formed answer for an unknown name, the same every time,
        # so a client cannot tell which names exist.
        credential_identifier = b"unknown:" + name_key(account).encode()
        record = fake_registration_record(ctx.setup, credential_identifier)
    ke2, state = generate_ke2(ctx.setup, record, credential_identifier, ke1)
    now = ctx.now()
    pending = PendingLogin(
        id=new_handle(),
        principal_id=principal.id if principal is not None else None,
        account=account,
        server_state=state.to_bytes(),
        expires_at=now + ctx.settings.login_ttl,
        started_at=now,
    )
    # Every start counts as a failure until a valid KE3 proves the password: a client can
    # test a guess against KE2 alone and never send KE3, so counting only bad KE3s would
    # leave online guessing unlimited.
    # The durable commit waits on the disk (~0.3 ms): let the loop serve others meanwhile.
    await asyncio.to_thread(
        ctx.store.begin_login,
        pending,
        ratelimit.keys(limits),
        now - ctx.settings.failure_window,
        ratelimit.keep(limits),
    )
    return LoginStarted(pending.id, ke2.to_bytes(), pending.expires_at)


async def login_finish(
    ctx: AuthContext,
    *,
    login_id: str,
    ke3: KE3,
    totp_code: str | None,
    recovery_code: str | None,
    client: str | None = None,
) -> LoginFinished:
    if (totp_code is None) == (recovery_code is None):
        raise ProblemError(
            ErrorCode.MFA_REQUIRED, "send exactly one of totp_code and recovery_code"
        )
    now = ctx.now()
    pending = ctx.store.get_pending_login(login_id, now)
    principal = ctx.store.get_principal(pending.principal_id) if pending.principal_id else None
    # The attempt was admitted and counted by login_start; it is not checked again here, or
    # the last admitted attempt could never succeed.
    limits = ratelimit.login_limits(ctx, _limit_subject(principal, pending.account), client)
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
        ctx.store.fail_login(login_id, [event])
        raise ProblemError(ErrorCode.LOGIN_FAILED) from exc
    # The password is proven: the failure counted at the start is taken back whatever the
    # second factor gives. Only someone with the password reaches the MFA counter, so an
    # attacker without it cannot lock the owner out of MFA.
    mfa = ratelimit.mfa_limits(ctx, principal.id)
    try:
        ratelimit.check(ctx, mfa)
        if totp_code is not None:
            step: int | None = match_totp(ctx, principal, totp_code)
            index: int | None = None
        else:
            assert recovery_code is not None
            step, index = None, await match_recovery_code(ctx, principal, recovery_code)
    except ProblemError as exc:
        counted = exc.code is not ErrorCode.RATE_LIMITED
        event = ctx.event(
            "login_failed",
            principal_id=principal.id,
            name=principal.name,
            client=client,
            reason=exc.code.code,
        )
        ctx.store.fail_login(
            login_id,
            [event],
            failure=ratelimit.failure(ctx, mfa) if counted else None,
            forgive_keys=ratelimit.keys(limits),
            forgive_at=pending.started_at,
        )
        raise
    issued, session = new_session(ctx, principal)
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
    outcome = ctx.store.complete_login(
        login_id,
        now,
        LoginSuccess(
            principal_id=principal.id,
            totp_step=step,
            recovery_index=index,
            forgive_keys=ratelimit.keys(limits),
            forgive_at=pending.started_at,
            session=session,
        ),
        events,
    )
    if outcome == "gone":
        raise ProblemError(ErrorCode.LOGIN_NOT_FOUND)
    if outcome != "ok":
        # A concurrent login spent the same code between our check and our write.
        code = ErrorCode.TOTP_REPLAYED if outcome == "replayed" else ErrorCode.MFA_INVALID
        ctx.store.fail_login(
            login_id,
            [ctx.event("login_failed", principal_id=principal.id, client=client, reason=code.code)],
            failure=ratelimit.failure(ctx, mfa),
        )
        raise ProblemError(code)
    return LoginFinished(principal, issued)
