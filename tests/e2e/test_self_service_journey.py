"""Self-service with the SDK (sync and async) against the example app under hypercorn:
own sessions, own invitations, a password login's password change, and `me`'s unused
recovery codes. Each test gets a fresh server and data directory."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from invite_auth import AsyncClient, Client
from invite_auth import errors as e
from invite_auth._flows import invitation_ref
from invite_auth.opaque import Argon2idKSF

from .server import Server, running

FAST_KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "andrea's password"
NEW_PASSWORD = "andrea's new password"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running(tmp_path / "data", secret=secrets.token_hex(32)) as live:
        yield live


def test_self_service_journey_with_the_sync_client(server: Server) -> None:
    with (
        Client(server.url) as first,
        Client(server.url) as second,
        Client(server.url) as third,
        Client(server.url) as bob,
    ):
        andrea = first.initial_setup("Andrea", PASSWORD)
        second.password_login("Andrea", PASSWORD)
        # -- sessions: listed with the current one marked; a revoked one is gone at once
        listed = first.sessions()
        assert [s.current for s in listed] == [True, False]
        assert all(s.client == "127.0.0.1" for s in listed)
        assert listed[0].expires_at > listed[0].last_used_at
        assert [s.current for s in second.sessions()] == [False, True]
        first.revoke_session(listed[1].id)
        with pytest.raises(e.Unauthenticated):
            second.me()
        with pytest.raises(e.SessionNotFound):
            first.revoke_session(listed[1].id)
        third.password_login("Andrea", PASSWORD)
        assert first.revoke_other_sessions() == 1
        with pytest.raises(e.Unauthenticated):
            third.me()
        assert first.me().id == andrea.id

        # -- invitations: listed by ref, revoked by id or by ref, then 404 for everyone
        kept = first.create_invitation()
        by_id = first.create_invitation()
        by_ref = first.create_invitation()
        refs = [i.ref for i in first.invitations()]
        assert sorted(refs) == sorted(invitation_ref(i.id) for i in (kept, by_id, by_ref))
        first.revoke_invitation(by_id.id)
        first.revoke_invitation(invitation_ref(by_ref.id))
        assert [i.ref for i in first.invitations()] == [invitation_ref(kept.id)]
        for gone in (by_id, by_ref):
            with pytest.raises(e.InvitationNotFound):
                bob.show_invitation(gone.id)
            with pytest.raises(e.InvitationNotFound):
                bob.accept_invitation(gone.id, "Bob", "bob's password")
            with pytest.raises(e.InvitationNotFound):
                first.revoke_invitation(gone.id)

        # -- another login sees none of it and can revoke none of it
        bob.accept_invitation(kept.id, "Bob", "bob's password")
        assert bob.invitations() == []
        assert first.invitations() == []  # accepted: no longer outstanding
        pending = first.create_invitation()
        with pytest.raises(e.InvitationNotFound):
            bob.revoke_invitation(pending.id)
        assert bob.show_invitation(pending.id).issuer_name == "Andrea"
        [mine] = first.sessions()
        with pytest.raises(e.SessionNotFound):
            bob.revoke_session(mine.id)
        assert [s.current for s in bob.sessions()] == [True]

        # -- password change: the others end, the old password stops working at once
        second.password_login("Andrea", PASSWORD)
        with pytest.raises(e.LoginFailed):
            first.change_login_password("not my password", NEW_PASSWORD)
        with pytest.raises(e.InvalidPassword):
            first.change_login_password(PASSWORD, "short")
        assert first.change_login_password(PASSWORD, NEW_PASSWORD) == 1
        with pytest.raises(e.Unauthenticated):
            second.me()
        with pytest.raises(e.LoginFailed):
            second.password_login("Andrea", PASSWORD)
        second.password_login("Andrea", NEW_PASSWORD)
        assert first.me().recovery_codes_remaining is None  # a password login has none

        # -- revoking the current session logs this client out
        current = next(s for s in first.sessions() if s.current)
        first.revoke_session(current.id)
        assert first.token is None
        with pytest.raises(e.Unauthenticated):
            first.me()
        assert second.me().id == andrea.id


async def test_self_service_journey_with_the_async_client(server: Server) -> None:
    async with (
        AsyncClient(server.url, ksf=FAST_KSF) as root,
        AsyncClient(server.url) as login,
        AsyncClient(server.url) as other,
    ):
        registered = await root.register(server.root_invite(), "root", "root password")
        await root.login("root", "root password", recovery_code=registered.recovery_codes[0])
        # `me` counts the unused recovery codes of an OPAQUE account
        assert (await root.me()).recovery_codes_remaining == 9
        await root.login(
            "root", "root password", totp_code=pyotp.TOTP(registered.totp_secret).now()
        )
        assert (await root.me()).recovery_codes_remaining == 9
        with pytest.raises(e.WrongAccountKind):
            await root.change_login_password("root password", NEW_PASSWORD)
        # an OPAQUE account's sessions are listed and revoked like any others
        assert len(await root.sessions()) == 2
        assert await root.revoke_other_sessions() == 1

        invitation = await root.create_invitation()
        spare = await root.create_invitation()
        assert len(await root.invitations()) == 2
        await root.revoke_invitation(spare.id)
        assert [i.ref for i in await root.invitations()] == [invitation_ref(invitation.id)]
        with pytest.raises(e.InvitationNotFound):
            await other.show_invitation(spare.id)

        await login.accept_invitation(invitation.id, "Andrea", PASSWORD)
        await other.password_login("Andrea", PASSWORD)
        assert (await login.me()).recovery_codes_remaining is None
        assert await login.change_login_password(PASSWORD, NEW_PASSWORD) == 1
        with pytest.raises(e.Unauthenticated):
            await other.me()
        with pytest.raises(e.LoginFailed):
            await other.password_login("Andrea", PASSWORD)
        await other.password_login("Andrea", NEW_PASSWORD)
        [theirs, mine] = await other.sessions()
        assert mine.current
        assert not theirs.current
        with pytest.raises(e.SessionNotFound):
            await root.revoke_session(theirs.id)
        await other.revoke_session(theirs.id)
        with pytest.raises(e.Unauthenticated):
            await login.me()
        await other.revoke_session(mine.id)
        assert other.token is None
