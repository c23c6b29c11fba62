"""The account lifecycle with the `invite-auth` command against the example app under
hypercorn (issue 13): sessions, own invitations, passwords, the second factor, and
administration. Each journey checks what changed on the server and what stopped working."""

from __future__ import annotations

import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from .server import Server, running
from .test_cli_first_steps import Command, one_line
from .test_sdk_journeys import FAST_KSF_FLAGS, invite_auth_command, parse_registration


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running(tmp_path / "data", secret=secrets.token_hex(32)) as live:
        yield live


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout)


def next_code(secret: str) -> str:
    """The code of the next 30-second step: accepted (the server allows one step of clock
    drift) and never a replay of a code used in this step."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_sessions_invitations_and_a_login_password(server: Server, tmp_path: Path) -> None:
    andrea = Command(tmp_path / "andrea", server.url)
    andrea("setup", "--name", "Andrea", "--password-stdin", stdin="andrea's password\n")
    laptop = Command(tmp_path / "laptop", server.url)
    laptop("password-login", "Andrea", "--password-stdin", stdin="andrea's password\n")

    listed = as_json(andrea("sessions", "--json"))
    assert len(listed) == 2
    assert [s["current"] for s in listed].count(True) == 1
    mine = next(s for s in listed if s["current"])
    other = next(s for s in listed if not s["current"])
    assert other["client"] == "127.0.0.1"
    assert other["user_agent"].startswith("python-httpx/")
    table = andrea("sessions").stdout
    assert f"* {mine['id']}" in table
    assert f"  {other['id']}" in table

    assert andrea("sessions", "revoke", other["id"]).stdout == f"Ended session {other['id']}.\n"
    ended = laptop("whoami", expect=1).stderr
    assert one_line(ended).endswith("the session has ended, log in again\n")
    laptop("password-login", "Andrea", "--password-stdin", stdin="andrea's password\n")
    assert andrea("sessions", "revoke", "--others").stdout == (
        "Ended 1 other session; this one stays.\n"
    )
    laptop("whoami", expect=1)
    assert len(as_json(andrea("sessions", "--json"))) == 1

    # Own invitations: listed by ref, revoked by link or ref.
    first = as_json(andrea("invitation", "create", "--json"))
    second = as_json(andrea("invitation", "create", "--json"))
    refs = {i["ref"] for i in as_json(andrea("invitation", "list", "--json"))}
    assert len(refs) == 2
    assert "REF" in andrea("invitation", "list").stdout
    assert andrea("invitation", "revoke", first["url"] + "/").stdout == (
        f"Revoked invitation {first['id']}: its link no longer works.\n"
    )
    stranger = Command(tmp_path / "stranger", server.url)
    assert "invitation_not_found" in stranger("invitation", "show", first["url"], expect=1).stderr
    (left,) = as_json(andrea("invitation", "list", "--json"))
    # Someone else cannot revoke it (it is not theirs: not found).
    stranger(
        "invitation",
        "accept",
        second["url"],
        "--name",
        "Bob",
        "--password-stdin",
        stdin="bob's password\n",
    )
    assert "invitation_not_found" in stranger("invitation", "revoke", left["ref"], expect=1).stderr
    assert andrea("invitation", "list").stdout == "No outstanding invitations.\n"

    # The login's password (found to be a login from the session): other sessions end.
    laptop("password-login", "Andrea", "--password-stdin", stdin="andrea's password\n")
    changed = andrea("password", "--password-stdin", stdin="andrea's password\nnew words here\n")
    assert changed.stdout == (
        "Password changed; 1 other session ended, this one stays. "
        "The old password no longer works.\n"
    )
    assert andrea("whoami").stdout == "Andrea\n"
    laptop("whoami", expect=1)
    refused = laptop(
        "password-login", "Andrea", "--password-stdin", stdin="andrea's password\n", expect=1
    )
    assert "login_failed" in refused.stderr
    laptop("password-login", "Andrea", "--password-stdin", stdin="new words here\n")

    # The current session revoked by id: the command logs out here too.
    current = next(s for s in as_json(andrea("sessions", "--json")) if s["current"])
    said = andrea("sessions", "revoke", current["id"]).stdout
    assert said == f"Ended session {current['id']}, this one: logged out.\n"
    assert "not logged in to" in andrea("whoami", expect=1).stderr


def register(command: Command, token: str, account: str, password: str) -> tuple[str, list[str]]:
    out = command(
        "register", token, account, "--password-stdin", *FAST_KSF_FLAGS, stdin=f"{password}\n"
    ).stdout
    return parse_registration(out)


def login(
    command: Command, account: str, password: str, *factor: str, expect: int = 0
) -> subprocess.CompletedProcess[str]:
    return command(
        "login",
        account,
        "--password-stdin",
        *factor,
        *FAST_KSF_FLAGS,
        stdin=f"{password}\n",
        expect=expect,
    )


def root_and_owner(server: Server, tmp_path: Path) -> tuple[Command, Command, str, list[str]]:
    """root logged in; owner registered and logged in (with a recovery code: the TOTP
    steps stay free for the test); returns owner's TOTP secret and unused recovery codes."""
    root = Command(tmp_path / "root", server.url)
    root_secret, _ = register(root, server.root_invite(), "root", "root password")
    login(root, "root", "root password", "--totp-code", next_code(root_secret))
    invite = as_json(root("invite", "--domain", "owner.example", "--account", "owner", "--json"))
    owner = Command(tmp_path / "owner", server.url)
    secret, codes = register(owner, invite["invite_token"], "owner", "owner password")
    login(owner, "owner", "owner password", "--recovery-code", codes[0])
    return root, owner, secret, codes[1:]


