"""Seed 000, the whole journey through the Quart test client with the OPAQUE core as client."""

from __future__ import annotations

from quart.typing import TestClientProtocol

from quart_invite_auth import InviteAuth

from .conftest import Clock
from .helpers import OpaqueUser


async def test_root_invites_owner_who_registers_and_logs_in(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    # bootstrap root → root registers and opens its sealed bundle
    root = OpaqueUser(client, "root", b"root password, long and secret")
    registered = await root.register(await auth.bootstrap_invite())
    assert registered.account["privileged"] is True
    assert registered.account["name"] == "root"
    assert len(registered.totp_secret) >= 32
    assert registered.otpauth_uri.startswith("otpauth://totp/")
    assert len(registered.recovery_codes) == 10

    # root logs in with a TOTP code
    status, body = await root.login(totp_code=root.totp(clock.now))
    assert status == 200, body
    assert body["token_type"] == "Bearer"
    assert body["account"]["name"] == "root"

    # root invites a site owner
    invite = await client.get(
        "/accounts/invite",
        query_string={"domain": "owner.example", "account": "owner"},
        headers=root.auth(),
    )
    assert invite.status_code == 200, await invite.get_json()
    invite_body = await invite.get_json()
    assert invite_body["domain"] == "owner.example"
    assert invite_body["account"] == "owner"

    # the owner registers, then logs in with TOTP
    owner = OpaqueUser(client, "owner", "pässwörd of the owner".encode())
    owner_reg = await owner.register(invite_body["invite_token"])
    assert owner_reg.account["domain"] == "owner.example"
    assert owner_reg.account["privileged"] is False
    status, body = await owner.login(totp_code=owner.totp(clock.now))
    assert status == 200, body

    me = await client.get("/accounts/me", headers=owner.auth())
    assert (await me.get_json())["name"] == "owner"

    # ... with a recovery code, in another format than shown
    code = owner_reg.recovery_codes[3]
    status, body = await owner.login(recovery_code=code.lower().replace("-", " "))
    assert status == 200, body

    # the same recovery code is refused
    status, body = await owner.login(recovery_code=code)
    assert status == 401
    assert body["code"] == "mfa_invalid"

    # logout makes the token useless
    token_headers = owner.auth()
    out = await client.post("/accounts/logout", headers=token_headers)
    assert out.status_code == 204
    me = await client.get("/accounts/me", headers=token_headers)
    assert me.status_code == 401
    assert (await me.get_json())["code"] == "unauthenticated"

    events = [e.event for e in await auth.context.store.audit_events()]
    for expected in (
        "invite_issued",
        "invite_used",
        "registered",
        "login",
        "recovery_code_used",
        "login_failed",
        "logout",
    ):
        assert expected in events
