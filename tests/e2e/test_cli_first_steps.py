"""The `invite-auth` command as a new user meets it, against the example app under hypercorn:
links instead of ids, the next step printed, the server URL however it is typed, and one
clear line (never a traceback or an HTML page) when something is wrong."""

from __future__ import annotations

import json
import os
import secrets
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .server import Server, running
from .test_sdk_journeys import FAST_KSF_FLAGS, invite_auth_command, parse_registration, totp


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running(tmp_path / "data", secret=secrets.token_hex(32)) as live:
        yield live


class Command:
    """The installed console script with its own config dir; no $INVITE_AUTH_SERVER unless
    `server` is given."""

    def __init__(self, home: Path, server: str | None = None) -> None:
        self.env = {k: v for k, v in os.environ.items() if k != "INVITE_AUTH_SERVER"}
        self.env["INVITE_AUTH_CONFIG_DIR"] = str(home)
        if server:
            self.env["INVITE_AUTH_SERVER"] = server
        self.home = home

    def __call__(
        self, *args: str, stdin: str | None = "", expect: int = 0
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*invite_auth_command(), *args],
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
        )
        assert done.returncode == expect, (done.returncode, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        return done

    def sessions(self) -> dict[str, object]:
        data: dict[str, object] = json.loads((self.home / "sessions.json").read_text())
        return data


def one_line(text: str) -> str:
    assert text.count("\n") == 1, text
    assert "<" not in text, text  # no markup from an HTML page
    return text


def test_invitations_by_link_with_the_next_step_printed(server: Server, tmp_path: Path) -> None:
    andrea = Command(tmp_path / "andrea", server.url)
    andrea("setup", "--name", "Andrea", "--password-stdin", stdin="andrea's password\n")
    created = andrea("invitation", "create").stdout
    assert "it works once, until " in created
    assert "UTC (in 24 hours)" in created
    link = next(w for w in created.split() if w.startswith(f"{server.url}/invite/I"))
    invitation = link.rsplit("/", 1)[1]
    accept_line = next(line for line in created.splitlines() if "invitation accept" in line)
    assert shlex.split(accept_line) == [
        "invite-auth",
        "invitation",
        "accept",
        invitation,
        "--name",
        "NAME",
        "--server",
        server.url,
    ]

    # The invitee has nothing configured: the link says which server to ask.
    bob = Command(tmp_path / "bob")
    for pasted in (link, link + "/", link + "?from=mail", link + "#accept"):
        shown = bob("invitation", "show", pasted).stdout
        assert shown.startswith(f"Invitation {invitation} from Andrea (L")
        assert "UTC (" in shown
    as_json = json.loads(bob("invitation", "show", link, "--json").stdout)
    assert (as_json["id"], as_json["issuer_name"]) == (invitation, "Andrea")
    accepted = bob(
        "invitation",
        "accept",
        link + "/",
        "--name",
        "Bob",
        "--password-stdin",
        stdin="bob's password\n",
    ).stdout
    assert f"you are logged in to {server.url}" in accepted
    assert bob("whoami", "--server", server.url).stdout == "Bob\n"
    gone = bob("invitation", "show", link, expect=1).stderr
    assert "invitation_not_found" in one_line(gone)

    listed = json.loads(andrea("invitation", "create", "--json").stdout)
    assert listed["url"] == f"{server.url}/invite/{listed['id']}"
    assert listed["expires_at"].endswith("Z")


def test_an_invite_prints_its_expiry_and_the_command_that_registers(
    server: Server, tmp_path: Path
) -> None:
    root = Command(tmp_path / "root")
    registered = root(
        "register",
        f"{server.url}/register?token={server.root_invite()}",  # the link the server printed
        "root",
        "--server",
        server.url,
        "--password-stdin",
        *FAST_KSF_FLAGS,
        stdin="root password\n",
    ).stdout
    secret, _ = parse_registration(registered)
    # --server before the subcommand, with a trailing slash: the same session as without.
    root(
        "--server",
        server.url + "/",
        "login",
        "root",
        "--password-stdin",
        "--totp-code",
        totp(secret),
        *FAST_KSF_FLAGS,
        stdin="root password\n",
    )
    assert list(root.sessions()) == [server.url]
    for spelling in (["--server", server.url], ["--server", server.url + "/"]):
        assert root(*spelling, "whoami").stdout == "root\n"
        assert root("whoami", *spelling).stdout == "root\n"

    invited = root(
        "invite", "--server", server.url, "--domain", "owner.example", "--account", "owner"
    ).stdout
    assert "Invite token for account 'owner' on owner.example; it works once, until " in invited
    assert "UTC (in 7 days)" in invited
    assert f"{server.url}/register?token=v1." in invited  # the example app's page
    register_line = next(line for line in invited.splitlines() if "invite-auth register" in line)
    words = shlex.split(register_line)
    assert words[:2] == ["invite-auth", "register"]
    assert words[3:] == ["owner", "--server", server.url]
    # The owner runs exactly that line (plus the password, and cheap key stretching).
    owner = Command(tmp_path / "owner")
    owner(*words[1:], "--password-stdin", *FAST_KSF_FLAGS, stdin="owner password\n")
    as_json = json.loads(
        root(
            "invite", "--server", server.url, "--domain", "b.example", "--account", "b", "--json"
        ).stdout
    )
    assert as_json["register_command"].startswith("invite-auth register v1.")
    assert as_json["register_url"].startswith(f"{server.url}/register?token=v1.")

    # Another spelling of this machine is another server: the message says where the
    # session is.
    other = server.url.replace("127.0.0.1", "localhost")
    refused = root("whoami", "--server", other + "/", expect=1).stderr
    assert one_line(refused) == (
        f"invite-auth: not logged in to {other}; there is a session for {server.url}, the same "
        f"machine under another name (use --server {server.url}, or log in to {other})\n"
    )


def test_a_session_ended_elsewhere_is_said_and_forgotten(server: Server, tmp_path: Path) -> None:
    first = Command(tmp_path / "first", server.url)
    first("setup", "--name", "Andrea", "--password-stdin", stdin="andrea's password\n")
    second = Command(tmp_path / "second", server.url)
    second.home.mkdir(mode=0o700)
    (second.home / "sessions.json").write_text(json.dumps(first.sessions()))
    assert second("whoami").stdout == "Andrea\n"
    first("logout")
    ended = second("whoami", expect=1).stderr
    assert one_line(ended) == (
        f"invite-auth: not logged in to {server.url}: the session has ended, log in again\n"
    )
    kept = second.sessions()[server.url]
    assert isinstance(kept, dict)
    assert "token" not in kept
    assert "andrea" in kept["device_tokens"]
    assert "not logged in to" in second("whoami", expect=1).stderr
    (second.home / "sessions.json").write_text(json.dumps({server.url: {"token": "stale"}}))
    assert second("logout").stdout == (
        f"The session on {server.url} had ended already; forgotten here.\n"
    )
    assert second.sessions() == {}


def test_mistakes_get_one_line_and_no_traceback(server: Server, tmp_path: Path) -> None:
    user = Command(tmp_path / "user")
    # A wrong path reaches the host app's HTML 404 page: named, not dumped.
    lost = user(
        "invitation", "show", "Iabc", "--server", server.url + "/not-here/", expect=1
    ).stderr
    assert one_line(lost) == (
        f"invite-auth: HTTP 404 from {server.url}/not-here/api/invite/Iabc: not an invite-auth"
        " API (text/html); is the --server URL right (scheme, host, port and path)?\n"
    )
    no_scheme = server.url.removeprefix("http://")
    usage = user("whoami", "--server", no_scheme, expect=2).stderr
    assert f"write https://{no_scheme} (or http://{no_scheme}" in one_line(usage)
    # Not a token at all: said before any password is asked (stdin is closed: a prompt
    # would fail differently).
    for argv in (
        ["register", "v1.xyz", "owner", "--server", server.url],
        ["register", server.url + "/invite/Iabc", "owner", "--server", server.url],
        ["invitation", "accept", "I abc", "--name", "Bob", "--server", server.url],
    ):
        said = user(*argv, stdin=None, expect=2).stderr
        assert "password" not in one_line(said).lower(), said
        assert any(w in said for w in ("cannot be", "not an invite token")), said
    swapped = user("register", "owner", "v1.x." + "A" * 43, expect=2, stdin=None).stderr
    assert "the invite token comes first" in one_line(swapped)
    # Standard input closed at the password prompt, and at the second-factor prompt.
    closed = user("login", "root", "--server", server.url, stdin=None, expect=2).stderr
    assert closed.rstrip("\n").endswith(
        "invite-auth: standard input closed before a password was entered "
        "(for scripts: --password-stdin)"
    )
    closed = user(
        "login", "root", "--server", server.url, "--password-stdin", stdin="pw\n", expect=2
    ).stderr
    assert "standard input closed before the second factor was entered" in closed