def test_administration_with_the_command(server: Server, tmp_path: Path) -> None:
    root, owner, _, codes = root_and_owner(server, tmp_path)

    accounts = as_json(root("admin", "accounts", "--json"))["accounts"]
    assert [a["name"] for a in accounts] == ["root", "owner"]
    assert accounts[0]["privileged"]
    assert "owner.example" in root("admin", "accounts", "--kind", "opaque").stdout
    only = as_json(root("admin", "accounts", "--domain", "owner.example", "--json"))
    assert [a["name"] for a in only["accounts"]] == ["owner"]
    paged = as_json(root("admin", "accounts", "--limit", "1", "--json"))
    assert len(paged["accounts"]) == 1
    rest = as_json(root("admin", "accounts", "--cursor", paged["next_cursor"], "--json"))
    assert [a["name"] for a in rest["accounts"]] == ["owner"]
    shown = root("admin", "show", "owner").stdout
    assert "domain:         owner.example" in shown
    assert "recovery codes: 9 unused" in shown

    # Everyone else is refused every operation.
    for argv in (["accounts"], ["show", "root"], ["disable", "root"], ["invites"], ["audit"]):
        refused = owner("admin", *argv, expect=1).stderr
        assert "not_privileged" in one_line(refused), argv
    refused = owner("admin", "delete", "root", "--yes", expect=1).stderr
    assert "not_privileged" in refused

    # Invite tokens: listed without the token, revoked.
    invite = as_json(root("invite", "--domain", "b.example", "--account", "bee", "--json"))
    (listed,) = as_json(root("admin", "invites", "--json"))
    assert (listed["account"], listed["domain"]) == ("bee", "b.example")
    assert invite["invite_token"] not in root("admin", "invites").stdout
    assert root("admin", "revoke-invite", listed["id"]).stdout.startswith("Revoked invite ")
    bee = Command(tmp_path / "bee", server.url)
    revoked = bee(
        "register",
        invite["invite_token"],
        "bee",
        "--password-stdin",
        *FAST_KSF_FLAGS,
        stdin="bee password\n",
        expect=1,
    ).stderr
    assert "invite_revoked" in one_line(revoked)
    assert root("admin", "invites").stdout == "No outstanding invite tokens.\n"

    # Disable: the session ends at once, no login; enable: logins again.
    assert "Disabled 'owner'" in root("admin", "disable", "owner").stdout
    assert as_json(root("admin", "show", "owner", "--json"))["disabled"] is True
    owner("whoami", expect=1)
    disabled = login(owner, "owner", "owner password", "--recovery-code", codes[0], expect=1)
    assert "account_disabled" in disabled.stderr
    assert "owner" in root("admin", "accounts", "--disabled").stdout
    assert "owner" not in root("admin", "accounts", "--enabled").stdout
    root("admin", "enable", "owner")
    login(owner, "owner", "owner password", "--recovery-code", codes[1])
    assert owner("whoami").stdout == "owner\n"

    # The audit log: filtered, newest first.
    events = as_json(root("admin", "audit", "--account", "owner", "--json"))["events"]
    kinds = [e["event"] for e in events]
    assert kinds.index("account_enabled") < kinds.index("account_disabled"), kinds
    assert all(e["name"] == "owner" for e in events)
    only = as_json(root("admin", "audit", "--event", "account_disabled", "--json"))["events"]
    assert [(e["event"], e["name"]) for e in only] == [("account_disabled", "owner")]
    text = root("admin", "audit", "--event", "account_disabled").stdout
    assert text.split()[2:4] == ["account_disabled", "owner"]
    since = as_json(root("admin", "audit", "--since", "1h", "--limit", "2", "--json"))
    assert len(since["events"]) == 2
    assert since["next_cursor"]
    assert as_json(root("admin", "audit", "--until", "2000-01-01", "--json"))["events"] == []

    # Delete: asks for the name (closed input or another name: nothing happens).
    closed = root("admin", "delete", "owner", stdin=None, expect=2).stderr
    assert "standard input closed" in closed
    root("admin", "delete", "owner", stdin="owner2\n", expect=2)
    assert owner("whoami").stdout == "owner\n"
    assert root("admin", "delete", "owner", stdin="owner\n").stdout == "Deleted 'owner'.\n"
    owner("whoami", expect=1)
    assert "account_not_found" in root("admin", "show", "owner", expect=1).stderr


