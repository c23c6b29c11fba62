"""Administration, for privileged accounts: `client.admin` on `Client` and `AsyncClient`.

    with Client(url) as client:
        client.login("root", password, totp_code=code)
        for account in client.admin.iter_accounts(kind="opaque"):
            print(account.name, account.sessions)
        client.admin.disable_account("mallory")
        invite = client.admin.reset_mfa("owner")   # give it to the owner, by another channel

Every call needs a privileged session (`NotPrivileged` otherwise, `Unauthenticated`
without one). Accounts are addressed by name. Nothing here ever carries a secret.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._flows import Call, Flow, parsed
from ._generated.api.admin import (
    delete_account,
    disable_account,
    enable_account,
    get_account,
    list_accounts,
    list_invites,
    read_audit_log,
    reset_account_mfa,
    revoke_invite,
)
from ._generated.models import (
    AccountPage,
    AdminAccount,
    AuditPage,
    EmptyRequest,
    InviteList,
    ListAccountsDisabled,
    ListAccountsKind,
    RecoveryInviteIssued,
)
from ._generated.types import UNSET
from .errors import InviteAuthError

if TYPE_CHECKING:
    from .client import AsyncClient, Client


@dataclass(frozen=True)
class ManagedAccount:
    """An account (`kind` "opaque") or login ("password") as administration sees it."""

    id: str
    name: str
    kind: str
    domain: str | None
    privileged: bool
    disabled: bool
    created_at: datetime.datetime
    # The name of the account that invited it, if known and still there.
    invited_by: str | None
    # Unused recovery codes; None for password logins.
    recovery_codes_remaining: int | None
    # Live sessions.
    sessions: int


@dataclass(frozen=True)
class AccountsPage:
    accounts: list[ManagedAccount]
    # Pass as `cursor` for the next page; None on the last one.
    next_cursor: str | None


@dataclass(frozen=True)
class OutstandingInvite:
    """An invite token that can still start a registration (never the token itself)."""

    id: str
    domain: str | None
    account: str | None
    privileged: bool | None
    issued_by: str | None
    issued_at: datetime.datetime
    expires_at: datetime.datetime


@dataclass(frozen=True)
class AuditRecord:
    at: datetime.datetime
    event: str
    principal_id: str | None
    name: str | None
    client: str | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditLogPage:
    """Events newest first; `next_cursor` goes on to older ones (None: no more)."""

    events: list[AuditRecord]
    next_cursor: str | None


def _set(value: Any) -> Any:
    return UNSET if value is None else value


def _account(info: AdminAccount) -> ManagedAccount:
    return ManagedAccount(
        id=info.id,
        name=info.name,
        kind=str(info.kind),
        domain=info.domain if isinstance(info.domain, str) else None,
        privileged=info.privileged,
        disabled=info.disabled,
        created_at=info.created_at,
        invited_by=info.invited_by if isinstance(info.invited_by, str) else None,
        recovery_codes_remaining=(
            info.recovery_codes_remaining
            if isinstance(info.recovery_codes_remaining, int)
            else None
        ),
        sessions=info.sessions,
    )


# -- flows (sans I/O, shared by both clients) -------------------------------------------


def _list_accounts(
    kind: str | None,
    domain: str | None,
    disabled: bool | None,
    limit: int | None,
    cursor: str | None,
) -> Flow[AccountsPage]:
    if kind is not None and kind not in ("opaque", "password"):
        raise InviteAuthError(f"kind must be 'opaque' or 'password', not {kind!r}")
    query = {
        "kind": UNSET if kind is None else ListAccountsKind(kind),
        "domain": _set(domain),
        "disabled": UNSET
        if disabled is None
        else (ListAccountsDisabled.TRUE if disabled else ListAccountsDisabled.FALSE),
        "limit": _set(limit),
        "cursor": _set(cursor),
    }
    page = parsed((yield Call(list_accounts, query)), AccountPage)
    next_cursor = page.next_cursor if isinstance(page.next_cursor, str) else None
    return AccountsPage([_account(a) for a in page.accounts], next_cursor)


def _get_account(name: str) -> Flow[ManagedAccount]:
    return _account(parsed((yield Call(get_account, {"name": name})), AdminAccount))


def _set_disabled(name: str, disabled: bool) -> Flow[ManagedAccount]:
    endpoint = disable_account if disabled else enable_account
    response = yield Call(endpoint, {"name": name, "body": EmptyRequest()})
    return _account(parsed(response, AdminAccount))


def _delete_account(name: str) -> Flow[None]:
    yield Call(delete_account, {"name": name})


def _reset_mfa(name: str) -> Flow[str]:
    response = yield Call(reset_account_mfa, {"name": name, "body": EmptyRequest()})
    token: str = parsed(response, RecoveryInviteIssued).recovery_invite
    return token


def _list_invites() -> Flow[list[OutstandingInvite]]:
    listed = parsed((yield Call(list_invites)), InviteList)
    return [
        OutstandingInvite(
            id=i.id,
            domain=i.domain if isinstance(i.domain, str) else None,
            account=i.account if isinstance(i.account, str) else None,
            privileged=i.privileged if isinstance(i.privileged, bool) else None,
            issued_by=i.issued_by if isinstance(i.issued_by, str) else None,
            issued_at=i.issued_at,
            expires_at=i.expires_at,
        )
        for i in listed.invites
    ]


def _revoke_invite(invite_id: str) -> Flow[None]:
    yield Call(revoke_invite, {"id": invite_id})


def _audit(
    account: str | None,
    event: str | None,
    since: float | datetime.datetime | None,
    until: float | datetime.datetime | None,
    limit: int | None,
    cursor: str | None,
) -> Flow[AuditLogPage]:
    def seconds(value: float | datetime.datetime | None) -> Any:
        if isinstance(value, datetime.datetime):
            return value.timestamp()
        return _set(value)

    query = {
        "account": _set(account),
        "event": _set(event),
        "since": seconds(since),
        "until": seconds(until),
        "limit": _set(limit),
        "cursor": _set(cursor),
    }
    page = parsed((yield Call(read_audit_log, query)), AuditPage)
    return AuditLogPage(
        [
            AuditRecord(
                at=e.at,
                event=e.event,
                principal_id=e.principal_id if isinstance(e.principal_id, str) else None,
                name=e.name if isinstance(e.name, str) else None,
                client=e.client if isinstance(e.client, str) else None,
                detail=dict(e.detail.additional_properties),
            )
            for e in page.events
        ],
        page.next_cursor if isinstance(page.next_cursor, str) else None,
    )


# -- the two faces ------------------------------------------------------------------------


class Admin:
    """`client.admin` of a synchronous `Client`."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list_accounts(
        self,
        *,
        kind: str | None = None,
        domain: str | None = None,
        disabled: bool | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> AccountsPage:
        """One page of accounts, oldest first (see `iter_accounts` for all of them)."""
        return self._client._run(_list_accounts(kind, domain, disabled, limit, cursor))

    def iter_accounts(
        self,
        *,
        kind: str | None = None,
        domain: str | None = None,
        disabled: bool | None = None,
        page_size: int | None = None,
    ) -> Iterator[ManagedAccount]:
        """Every matching account, page after page."""
        cursor: str | None = None
        while True:
            page = self.list_accounts(
                kind=kind, domain=domain, disabled=disabled, limit=page_size, cursor=cursor
            )
            yield from page.accounts
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def get_account(self, name: str) -> ManagedAccount:
        return self._client._run(_get_account(name))

    def disable_account(self, name: str) -> ManagedAccount:
        """Disable it: its sessions end at once and it cannot log in until enabled."""
        return self._client._run(_set_disabled(name, True))

    def enable_account(self, name: str) -> ManagedAccount:
        return self._client._run(_set_disabled(name, False))

    def delete_account(self, name: str) -> None:
        """Delete it and all it owns; its name and domain become free again."""
        self._client._run(_delete_account(name))

    def reset_mfa(self, name: str) -> str:
        """A recovery invite for the account's owner (single use, 24 hours)."""
        return self._client._run(_reset_mfa(name))

    def list_invites(self) -> list[OutstandingInvite]:
        return self._client._run(_list_invites())

    def revoke_invite(self, invite_id: str) -> None:
        self._client._run(_revoke_invite(invite_id))

    def audit(
        self,
        *,
        account: str | None = None,
        event: str | None = None,
        since: float | datetime.datetime | None = None,
        until: float | datetime.datetime | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> AuditLogPage:
        """One page of the audit log, newest first (see `iter_audit`)."""
        return self._client._run(_audit(account, event, since, until, limit, cursor))

    def iter_audit(
        self,
        *,
        account: str | None = None,
        event: str | None = None,
        since: float | datetime.datetime | None = None,
        until: float | datetime.datetime | None = None,
        page_size: int | None = None,
    ) -> Iterator[AuditRecord]:
        """Every matching audit event, newest first, page after page."""
        cursor: str | None = None
        while True:
            page = self.audit(
                account=account,
                event=event,
                since=since,
                until=until,
                limit=page_size,
                cursor=cursor,
            )
            yield from page.events
            if page.next_cursor is None:
                return
            cursor = page.next_cursor


class AsyncAdmin:
    """`client.admin` of an `AsyncClient`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list_accounts(
        self,
        *,
        kind: str | None = None,
        domain: str | None = None,
        disabled: bool | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> AccountsPage:
        return await self._client._run(_list_accounts(kind, domain, disabled, limit, cursor))

    async def iter_accounts(
        self,
        *,
        kind: str | None = None,
        domain: str | None = None,
        disabled: bool | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[ManagedAccount]:
        cursor: str | None = None
        while True:
            page = await self.list_accounts(
                kind=kind, domain=domain, disabled=disabled, limit=page_size, cursor=cursor
            )
            for account in page.accounts:
                yield account
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def get_account(self, name: str) -> ManagedAccount:
        return await self._client._run(_get_account(name))

    async def disable_account(self, name: str) -> ManagedAccount:
        return await self._client._run(_set_disabled(name, True))

    async def enable_account(self, name: str) -> ManagedAccount:
        return await self._client._run(_set_disabled(name, False))

    async def delete_account(self, name: str) -> None:
        await self._client._run(_delete_account(name))

    async def reset_mfa(self, name: str) -> str:
        return await self._client._run(_reset_mfa(name))

    async def list_invites(self) -> list[OutstandingInvite]:
        return await self._client._run(_list_invites())

    async def revoke_invite(self, invite_id: str) -> None:
        await self._client._run(_revoke_invite(invite_id))

    async def audit(
        self,
        *,
        account: str | None = None,
        event: str | None = None,
        since: float | datetime.datetime | None = None,
        until: float | datetime.datetime | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> AuditLogPage:
        return await self._client._run(_audit(account, event, since, until, limit, cursor))

    async def iter_audit(
        self,
        *,
        account: str | None = None,
        event: str | None = None,
        since: float | datetime.datetime | None = None,
        until: float | datetime.datetime | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[AuditRecord]:
        cursor: str | None = None
        while True:
            page = await self.audit(
                account=account,
                event=event,
                since=since,
                until=until,
                limit=page_size,
                cursor=cursor,
            )
            for record in page.events:
                yield record
            if page.next_cursor is None:
                return
            cursor = page.next_cursor
