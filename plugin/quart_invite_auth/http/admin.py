"""Administration endpoints under /accounts/admin: privileged accounts only.

Every route authenticates first (401 without a session), then requires a privileged
account (403 `not_privileged`), and only then reads its query or body, so that nothing
about accounts, not even which query values are valid, is told to anyone else.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field
from quart import Blueprint, request
from quart_schema import tag_blueprint

from ..errors import ErrorCode, ProblemError
from ..services import admin as service
from ..store.records import AccountFacts, AuditEvent
from . import models as m
from .common import client_address, guard_api_blueprint, parse_body
from .docs import documented
from .identity import ctx, current_session
from .wire import timestamp

Json = tuple[dict[str, Any], int]
_MAX_FILTER = 256
# The latest time the audit log's keys (microseconds in 64 bits) can hold, in whole
# seconds: the bound openapi.yaml gives `since` and `until`.
_LAST_SECOND = 9_007_199_254


class AccountsQuery(BaseModel):
    """GET /accounts/admin/accounts's query (documentation; the handler parses it)."""

    kind: Literal["opaque", "password"] | None = None
    domain: str | None = Field(default=None, min_length=1, max_length=253)
    disabled: Literal["true", "false"] | None = None
    limit: int | None = Field(default=None, ge=1, le=200)
    cursor: str | None = Field(default=None, min_length=1, max_length=512)


class AuditQuery(BaseModel):
    """GET /accounts/admin/audit's query (documentation; the handler parses it)."""

    account: str | None = Field(default=None, min_length=1, max_length=256)
    event: str | None = Field(default=None, min_length=1, max_length=64)
    since: float | None = None
    until: float | None = None
    limit: int | None = Field(default=None, ge=1, le=500)
    cursor: str | None = Field(default=None, min_length=1, max_length=512)


def _malformed(detail: str) -> ProblemError:
    return ProblemError(ErrorCode.MALFORMED_REQUEST, detail)


def _text(name: str, most: int = _MAX_FILTER) -> str | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value or len(value) > most:
        raise _malformed(f"{name}: must be 1 to {most} characters")
    return value


def _choice(name: str, choices: tuple[str, ...]) -> str | None:
    value = request.args.get(name)
    if value is not None and value not in choices:
        raise _malformed(f"{name}: must be one of {', '.join(choices)}")
    return value


def _limit(default: int, most: int) -> int:
    value = request.args.get("limit")
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= most:
        raise _malformed(f"limit: must be a whole number from 1 to {most}")
    return int(value)


def _seconds(name: str) -> float | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        seconds = float(value) if value.isascii() and len(value) <= 32 else math.nan
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or not 0 <= seconds <= _LAST_SECOND:
        raise _malformed(f"{name}: must be a time in Unix seconds")
    return seconds


def _account(facts: AccountFacts) -> m.AdminAccount:
    principal = facts.principal
    return m.AdminAccount(
        id=principal.id,
        name=principal.name,
        kind=principal.kind,
        domain=principal.domain,
        privileged=principal.privileged,
        disabled=principal.disabled,
        created_at=timestamp(principal.created_at),
        invited_by=facts.invited_by_name,
        recovery_codes_remaining=facts.recovery_codes_remaining,
        sessions=facts.live_sessions,
    )


def _entry(event: AuditEvent) -> m.AuditEntry:
    return m.AuditEntry(
        at=timestamp(event.at),
        event=event.event,
        principal_id=event.principal_id,
        name=event.name,
        client=event.client,
        detail=event.detail,
    )


async def _privileged() -> Any:
    """The caller's principal: 401 without a session, 403 unless privileged."""
    session = await current_session()
    if not session.principal.privileged:
        raise ProblemError(ErrorCode.NOT_PRIVILEGED)
    return session.principal