def test_second_factor_and_password_with_the_command(server: Server, tmp_path: Path) -> None:
    _, owner, old_secret, codes = root_and_owner(server, tmp_path)

    # New recovery codes: the old ones stop working at once.
    made = owner(
        "recovery-codes",
        "--password-stdin",
        "--recovery-code",
        codes[0],
        *FAST_KSF_FLAGS,
        stdin="owner password\n",
    ).stdout
    assert made.startswith("New recovery codes made; the old ones no longer work.")
    _, fresh = parse_registration("secret: AAAA\n" + made)
    owner("logout")
    old = login(owner, "owner", "owner password", "--recovery-code", codes[1], expect=1)
    assert "mfa_invalid" in old.stderr
    login(owner, "owner", "owner password", "--recovery-code", fresh[0])

    # A new TOTP secret, confirmed with a code from it, interactively.
    totp = subprocess.Popen(
        [
            *invite_auth_command(),
            "totp",
            "--password-stdin",
            "--recovery-code",
            fresh[1],
            *FAST_KSF_FLAGS,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=owner.env,
    )
    assert totp.stdin is not None
    assert totp.stdout is not None
    totp.stdin.write("owner password\n")
    totp.stdin.flush()
    shown = ""
    while "secret: " not in shown:
        line = totp.stdout.readline()
        assert line, totp.communicate()
        shown += line
    new_secret = shown.split("secret: ")[1].split()[0]
    out, err = totp.communicate(f"{pyotp.TOTP(new_secret).now()}\n", timeout=60)
    assert totp.returncode == 0, err
    assert "the new authenticator secret is in use" in out.lower()
    assert "Traceback" not in err
    owner("logout")
    old_totp = login(
        owner, "owner", "owner password", "--totp-code", next_code(old_secret), expect=1
    )
    assert "mfa_invalid" in old_totp.stderr
    login(owner, "owner", "owner password", "--recovery-code", fresh[5])

    # The account's password: current password and a second factor; the other sessions end.
    laptop = Command(tmp_path / "laptop", server.url)
    login(laptop, "owner", "owner password", "--recovery-code", fresh[2])
    changed = owner(
        "password",
        "--password-stdin",
        "--recovery-code",
        fresh[3],
        *FAST_KSF_FLAGS,
        stdin="owner password\nowner's new password\n",
    ).stdout
    assert changed.startswith("Password changed; 1 other session ended, this one stays.")
    assert owner("whoami").stdout == "owner\n"
    laptop("whoami", expect=1)
    old_password = login(laptop, "owner", "owner password", "--recovery-code", fresh[4], expect=1)
    assert "wrong password" in old_password.stderr  # noticed by the client (OPAQUE)
    login(laptop, "owner", "owner's new password", "--recovery-code", fresh[4])
    # The new TOTP secret still works with the new password (the last step used was the
    # confirmation's; the next one is fresh).
    owner("logout")
    login(owner, "owner", "owner's new password", "--totp-code", next_code(new_secret))


def test_mfa_reset_and_recovery_with_the_command(server: Server, tmp_path: Path) -> None:
    root, owner, _, codes = root_and_owner(server, tmp_path)

    # MFA reset by root, recovered by the owner with the password.
    reset = as_json(root("admin", "reset-mfa", "owner", "--json"))
    assert reset["recover_command"].startswith("invite-auth recover-mfa ")
    stranger = Command(tmp_path / "stranger", server.url)
    wrong = stranger(
        "recover-mfa",
        reset["recovery_invite"],
        "owner",
        "--password-stdin",
        *FAST_KSF_FLAGS,
        stdin="not the password\n",
        expect=1,
    )
    assert "wrong password" in one_line(wrong.stderr)
    recovered = stranger(
        "recover-mfa",
        reset["recovery_invite"],
        "owner",
        "--password-stdin",
        *FAST_KSF_FLAGS,
        stdin="owner password\n",
    ).stdout
    secret, recovery = parse_registration(recovered)
    assert "Log in with: invite-auth login owner" in recovered
    owner("logout")
    old_code = login(owner, "owner", "owner password", "--recovery-code", codes[0], expect=1)
    assert "mfa_invalid" in old_code.stderr
    login(owner, "owner", "owner password", "--totp-code", next_code(secret))
    owner("logout")
    login(owner, "owner", "owner password", "--recovery-code", recovery[0])
    # The recovery invite works once.
    again = stranger(
        "recover-mfa",
        reset["recovery_invite"],
        "owner",
        "--password-stdin",
        *FAST_KSF_FLAGS,
        stdin="owner password\n",
        expect=1,
    )
    assert "recovery_invite_invalid" in one_line(again.stderr)
