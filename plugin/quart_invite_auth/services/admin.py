"""Administration of accounts, invite tokens and the audit log, by privileged accounts.

Every function takes the acting principal (already known to be privileged: the HTTP layer
checks that) and addresses accounts by name, in its compared form, like every lookup.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from ..errors import ErrorCode, ProblemError
from ..names import lookup_key
from ..store.records import AccountFacts, AuditEvent, InviteToken, Principal
from .context import AuthContext
from .recovery import issue_recovery_invite

# The longest invite token id (a UUID has 36 characters): longer ones are unknown.
_MAX_JTI = 64
_AUDIT_CURSOR_BYTES = 16  # an audit_db key: 8 bytes of time, 8 random


@dataclass(frozen=True)
class AccountPage:
    accounts: list[AccountFacts]
    next_cursor: str | None


@dataclass(frozen=True)
class ListedInvite:
    token: InviteToken
    issued_by_name: str | None


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    next_cursor: str | None


def _encode_cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode_cursor(cursor: str) -> bytes:
    bad = ProblemError(ErrorCode.MALFORMED_REQUEST, "cursor: not a cursor this server gave")
    if len(cursor) > 512:
        raise bad
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError) as exc:
        raise bad from exc


def _account_position(cursor: str) -> tuple[float, str]:
    """The (created_at, id) position an accounts cursor stands for."""
    try:
        created_at, principal_id = json.loads(_decode_cursor(cursor))
        if isinstance(created_at, int | float) and isinstance(principal_id, str):
            return float(created_at), principal_id
    except (ValueError, TypeError) as exc:
        raise ProblemError(ErrorCode.MALFORMED_REQUEST, "cursor: not a valid cursor") from exc
    raise ProblemError(ErrorCode.MALFORMED_REQUEST, "cursor: not a valid cursor")


async def list_accounts(
    ctx: AuthContext,
    *,
    limit: int,
    cursor: str | None = None,
    kind: str | None = None,
    domain: str | None = None,
    disabled: bool | None = None,
) -> AccountPage:
    after = None if cursor is None else _account_position(cursor)
    if domain is not None:
        domain = domain.lower().rstrip(".")  # domains are stored so
    facts, position = await ctx.store.list_accounts(
        now=ctx.now(),
        idle_ttl=ctx.settings.session_idle_ttl,
        limit=limit,
        after=after,
        kind=kind,
        domain=domain,
        disabled=disabled,
    )
    next_cursor = (
        None
        if position is None
        else _encode_cursor(json.dumps(list(position), separators=(",", ":")).encode())
    )
    return AccountPage(facts, next_cursor)


async def get_account(ctx: AuthContext, name: str) -> AccountFacts:
    facts = await ctx.store.account_facts(name, ctx.now(), ctx.settings.session_idle_ttl)
    if facts is None:
        raise ProblemError(ErrorCode.ACCOUNT_NOT_FOUND)
    return facts


async def _principal(ctx: AuthContext, name: str) -> Principal:
    principal = await ctx.store.principal_by_name(name)
    if principal is None:
        raise ProblemError(ErrorCode.ACCOUNT_NOT_FOUND)
    return principal


async def set_disabled(
    ctx: AuthContext, actor: Principal, name: str, disabled: bool, client: str | None
) -> AccountFacts:
    """Disable (its sessions end in the same step) or enable an account."""
    target = await _principal(ctx, name)
    changed = ctx.event(
        "account_disabled" if disabled else "account_enabled",
        principal_id=target.id,
        name=target.name,
        client=client,
        by=actor.id,
        by_name=actor.name,
    )
    return await ctx.store.set_disabled(
        target.id,
        disabled,
        actor_id=actor.id,
        now=ctx.now(),
        idle_ttl=ctx.settings.session_idle_ttl,
        events=[changed],
    )


async def delete_account(
    ctx: AuthContext, actor: Principal, name: str, client: str | None
) -> Principal:
    """Delete an account and all it owns in one step. Its name and domain become free
    again: a new account with them still needs a new invite (or invitation), which only
    someone trusted can give, and keeping dead names reserved forever would let one
    deletion lock a site's domain out of the service for good."""
    target = await _principal(ctx, name)
    deleted = ctx.event(
        "account_deleted",
        principal_id=target.id,
        name=target.name,
        client=client,
        by=actor.id,
        by_name=actor.name,
        kind=target.kind,
        domain=target.domain,
    )
    return await ctx.store.delete_account(target.id, actor_id=actor.id, events=[deleted])


async def reset_mfa(ctx: AuthContext, actor: Principal, name: str) -> tuple[str, float, Principal]:
    """A recovery invite for an OPAQUE account's owner; the current MFA secrets keep
    working until the owner enrols new ones with it."""
    target = await _principal(ctx, name)
    if target.kind != "opaque":
        raise ProblemError(
            ErrorCode.NOT_OPAQUE_ACCOUNT,
            f"{target.name!r} is a password login: it has no second factor to reset",
        )
    token, expires_at = await issue_recovery_invite(ctx, target, actor.id)
    return token, expires_at, target


async def list_invites(ctx: AuthContext) -> list[ListedInvite]:
    tokens = await ctx.store.list_invites(ctx.now())
    names: dict[str, str | None] = {}
    listed = []
    for token in tokens:
        issuer = token.issued_by
        if issuer is not None and issuer not in names:
            found = await ctx.store.get_principal(issuer)
            names[issuer] = None if found is None else found.name
        listed.append(ListedInvite(token, None if issuer is None else names[issuer]))
    return listed


async def revoke_invite(
    ctx: AuthContext, actor: Principal, invite_id: str, client: str | None
) -> None:
    if not invite_id or len(invite_id) > _MAX_JTI:
        raise ProblemError(ErrorCode.INVITE_NOT_FOUND)
    revoked = ctx.event(
        "invite_revoked", principal_id=actor.id, name=actor.name, client=client, jti=invite_id
    )
    await ctx.store.revoke_invite(invite_id, ctx.now(), [revoked])


async def read_audit(
    ctx: AuthContext,
    *,
    limit: int,
    cursor: str | None = None,
    account: str | None = None,
    event: str | None = None,
    since: float | None = None,
    until: float | None = None,
) -> AuditPage:
    before = None
    if cursor is not None:
        before = _decode_cursor(cursor)
        if len(before) != _AUDIT_CURSOR_BYTES:
            raise ProblemError(ErrorCode.MALFORMED_REQUEST, "cursor: not a valid cursor")
    principal_id = name_key = None
    if account is not None:
        # Events about the account: by its id (while it exists) or by the name they
        # carry, so a deleted account's history is still found by its name.
        name_key = lookup_key(account)
        owner = await ctx.store.principal_by_name(account)
        principal_id = None if owner is None else owner.id
        if name_key is None and principal_id is None:
            return AuditPage([], None)  # longer than any name: about no one
    events, position = await ctx.store.read_audit(
        limit=limit,
        since=since,
        until=until,
        before=before,
        event=event,
        principal_id=principal_id,
        name_key=name_key,
    )
    return AuditPage(events, None if position is None else _encode_cursor(position))