def create_blueprint() -> Blueprint:
    bp = Blueprint("invite_auth_admin", __name__)
    tag_blueprint(bp, ["admin"])
    guard_api_blueprint(bp)

    @bp.get("/admin/accounts")
    @documented(
        "listAccounts", status=200, response=m.AccountPage, query=AccountsQuery, session=True
    )
    async def list_accounts() -> Json:
        await _privileged()
        disabled = _choice("disabled", ("true", "false"))
        page = await service.list_accounts(
            ctx(),
            kind=_choice("kind", ("opaque", "password")),
            domain=_text("domain", 253),
            disabled=None if disabled is None else disabled == "true",
            limit=_limit(50, 200),
            cursor=_text("cursor", 512),
        )
        body = m.AccountPage(
            accounts=[_account(f) for f in page.accounts], next_cursor=page.next_cursor
        )
        return m.dump(body), 200

    # The path variable is named as in openapi.yaml (`{name}`).
    @bp.get("/admin/accounts/<name>")
    @documented("getAccount", status=200, response=m.AdminAccount, session=True)
    async def get_account(name: str) -> Json:
        await _privileged()
        return m.dump(_account(await service.get_account(ctx(), name))), 200

    @bp.post("/admin/accounts/<name>/disable")
    @documented(
        "disableAccount", status=200, body=m.EmptyRequest, response=m.AdminAccount, session=True
    )
    async def disable_account(name: str) -> Json:
        actor = await _privileged()
        await parse_body(m.EmptyRequest)
        facts = await service.set_disabled(ctx(), actor, name, True, client_address())
        return m.dump(_account(facts)), 200

    @bp.post("/admin/accounts/<name>/enable")
    @documented(
        "enableAccount", status=200, body=m.EmptyRequest, response=m.AdminAccount, session=True
    )
    async def enable_account(name: str) -> Json:
        actor = await _privileged()
        await parse_body(m.EmptyRequest)
        facts = await service.set_disabled(ctx(), actor, name, False, client_address())
        return m.dump(_account(facts)), 200

    @bp.delete("/admin/accounts/<name>")
    @documented("deleteAccount", status=204, session=True)
    async def delete_account(name: str) -> tuple[str, int]:
        actor = await _privileged()
        await service.delete_account(ctx(), actor, name, client_address())
        return "", 204

    @bp.post("/admin/accounts/<name>/reset-mfa")
    @documented(
        "resetAccountMfa",
        status=200,
        body=m.EmptyRequest,
        response=m.RecoveryInviteIssued,
        session=True,
    )
    async def reset_mfa(name: str) -> Json:
        actor = await _privileged()
        await parse_body(m.EmptyRequest)
        token, expires_at, target = await service.reset_mfa(ctx(), actor, name)
        body = m.RecoveryInviteIssued(
            recovery_invite=token, account=target.name, expires_at=timestamp(expires_at)
        )
        return m.dump(body), 200

    @bp.get("/admin/invites")
    @documented("listInvites", status=200, response=m.InviteList, session=True)
    async def list_invites() -> Json:
        await _privileged()
        listed = await service.list_invites(ctx())
        body = m.InviteList(
            invites=[
                m.AdminInvite(
                    id=item.token.jti,
                    domain=item.token.domain,
                    account=item.token.account,
                    privileged=item.token.privileged,
                    issued_by=item.issued_by_name,
                    issued_at=timestamp(item.token.issued_at),
                    expires_at=timestamp(item.token.expires_at),
                )
                for item in listed
            ]
        )
        return m.dump(body), 200

    @bp.delete("/admin/invites/<id>")
    @documented("revokeInvite", status=204, session=True)
    async def revoke_invite(id: str) -> tuple[str, int]:
        actor = await _privileged()
        await service.revoke_invite(ctx(), actor, id, client_address())
        return "", 204

    @bp.get("/admin/audit")
    @documented("readAuditLog", status=200, response=m.AuditPage, query=AuditQuery, session=True)
    async def read_audit() -> Json:
        await _privileged()
        since, until = _seconds("since"), _seconds("until")
        page = await service.read_audit(
            ctx(),
            limit=_limit(100, 500),
            cursor=_text("cursor", 512),
            account=_text("account"),
            event=_text("event", 64),
            since=since,
            until=until,
        )
        body = m.AuditPage(events=[_entry(e) for e in page.events], next_cursor=page.next_cursor)
        return m.dump(body), 200

    return bp
