"""The SDK against the example app under hypercorn on 127.0.0.1: sync, async and the command.

Each test gets a fresh server and data directory, so each can bootstrap its own root.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest

from invite_auth import AsyncClient, Client
from invite_auth import errors as e
from invite_auth.opaque import Argon2idKSF, generate_ke1
from tests.plugin.helpers import b64e

from .server import Server, running

# Real Argon2id with cheap parameters where many logins run; one journey uses the default.
FAST_KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)
FAST_KSF_FLAGS = ["--ksf-time-cost", "1", "--ksf-memory-cost", "1024", "--ksf-parallelism", "1"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running(tmp_path / "data", secret=secrets.token_hex(32)) as live:
        yield live


def totp(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def test_accounts_journey_with_the_sync_client(server: Server) -> None:
    # The default KSF (Argon2id t=3, m=64 MiB, p=4) for root: what real clients use.
    with Client(server.url) as root:
        registered = root.register(server.root_invite(), "root", "root's long passphrase")
        assert registered.account.privileged
        assert len(registered.recovery_codes) == 10
        assert registered.otpauth_uri.startswith("otpauth://totp/")
        with pytest.raises(e.InviteUsed):
            root.register(server.root_invite(), "root", "again")
        session = root.login(
            "root", "root's long passphrase", totp_code=totp(registered.totp_secret)
        )
        assert session.name == "root"
        assert root.me().name == "root"
        invite = root.create_site_invite("owner.example", "owner")
        assert (invite.domain, invite.account) == ("owner.example", "owner")

    with Client(server.url, ksf=FAST_KSF) as owner:
        owner_mfa = owner.register(invite.invite_token, "owner", "owner password")
        assert not owner_mfa.account.privileged
        assert owner_mfa.account.domain == "owner.example"
        owner.login("owner", "owner password", totp_code=totp(owner_mfa.totp_secret))
        assert owner.me().name == "owner"
        owner.logout()
        code = owner_mfa.recovery_codes[3]
        owner.login("owner", "owner password", recovery_code=code.lower().replace("-", " "))
        with pytest.raises(e.NotPrivileged) as refused:
            owner.create_site_invite("other.example", "other")
        assert refused.value.status == 403
        token = owner.token
        owner.logout()
        with pytest.raises(e.MfaInvalid):
            owner.login("owner", "owner password", recovery_code=code)
        with pytest.raises(e.LoginFailed):
            owner.login("owner", "wrong password", totp_code="000000")
        with pytest.raises(e.Unauthenticated):
            owner.me()

    # the revoked token is useless to anyone who kept it
    with Client(server.url, token=token) as stale, pytest.raises(e.Unauthenticated):
        stale.me()


async def test_accounts_journey_with_the_async_client(server: Server) -> None:
    async with AsyncClient(server.url, ksf=FAST_KSF) as root:
        registered = await root.register(server.root_invite(), "root", "root password")
        await root.login("root", "root password", totp_code=totp(registered.totp_secret))
        invite = await root.create_site_invite("owner.example", "owner")
        with pytest.raises(e.AccountExists):
            await root.create_site_invite("root.example", "root")
    async with AsyncClient(server.url, ksf=FAST_KSF) as owner:
        owner_mfa = await owner.register(invite.invite_token, "owner", "owner password")
        await owner.login("owner", "owner password", recovery_code=owner_mfa.recovery_codes[0])
        me = await owner.me()
        assert (me.name, me.domain) == ("owner", "owner.example")
        await owner.logout()
        with pytest.raises(e.LoginFailed):
            await owner.login("nobody", "owner password", totp_code="123456")


def test_invitations_journey_with_the_sync_client(server: Server) -> None:
    with Client(server.url) as first:
        andrea = first.initial_setup("Andrea", "andrea's password")
        with pytest.raises(e.SetupDone):
            first.initial_setup("Other", "other password")
        invitation = first.create_invitation()
        assert invitation.issuer == andrea.id
    with Client(server.url) as invitee:
        shown = invitee.show_invitation(invitation.id)  # no session needed
        assert (shown.issuer_id, shown.issuer_name) == (andrea.id, "Andrea")
        with pytest.raises(e.NameTaken):
            invitee.accept_invitation(invitation.id, "andrea", "bob's password")
        bob = invitee.accept_invitation(invitation.id, "Bob", "bob's password")
        assert invitee.me().id == bob.id
        with pytest.raises(e.InvitationNotFound):
            invitee.show_invitation(invitation.id)
        invitee.password_logout()
        with pytest.raises(e.Unauthenticated):
            invitee.me()
        with pytest.raises(e.LoginFailed):
            invitee.password_login("Bob", "not bob's password")
        assert invitee.password_login("Bob", "bob's password").id == bob.id
        assert invitee.me().name == "Bob"


async def test_invitations_journey_with_the_async_client(server: Server) -> None:
    async with AsyncClient(server.url) as first:
        await first.initial_setup("Andrea", "andrea's password")
        invitation = await first.create_invitation()
    async with AsyncClient(server.url) as invitee:
        assert (await invitee.show_invitation(invitation.id)).issuer_name == "Andrea"
        bob = await invitee.accept_invitation(invitation.id, "Bob", "bob's password")
        await invitee.password_logout()
        assert (await invitee.password_login("Bob", "bob's password")).id == bob.id
        assert (await invitee.me()).name == "Bob"
        await invitee.password_logout()


# -- the `invite-auth` command ------------------------------------------------------------


def invite_auth_command() -> list[str]:
    """The console script this distribution installs, next to the interpreter."""
    script = Path(sys.executable).parent / "invite-auth"
    assert script.exists(), "the invite-auth console script is not installed"
    return [str(script)]


class Cli:
    def __init__(self, server: Server, home: Path) -> None:
        self.server = server
        self.env = {
            **os.environ,
            "INVITE_AUTH_SERVER": server.url,
            "INVITE_AUTH_CONFIG_DIR": str(home),
        }
        self.home = home

    def run(self, *args: str, stdin: str = "", expect: int = 0) -> str:
        done = subprocess.run(
            [*invite_auth_command(), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
        )
        assert done.returncode == expect, (done.returncode, done.stdout, done.stderr)
        return done.stdout if expect == 0 else done.stderr


def parse_registration(output: str) -> tuple[str, list[str]]:
    secret = re.search(r"secret: ([A-Z2-7]+)", output)
    assert secret, output
    codes = re.findall(r"^  ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})$", output, re.MULTILINE)
    assert len(codes) == 10, output
    return secret.group(1), codes


def test_accounts_journey_with_the_command(server: Server, tmp_path: Path) -> None:
    cli = Cli(server, tmp_path / "config")
    out = cli.run(
        "register",
        server.root_invite(),
        "root",
        "--password-stdin",
        *FAST_KSF_FLAGS,
        stdin="root password\n",
    )
    assert "\u2580" in out or "\u2584" in out or "\u2588" in out  # the QR code, drawn in blocks
    assert "Store them now" in out
    secret, _ = parse_registration(out)
    cli.run(
        "login",
        "root",
        "--password-stdin",
        "--totp-code",
        totp(secret),
        *FAST_KSF_FLAGS,
        stdin="root password\n",
    )
    sessions = tmp_path / "config" / "sessions.json"
    assert stat.S_IMODE(sessions.stat().st_mode) == 0o600
    assert stat.S_IMODE(sessions.parent.stat().st_mode) == 0o700
    assert cli.run("whoami").strip() == "root"
    invite = cli.run("invite", "--domain", "owner.example", "--account", "owner", "--json")
    token = json.loads(invite)["invite_token"]

    owner = Cli(server, tmp_path / "owner-config")
    _, codes = parse_registration(
        owner.run(
            "register",
            token,
            "owner",
            "--password-stdin",
            *FAST_KSF_FLAGS,
            stdin="owner password\n",
        )
    )
    owner.run(
        "login",
        "owner",
        "--password-stdin",
        "--recovery-code",
        codes[0],
        *FAST_KSF_FLAGS,
        stdin="owner password\n",
    )
    assert owner.run("whoami").strip() == "owner"
    refused = owner.run("invite", "--domain", "x.example", "--account", "x", expect=1)
    assert "not_privileged" in refused
    owner.run("logout")
    assert f"not logged in to {server.url}" in owner.run("whoami", expect=1)
    again = owner.run(
        "login",
        "owner",
        "--password-stdin",
        "--recovery-code",
        codes[0],
        *FAST_KSF_FLAGS,
        stdin="owner password\n",
        expect=1,
    )
    assert "mfa_invalid" in again
    # the command kept the owner's device token past logout, and sends it: a stranger's
    # guesses at the name make others wait, not the owner
    saved = json.loads((tmp_path / "owner-config" / "sessions.json").read_text())
    assert saved[server.url]["device_tokens"]["owner"].startswith("d1.")
    with httpx.Client(base_url=server.url) as stranger:
        for i in range(6):
            ke1, _ = generate_ke1(b"guess %d" % i)
            body = {"account": "owner", "ke1": b64e(ke1.to_bytes())}
            stranger.post("/accounts/login/start", json=body)
        ke1, _ = generate_ke1(b"one more")
        body = {"account": "owner", "ke1": b64e(ke1.to_bytes())}
        assert stranger.post("/accounts/login/start", json=body).status_code == 429
    owner.run(
        "login",
        "owner",
        "--password-stdin",
        "--recovery-code",
        codes[1],
        *FAST_KSF_FLAGS,
        stdin="owner password\n",
    )
    assert owner.run("whoami").strip() == "owner"


def test_invitations_journey_with_the_command(server: Server, tmp_path: Path) -> None:
    first = Cli(server, tmp_path / "first")
    first.run("setup", "--name", "Andrea", "--password-stdin", stdin="andrea's password\n")
    invitation_id = json.loads(first.run("invitation", "create", "--json"))["id"]
    assert invitation_id.startswith("I")
    invitee = Cli(server, tmp_path / "invitee")
    assert "from Andrea" in invitee.run("invitation", "show", invitation_id)
    invitee.run(
        "invitation",
        "accept",
        invitation_id,
        "--name",
        "Bob",
        "--password-stdin",
        stdin="bob's password\n",
    )
    assert invitee.run("whoami").strip() == "Bob"
    invitee.run("logout")
    invitee.run("password-login", "Bob", "--password-stdin", stdin="bob's password\n")
    assert invitee.run("whoami").strip() == "Bob"
    assert "invitation_not_found" in invitee.run("invitation", "show", invitation_id, expect=1)


def test_command_exit_codes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "INVITE_AUTH_SERVER"}
    env["INVITE_AUTH_CONFIG_DIR"] = str(tmp_path)
    usage = subprocess.run(
        [*invite_auth_command(), "whoami"], capture_output=True, text=True, env=env, timeout=60
    )
    assert usage.returncode == 2
    assert "no server" in usage.stderr
    unreachable = subprocess.run(
        [*invite_auth_command(), "invitation", "show", "Ixyz", "--server", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert unreachable.returncode == 3
    assert "cannot reach" in unreachable.stderr
    helped = subprocess.run(
        [*invite_auth_command(), "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert helped.returncode == 0
    assert "exit codes" in helped.stdout


async def test_errors_the_server_answers_become_typed_exceptions(server: Server) -> None:
    async with AsyncClient(server.url, ksf=FAST_KSF) as client:
        registered = await client.register(server.root_invite(), "root", "root password")
        # KE2 alone lets a client test a guess, so every start counts until KE3 proves
        # the password: after the free failures (5), even the right password waits.
        for _ in range(5):
            with pytest.raises(e.LoginFailed) as failed:
                await client.login("root", "a guess", totp_code="000000")
            assert failed.value.status is None  # noticed by the client, not the server
        with pytest.raises(e.RateLimited) as limited:
            await client.login("root", "root password", totp_code=totp(registered.totp_secret))
        assert limited.value.status == 429
        assert limited.value.retry_after is not None
        assert limited.value.retry_after > 0
    # a wrong base URL reaches the host app's own 404 page, not a problem document
    async with AsyncClient(server.url + "/not-here") as lost:
        with pytest.raises(e.ApiError) as caught:
            await lost.show_invitation("Iabc")
        assert caught.value.status == 404
