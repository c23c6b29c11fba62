"""Seed 003: any login invites, an invitation is accepted once and expires after 24 hours."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..errors import ErrorCode, ProblemError
from ..names import validate_login_name
from ..store.records import Invitation, NewSession, Principal
from . import devices, ratelimit
from .context import AuthContext, new_id
from .passwords import Passwords, apply_policy, normalize_password
from .sessions import IssuedSession, new_session


@dataclass(frozen=True)
class LoginCreated:
    principal: Principal
    session: IssuedSession
    # A device token for the login's name (see services/devices.py).
    device_token: str


def invitation_ref(invitation_id: str) -> str:
    """How the audit log names an invitation: its id would let a reader accept it."""
    return hashlib.sha256(invitation_id.encode()).hexdigest()[:16]


async def create_invitation(ctx: AuthContext, issuer: Principal) -> Invitation:
    invitation = Invitation(id=new_id("I"), issuer=issuer.id, issued_at=ctx.now())
    issued = ctx.event(
        "invitation_issued",
        principal_id=issuer.id,
        name=issuer.name,
        invitation=invitation_ref(invitation.id),
    )
    await ctx.store.put_invitation(
        invitation,
        [issued],
        quota=ctx.settings.max_outstanding_invitations,
        lifetime=ctx.settings.invitation_ttl,
    )
    return invitation


async def _outstanding(ctx: AuthContext, invitation_id: str) -> Invitation:
    invitation = await ctx.store.get_invitation(invitation_id)
    if (
        invitation is None
        or invitation.accepted_by is not None
        or invitation.issued_at + ctx.settings.invitation_ttl <= ctx.now()
    ):
        raise ProblemError(ErrorCode.INVITATION_NOT_FOUND)
    return invitation


async def show_invitation(ctx: AuthContext, invitation_id: str) -> tuple[Invitation, Principal]:
    invitation = await _outstanding(ctx, invitation_id)
    issuer = await ctx.store.get_principal(invitation.issuer)
    if issuer is None or issuer.disabled:  # as accepting it would answer
        raise ProblemError(ErrorCode.INVITATION_NOT_FOUND)
    return invitation, issuer


async def _new_login(
    ctx: AuthContext, passwords: Passwords, name: str, password: str, invited_by: str | None
) -> Principal:
    valid = validate_login_name(name)
    password = apply_policy(ctx.settings, password)
    if await ctx.store.name_owner(valid.shown) is not None:
        raise ProblemError(ErrorCode.NAME_TAKEN)  # early, before paying for Argon2
    return Principal(
        id=new_id("L"),
        name=valid.shown,
        kind="password",
        created_at=ctx.now(),
        invited_by=invited_by,
        password_hash=await passwords.hash(password),
    )


async def accept_invitation(
    ctx: AuthContext,
    passwords: Passwords,
    invitation_id: str,
    *,
    name: str,
    password: str,
    client: str | None = None,
    user_agent: str | None = None,
) -> LoginCreated:
    invitation = await _outstanding(ctx, invitation_id)
    principal = await _new_login(ctx, passwords, name, password, invitation.issuer)
    # Atomic: still outstanding, name still free, login written, invitation marked used.
    # Atomic with its session and audit event, too.
    issued, session = new_session(ctx, principal, client=client, user_agent=user_agent)
    accepted = ctx.event(
        "invitation_accepted",
        principal_id=principal.id,
        name=principal.name,
        client=client,
        invitation=invitation_ref(invitation_id),
        issuer=invitation.issuer,
    )
    await ctx.store.accept_invitation(
        invitation_id, principal, ctx.now(), ctx.settings.invitation_ttl, session, [accepted]
    )
    return LoginCreated(principal, issued, devices.issue(ctx, principal.name))


async def initial_setup(
    ctx: AuthContext,
    passwords: Passwords,
    *,
    name: str,
    password: str,
    client: str | None = None,
    user_agent: str | None = None,
) -> LoginCreated:
    if await ctx.store.count_principals():
        raise ProblemError(ErrorCode.SETUP_DONE)
    principal = await _new_login(ctx, passwords, name, password, None)
    issued, session = new_session(ctx, principal, client=client, user_agent=user_agent)
    event = ctx.event(
        "initial_setup", principal_id=principal.id, name=principal.name, client=client
    )
    await ctx.store.create_first_principal(principal, session, [event])
    return LoginCreated(principal, issued, devices.issue(ctx, principal.name))


async def password_login(
    ctx: AuthContext,
    passwords: Passwords,
    *,
    name: str,
    password: str,
    client: str | None = None,
    user_agent: str | None = None,
    device_tokens: list[str] | None = None,
) -> LoginCreated:
    device = devices.trusted_key(ctx, name, device_tokens or [])
    # The same counters as an OPAQUE login start for this name, whoever it belongs to.
    attempt = ratelimit.login_attempt(ctx, name, client, device)
    # Refused before any hashing when the store would refuse it anyway.
    verdict, principal = await ctx.store.login_lookup(name, attempt)
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=name, retry_after=verdict.retry_after)
    password_hash = principal.password_hash if principal is not None else None
    # Verify against a dummy hash for unknown names (and OPAQUE accounts, which have no
    # password hash): the same cost and the same answer. A few verifications in flight
    # per name and per address; more are refused before any hashing.
    with ctx.in_flight.admit(ratelimit.hashing_limits(ctx, name, client, device)):
        verified = await passwords.verify(password_hash, normalize_password(password))
    session: NewSession | None = None
    if verified and principal is not None:
        issued, session = new_session(ctx, principal, client=client, user_agent=user_agent)
        event = ctx.event(
            "login",
            principal_id=principal.id,
            name=principal.name,
            client=client,
            method="password",
        )
    else:
        event = ctx.event(
            "login_failed",
            principal_id=principal.id if principal else None,
            name=name,
            client=client,
            reason="password",
        )
    # The limits are judged again in the write that records the outcome, so a burst of
    # concurrent guesses gets no more verdicts than the limits allow.
    attempt = ratelimit.login_attempt(ctx, name, client, device)
    verdict = await ctx.store.password_login(attempt, session, [event])
    if not verdict.admitted:
        await ratelimit.refuse(ctx, attempt, name=name, retry_after=verdict.retry_after)
    if session is None or principal is None:
        raise ProblemError(ErrorCode.LOGIN_FAILED)
    return LoginCreated(principal, issued, devices.issue(ctx, principal.name))
