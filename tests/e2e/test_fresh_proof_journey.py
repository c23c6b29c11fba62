"""The SDK's fresh-proof operations and MFA recovery against the example app under
hypercorn on 127.0.0.1, with the sync and the async client.

TOTP codes are accepted once per 30-second step, so the journeys use recovery codes for
most second factors, and a code of the next step (within the accepted drift) where a
second TOTP code is needed soon after the first."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from quart import Quart

from invite_auth import AsyncClient, Client
from invite_auth import errors as e
from invite_auth.opaque import Argon2idKSF
from quart_invite_auth import InviteAuth
from quart_invite_auth.services.recovery import issue_recovery_invite

from .server import Server, running

FAST_KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)
SECRET = secrets.token_hex(32)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running(tmp_path / "data", secret=SECRET) as live:
        yield live


async def recovery_invite(server: Server, account: str) -> str:
    """What administration's MFA reset does (its route is another part's): a recovery
    invite from `issue_recovery_invite`, written by a second process into the server's
    LMDB store, which both processes share."""
    app = Quart(__name__)
    auth = InviteAuth(app, data_dir=str(server.data_dir), secret_key=SECRET)
    async with app.test_app():
        principal = await auth.context.store.principal_by_name(account)
        assert principal is not None
        token, expires_at = await issue_recovery_invite(auth.context, principal, None)
        assert expires_at > time.time()
        return token


def next_step(secret: str) -> str:
    """A code of the next time step: accepted now (one step of drift) and not yet used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_fresh_proof_and_recovery_with_the_sync_client(server: Server) -> None:
    with Client(server.url, ksf=FAST_KSF) as owner, Client(server.url, ksf=FAST_KSF) as laptop:
        mfa = owner.register(server.root_invite(), "root", "old password")
        codes = mfa.recovery_codes
        owner.login("root", "old password", totp_code=pyotp.TOTP(mfa.totp_secret).now())
        laptop.login("root", "old password", recovery_code=codes[0])

        # change the password: the laptop's session ends, this one stays
        changed = owner.change_password("old password", "new password", recovery_code=codes[1])
        assert changed.sessions_ended == 1
        assert changed.account.name == "root"
        assert owner.me().name == "root"
        with pytest.raises(e.Unauthenticated):
            laptop.me()
        with pytest.raises(e.LoginFailed):
            laptop.login("root", "old password", recovery_code=codes[2])
        laptop.login("root", "new password", recovery_code=codes[2])
        # a wrong current password is refused, and nothing changes
        with pytest.raises(e.LoginFailed):
            owner.change_password("old password", "third password", recovery_code=codes[3])
        with pytest.raises(ValueError, match="exactly one"):
            owner.change_password("new password", "third password")

        # new recovery codes: the old ones stop working at once
        new_codes = owner.regenerate_recovery_codes("new password", recovery_code=codes[3])
        assert len(new_codes) == 10
        assert not set(new_codes) & set(codes)
        with pytest.raises(e.MfaInvalid):
            laptop.login("root", "new password", recovery_code=codes[4])
        laptop.login("root", "new password", recovery_code=new_codes[0])

        # a new TOTP secret: pending until confirmed
        enrollment = owner.start_totp_reenrollment("new password", recovery_code=new_codes[1])
        assert enrollment.otpauth_uri.startswith("otpauth://totp/")
        assert "totp_secret" not in repr(enrollment)
        with pytest.raises(e.MfaInvalid):
            owner.confirm_totp_reenrollment(pyotp.TOTP(mfa.totp_secret).now())
        assert owner.confirm_totp_reenrollment(pyotp.TOTP(enrollment.totp_secret).now()).name == (
            "root"
        )
        with pytest.raises(e.TotpEnrollmentNotFound):
            owner.confirm_totp_reenrollment(pyotp.TOTP(enrollment.totp_secret).now())
        with pytest.raises(e.MfaInvalid):
            laptop.login("root", "new password", totp_code=next_step(mfa.totp_secret))
        laptop.login("root", "new password", totp_code=next_step(enrollment.totp_secret))

        # MFA recovery with a recovery invite: useless without the password
        invite = asyncio.run(recovery_invite(server, "root"))
        with Client(server.url, ksf=FAST_KSF) as phone_lost:
            with pytest.raises(e.LoginFailed):
                phone_lost.recover_mfa(invite, "root", "wrong password")
            with pytest.raises(e.RecoveryInviteInvalid):
                phone_lost.recover_mfa(invite + "x", "root", "new password")
            recovered = phone_lost.recover_mfa(invite, "root", "new password")
            assert recovered.account.name == "root"
            assert len(recovered.recovery_codes) == 10
            with pytest.raises(e.RecoveryInviteInvalid):
                phone_lost.recover_mfa(invite, "root", "new password")
            with pytest.raises(e.MfaInvalid):
                phone_lost.login("root", "new password", recovery_code=new_codes[2])
            phone_lost.login(
                "root", "new password", totp_code=pyotp.TOTP(recovered.totp_secret).now()
            )
            phone_lost.login("root", "new password", recovery_code=recovered.recovery_codes[0])


async def test_fresh_proof_and_recovery_with_the_async_client(server: Server) -> None:
    async with (
        AsyncClient(server.url, ksf=FAST_KSF) as owner,
        AsyncClient(server.url, ksf=FAST_KSF) as other,
    ):
        mfa = await owner.register(server.root_invite(), "root", "old password")
        codes = mfa.recovery_codes
        await owner.login("root", "old password", recovery_code=codes[0])
        await other.login("root", "old password", recovery_code=codes[1])
        changed = await owner.change_password(
            "old password", "new password", totp_code=pyotp.TOTP(mfa.totp_secret).now()
        )
        assert changed.sessions_ended == 1
        with pytest.raises(e.Unauthenticated):
            await other.me()

        new_codes = await owner.regenerate_recovery_codes("new password", recovery_code=codes[2])
        with pytest.raises(e.MfaInvalid):
            await other.login("root", "new password", recovery_code=codes[3])
        await other.login("root", "new password", recovery_code=new_codes[0])

        enrollment = await owner.start_totp_reenrollment("new password", recovery_code=new_codes[1])
        await owner.confirm_totp_reenrollment(pyotp.TOTP(enrollment.totp_secret).now())
        await other.login("root", "new password", totp_code=next_step(enrollment.totp_secret))

        invite = await recovery_invite(server, "root")
        recovered = await other.recover_mfa(invite, "root", "new password")
        with pytest.raises(e.MfaInvalid):
            await other.login("root", "new password", recovery_code=new_codes[2])
        await other.login("root", "new password", recovery_code=recovered.recovery_codes[0])

        # a password login has no OPAQUE password to prove
        invitation = await owner.create_invitation()
        async with AsyncClient(server.url, ksf=FAST_KSF) as andrea:
            await andrea.accept_invitation(invitation.id, "Andrea", "andrea's password")
            with pytest.raises(e.WrongAccountKind):
                await andrea.regenerate_recovery_codes("andrea's password", totp_code="123456")
            with pytest.raises(e.WrongAccountKind):
                await andrea.confirm_totp_reenrollment("123456")
