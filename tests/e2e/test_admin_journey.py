"""Administration through the SDK (`client.admin`, sync and async) against the example
app under hypercorn on 127.0.0.1."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from invite_auth import AsyncClient, Client
from invite_auth import errors as e
from invite_auth.opaque import Argon2idKSF

from .server import Server, running

FAST_KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running(tmp_path / "data", secret=secrets.token_hex(32)) as live:
        yield live


def test_administration_with_the_sync_client(server: Server) -> None:
    with (
        Client(server.url, ksf=FAST_KSF) as root,
        Client(server.url, ksf=FAST_KSF) as owner,
        Client(server.url, ksf=FAST_KSF) as andrea,
    ):
        root_mfa = root.register(server.root_invite(), "root", "root password")
        root.login("root", "root password", totp_code=pyotp.TOTP(root_mfa.totp_secret).now())
        invite = root.create_site_invite("owner.example", "owner")
        codes = owner.register(invite.invite_token, "owner", "owner password").recovery_codes
        owner.login("owner", "owner password", recovery_code=codes[0])
        invitation = root.create_invitation()
        andrea.accept_invitation(invitation.id, "Andrea", "andrea's password")

        # accounts: listed, paged, shown
        page = root.admin.list_accounts()
        assert [a.name for a in page.accounts] == ["root", "owner", "Andrea"]
        assert page.next_cursor is None
        assert [a.name for a in root.admin.iter_accounts(page_size=1)] == [
            "root",
            "owner",
            "Andrea",
        ]
        first = root.admin.list_accounts(limit=2)
        assert first.next_cursor is not None
        rest = root.admin.list_accounts(limit=2, cursor=first.next_cursor)
        assert [a.name for a in rest.accounts] == ["Andrea"]
        assert [a.name for a in root.admin.list_accounts(kind="password").accounts] == ["Andrea"]
        shown = root.admin.get_account("owner")
        assert (shown.domain, shown.sessions, shown.recovery_codes_remaining) == (
            "owner.example",
            1,
            9,
        )
        assert shown.invited_by == "root"
        with pytest.raises(e.AccountNotFound):
            root.admin.get_account("nobody")
        with pytest.raises(e.NotPrivileged):
            andrea.admin.list_accounts()
        with pytest.raises(e.NotPrivileged):
            owner.admin.audit()

        # disabled: its session ends at once, it cannot log in; enabled: it can
        assert root.admin.disable_account("owner").disabled
        with pytest.raises(e.Unauthenticated):
            owner.me()
        with pytest.raises(e.AccountDisabled):
            owner.login("owner", "owner password", recovery_code=codes[1])
        assert [a.name for a in root.admin.iter_accounts(disabled=True)] == ["owner"]
        assert not root.admin.enable_account("owner").disabled
        owner.login("owner", "owner password", recovery_code=codes[1])
        assert owner.me().name == "owner"
        with pytest.raises(e.CannotAdministerSelf):
            root.admin.disable_account("root")
        with pytest.raises(e.CannotAdministerSelf):
            root.admin.delete_account("root")

        # MFA reset: a recovery invite for an OPAQUE account only
        recovery_invite = root.admin.reset_mfa("owner")
        assert len(recovery_invite) >= 40
        with pytest.raises(e.NotOpaqueAccount):
            root.admin.reset_mfa("andrea")

        # invite tokens: listed without the token, revoked, refused at registration
        spare = root.create_site_invite("spare.example", "spare")
        [listed] = root.admin.list_invites()
        assert (listed.account, listed.domain, listed.privileged, listed.issued_by) == (
            "spare",
            "spare.example",
            False,
            "root",
        )
        root.admin.revoke_invite(listed.id)
        assert root.admin.list_invites() == []
        with pytest.raises(e.InviteNotFound):
            root.admin.revoke_invite(listed.id)
        with Client(server.url, ksf=FAST_KSF) as spare_owner:
            with pytest.raises(e.InviteRevoked) as revoked:
                spare_owner.register(spare.invite_token, "spare", "spare password")
            assert revoked.value.status == 410

        # deleted: gone at once, the name free again
        root.admin.delete_account("Andrea")
        with pytest.raises(e.Unauthenticated):
            andrea.me()
        with pytest.raises(e.LoginFailed):
            andrea.password_login("Andrea", "andrea's password")
        with pytest.raises(e.AccountNotFound):
            root.admin.delete_account("andrea")
        again = root.create_invitation()
        andrea.accept_invitation(again.id, "Andrea", "a new password")
        assert root.admin.get_account("andrea").name == "Andrea"

        # the audit log: newest first, filtered, paged
        deleted = root.admin.audit(event="account_deleted")
        assert [(r.name, r.detail["by_name"]) for r in deleted.events] == [("Andrea", "root")]
        everything = root.admin.audit(limit=500)
        assert everything.next_cursor is None
        assert list(root.admin.iter_audit(page_size=3)) == everything.events
        about_owner = root.admin.audit(account="owner")
        assert "account_disabled" in [r.event for r in about_owner.events]
        since = everything.events[0].at
        assert all(r.at >= since for r in root.admin.audit(since=since).events)


async def test_administration_with_the_async_client(server: Server) -> None:
    async with (
        AsyncClient(server.url, ksf=FAST_KSF) as root,
        AsyncClient(server.url, ksf=FAST_KSF) as andrea,
    ):
        root_mfa = await root.register(server.root_invite(), "root", "root password")
        await root.login("root", "root password", totp_code=pyotp.TOTP(root_mfa.totp_secret).now())
        invitation = await root.create_invitation()
        await andrea.accept_invitation(invitation.id, "Andrea", "andrea's password")
        names = [a.name async for a in root.admin.iter_accounts(page_size=1)]
        assert names == ["root", "Andrea"]
        assert (await root.admin.get_account("andrea")).sessions == 1
        with pytest.raises(e.NotPrivileged):
            await andrea.admin.get_account("root")
        assert (await root.admin.disable_account("andrea")).disabled
        with pytest.raises(e.Unauthenticated):
            await andrea.me()
        with pytest.raises(e.AccountDisabled):
            await andrea.password_login("Andrea", "andrea's password")
        await root.admin.enable_account("andrea")
        await andrea.password_login("Andrea", "andrea's password")
        with pytest.raises(e.NotOpaqueAccount):
            await root.admin.reset_mfa("andrea")
        assert await root.admin.reset_mfa("root")
        site = await root.create_site_invite("site.example", "site")
        [listed] = await root.admin.list_invites()
        await root.admin.revoke_invite(listed.id)
        async with AsyncClient(server.url, ksf=FAST_KSF) as newcomer:
            with pytest.raises(e.InviteRevoked):
                await newcomer.register(site.invite_token, "site", "site password")
        await root.admin.delete_account("andrea")
        with pytest.raises(e.Unauthenticated):
            await andrea.me()
        page = await root.admin.audit(event="account_deleted")
        assert [r.name for r in page.events] == ["Andrea"]
        records = [r async for r in root.admin.iter_audit(page_size=2)]
        assert records == (await root.admin.audit(limit=500)).events
