"""The `invite-auth` command's local parts: the session file and the prompts."""

from __future__ import annotations

import argparse
import datetime
import http.server
import io
import json
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from invite_auth import cli
from invite_auth.cli._admin import moment
from invite_auth.cli._base import invitation_id, invite_token, relative, settle, when

CaptureFixture = pytest.CaptureFixture[str]


def test_sessions_are_kept_per_server_in_a_private_file(tmp_path: Path) -> None:
    store = cli.SessionStore(tmp_path / "invite-auth" / "sessions.json")
    assert store.get("https://a.example") is None
    store.put("https://a.example", {"token": "t-a", "name": "root"})
    store.put("https://b.example", {"token": "t-b", "name": "Bob"})
    store.put("https://a.example", None)
    assert store.get("https://a.example") is None
    assert store.get("https://b.example") == {"token": "t-b", "name": "Bob"}
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert not store.path.with_suffix(".tmp").exists()


def test_a_corrupt_session_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    path.write_text("{not json")
    with pytest.raises(cli.UsageError, match="cannot read"):
        cli.SessionStore(path).get("https://a.example")


def test_password_from_stdin_takes_one_line() -> None:
    prompt = cli.Prompter(password_stdin=True, stdin=io.StringIO("pass word \nnext\n"))
    assert prompt.password("?", confirm=True) == "pass word "
    assert prompt.password("?") == "next"
    with pytest.raises(cli.UsageError, match="no password"):
        prompt.password("?")


def test_mismatched_confirmation_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["first", "second"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    with pytest.raises(cli.UsageError, match="do not match"):
        cli.Prompter(password_stdin=False, stdin=io.StringIO()).password("?", confirm=True)


def test_passwords_are_never_options() -> None:
    parser = cli.build_parser()
    for argv in (["register", "tok", "root"], ["login", "root"], ["setup", "--name", "A"]):
        with pytest.raises(SystemExit):
            parser.parse_args([*argv, "--password", "secret"])


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    assert "exit codes" in capsys.readouterr().out


def test_device_tokens_are_kept_per_name_and_survive_logout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.CONFIG_ENV, str(tmp_path))
    args = cli.build_parser().parse_args(["whoami", "--server", "https://a.example"])
    cli._remember(args, "session-1", "Root", "device-root")
    cli._remember(args, "session-2", "Andrea", "device-andrea")
    assert cli._client(args, device_for="ROOT").device_token == "device-root"
    assert cli._client(args, device_for="andrea").device_token == "device-andrea"
    assert cli._client(args, device_for="nobody").device_token is None
    cli._remember(args, None, "")  # logout forgets the session, not the devices
    entry = cli.SessionStore(tmp_path / "sessions.json").get("https://a.example")
    assert entry == {"device_tokens": {"root": "device-root", "andrea": "device-andrea"}}
    assert cli._client(args).token is None
    assert cli._client(args, device_for="Root").device_token == "device-root"


# -- the server URL and the session file's key ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("http://127.0.0.1:5000/", "http://127.0.0.1:5000"),
        ("HTTP://LocalHost:5000//", "http://localhost:5000"),
        ("https://auth.example:443/", "https://auth.example"),
        ("http://auth.example:80", "http://auth.example"),
        ("https://auth.example:8443/mounted/app/", "https://auth.example:8443/mounted/app"),
        ("http://[::1]:5000/", "http://[::1]:5000"),
        ("  https://auth.example ", "https://auth.example"),
    ],
)
def test_server_urls_have_one_spelling(typed: str, key: str) -> None:
    assert cli.normalize_server(typed) == key


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("localhost:5000", "write https://localhost:5000 (or http://localhost:5000"),
        ("auth.example", "write https://auth.example"),
        ("ftp://auth.example", "only http:// and https://"),
        ("https://", "no host"),
        ("https://auth.example:99999", "not a URL"),
        ("https://user:pw@auth.example", "credentials"),
        ("https://auth.example/?x=1", "without '?'"),
    ],
)
def test_a_server_that_is_not_a_url_is_a_usage_error(
    typed: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture
) -> None:
    with pytest.raises(cli.UsageError, match=re.escape(says)):
        cli.normalize_server(typed)
    monkeypatch.setenv(cli.CONFIG_ENV, str(tmp_path))
    assert cli.main(["whoami", "--server", typed]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert says in err


def test_the_server_option_goes_before_or_after_the_subcommand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(cli.SERVER_ENV, "https://from-the-environment.example")
    parser = cli.build_parser()
    cases = {
        ("--server", "https://a.example/", "whoami"): "https://a.example",
        ("whoami", "--server", "https://a.example"): "https://a.example",
        ("--server", "https://a.example", "invitation", "show", "Iabc"): "https://a.example",
        ("invitation", "show", "Iabc", "--server", "https://a.example"): "https://a.example",
        ("--server", "https://b.example", "whoami", "--server", "https://a.example"): (
            "https://a.example"  # the one nearer the subcommand wins
        ),
        ("whoami",): "https://from-the-environment.example",
    }
    for argv, server in cases.items():
        args = settle(parser.parse_args(list(argv)))
        assert args.server == server, argv
    args = settle(parser.parse_args(["--timeout", "5", "logout"]))
    assert args.timeout == 5.0
    assert args.json is False  # filled in for subcommands without the option


def test_a_session_is_found_under_any_spelling_of_its_server(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    # A file an earlier version wrote, keyed by the URL as it was typed.
    path.write_text(json.dumps({"http://127.0.0.1:5000/": {"token": "t", "name": "root"}}))
    store = cli.SessionStore(path)
    for spelling in ("http://127.0.0.1:5000", "http://127.0.0.1:5000/", "HTTP://127.0.0.1:5000"):
        assert store.get(spelling) == {"token": "t", "name": "root"}
    assert store.get("http://localhost:5000") is None
    store.put("http://127.0.0.1:5000//", {"token": "u", "name": "root"})
    assert json.loads(path.read_text()) == {"http://127.0.0.1:5000": {"token": "u", "name": "root"}}


def test_not_logged_in_names_the_server_and_the_one_with_a_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture
) -> None:
    monkeypatch.setenv(cli.CONFIG_ENV, str(tmp_path))
    parser = cli.build_parser()
    cli._remember(
        settle(parser.parse_args(["whoami", "--server", "http://localhost:5000"])), "t", "root"
    )
    # Nothing is sent: the port is closed, yet the answer is "not logged in" (exit 1).
    assert cli.main(["whoami", "--server", "http://127.0.0.1:5000/"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("invite-auth: not logged in to http://127.0.0.1:5000;")
    assert "there is a session for http://localhost:5000" in err
    cli._remember(settle(parser.parse_args(["whoami", "--server", "https://b.example"])), "t", "B")
    assert cli.main(["whoami", "--server", "https://c.example"]) == 1
    err = capsys.readouterr().err
    assert "not logged in to https://c.example; sessions are kept here for: " in err
    assert "https://b.example" in err
    assert cli.main(["logout", "--server", "https://c.example"]) == 0
    assert capsys.readouterr().out == "Not logged in to https://c.example.\n"


# -- what the user pasted ------------------------------------------------------------------

INVITATION = "Irsq5ojrhikp5mgifejsx3qc4ai"


@pytest.mark.parametrize(
    ("pasted", "origin"),
    [
        (INVITATION, None),
        (f" {INVITATION}\n", None),
        (f"https://auth.example/invite/{INVITATION}", "https://auth.example"),
        (f"https://auth.example/invite/{INVITATION}/", "https://auth.example"),
        (f"https://auth.example/invite/{INVITATION}?utm=mail", "https://auth.example"),
        (f"https://auth.example/invite/{INVITATION}#accept", "https://auth.example"),
        (f"https://auth.example:8443/auth/invite/{INVITATION}", "https://auth.example:8443"),
        (f"http://127.0.0.1:5000/api/invite/{INVITATION}", "http://127.0.0.1:5000"),
        (f"/auth/invite/{INVITATION}", None),
    ],
)
def test_an_invitation_is_an_id_or_a_link(pasted: str, origin: str | None) -> None:
    assert invitation_id(pasted) == (INVITATION, origin)


@pytest.mark.parametrize(
    ("pasted", "says"),
    [
        ("I abc", "cannot be an invitation id"),
        ("Iabc/def", "cannot be an invitation id"),
        ("Iabc?x", "cannot be an invitation id"),
        ("", "cannot be an invitation id"),
        ("https://auth.example/register?token=x", "not an invitation link"),
        ("https://auth.example/invite/", "not an invitation link"),
        ("https://auth.example/invite/I%2Fx", "cannot be an invitation id"),
    ],
)
def test_what_cannot_be_an_invitation_is_refused(pasted: str, says: str) -> None:
    with pytest.raises(cli.UsageError, match=says):
        invitation_id(pasted)


TOKEN = "v1.eyJqdGkiOiJ4In0." + "A" * 43


def test_an_invite_token_is_the_token_or_the_registration_link() -> None:
    assert invite_token(TOKEN) == TOKEN
    assert invite_token(f"  {TOKEN}\n") == TOKEN
    link = f"http://127.0.0.1:5000/register?token={TOKEN.replace('.', '%2E')}"
    assert invite_token(link) == TOKEN
    for bad, says in [
        ("hello", "is not an invite token"),
        ("v1.abc", "is not an invite token"),
        ("v1.eyJ.short", "is not an invite token"),
        (TOKEN + "=", "is not an invite token"),
        ("v2.eyJqdGkiOiJ4In0." + "A" * 43, "this version knows v1"),
        ("https://auth.example/register", "without an invite token"),
        (INVITATION, "is not an invite token"),
    ]:
        with pytest.raises(cli.UsageError, match=says):
            invite_token(bad)


def test_mistakes_are_reported_before_the_password_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture
) -> None:
    monkeypatch.setenv(cli.CONFIG_ENV, str(tmp_path))
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return "pw"

    monkeypatch.setattr("getpass.getpass", getpass)
    server = ["--server", "http://127.0.0.1:9"]
    for argv in (
        ["register", "not-a-token", "owner", *server],
        ["invitation", "accept", "I/../x", "--name", "Bob", *server],
        ["invitation", "accept", "https://h.example/login", "--name", "Bob", *server],
        ["register", TOKEN, "owner"],  # no server at all
    ):
        assert cli.main(argv) == 2, argv
        assert capsys.readouterr().err.count("\n") == 1
    assert asked == []


# -- dates -----------------------------------------------------------------------------


def test_expiry_is_written_in_utc_and_relative() -> None:
    now = datetime.datetime(2026, 12, 2, 13, 0, tzinfo=datetime.UTC)
    later = now + datetime.timedelta(hours=24, seconds=-2)
    assert when(later, now) == "2026-12-03 12:59 UTC (in 24 hours)"
    assert relative(now + datetime.timedelta(days=7), now) == "in 7 days"
    assert relative(now + datetime.timedelta(minutes=5), now) == "in 5 minutes"
    assert relative(now + datetime.timedelta(minutes=1), now) == "in 1 minute"
    assert relative(now - datetime.timedelta(hours=3), now) == "3 hours ago"
    assert relative(now + datetime.timedelta(seconds=20), now) == "now"
    berlin = datetime.timezone(datetime.timedelta(hours=1))
    assert when(datetime.datetime(2026, 12, 2, 15, 0, tzinfo=berlin), now) == (
        "2026-12-02 14:00 UTC (in 1 hour)"
    )


# -- prompts ---------------------------------------------------------------------------


def test_closed_standard_input_at_a_prompt_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def closed(_prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", closed)
    prompt = cli.Prompter(password_stdin=False, stdin=io.StringIO(""))
    with pytest.raises(cli.UsageError, match="standard input closed before a password"):
        prompt.password("?")
    with pytest.raises(cli.UsageError, match="closed before the second factor"):
        prompt.line("code? ", "the second factor")
    assert cli.Prompter(False, io.StringIO(" 123 456 \n")).line("?", "x") == "123 456"


# -- help ------------------------------------------------------------------------------


def _subcommands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _subcommands(sub, (*path, name))


def test_every_argument_and_option_has_help() -> None:
    seen = 0
    for path, parser in _subcommands(cli.build_parser()):
        for action in parser._actions:
            seen += 1
            assert action.help, (path, action.dest)
            assert action.help != argparse.SUPPRESS, (path, action.dest)
    assert seen > 40


def test_each_subcommand_lists_only_the_options_it_uses() -> None:
    options = {
        path: {o for a in parser._actions for o in a.option_strings}
        for path, parser in _subcommands(cli.build_parser())
    }
    for path in [("logout",), ("whoami",), ("invite",), ("invitation", "show")]:
        assert "--password-stdin" not in options[path], path
        assert "--ksf-time-cost" not in options[path], path
    for path in [("invitation", "accept"), ("setup",), ("password-login",)]:
        assert "--password-stdin" in options[path], path
        assert "--ksf-time-cost" not in options[path], path  # no OPAQUE on this surface
    for path in [("register",), ("login",)]:
        assert {"--password-stdin", "--ksf-time-cost"} <= options[path], path
    assert "--json" not in options[("logout",)]
    assert "--totp-code" not in options[("register",)]
    for path in [("password",), ("recovery-codes",), ("totp",), ("recover-mfa",)]:
        assert {"--password-stdin", "--ksf-time-cost"} <= options[path], path
    for path in [("sessions",), ("sessions", "revoke"), ("invitation", "list"), ("admin", "audit")]:
        assert "--password-stdin" not in options[path], path
    assert "--yes" in options[("admin", "delete")]
    assert "--login" in options[("password",)]
    parsers = dict(_subcommands(cli.build_parser()))
    for path, found in options.items():
        if parsers[path].get_default("handler") is not None:  # not a group like `admin`
            assert "--server" in found, path


# -- answers that are not the API's ---------------------------------------------------


class _Proxy(http.server.BaseHTTPRequestHandler):
    """What a proxy answers when the server behind it is down: a 502 HTML page."""

    def do_GET(self) -> None:
        body = b"<html><body><h1>502 Bad Gateway</h1>" + b"<p>nginx</p>" * 50 + b"</body></html>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_proxy_error_page_is_summarised_in_one_line(
    proxy: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture
) -> None:
    monkeypatch.setenv(cli.CONFIG_ENV, str(tmp_path))
    assert cli.main(["invitation", "show", INVITATION, "--server", proxy + "/"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"invite-auth: HTTP 502 from {proxy}/api/invite/{INVITATION}: not an invite-auth API "
        "(text/html); the server or a proxy in front of it failed, try again later\n"
    )


def test_audit_times_are_dates_or_spans_back_from_now() -> None:
    now = datetime.datetime(2026, 12, 2, 13, 0, tzinfo=datetime.UTC)
    assert moment("12h", now) == now - datetime.timedelta(hours=12)
    assert moment("7d", now) == now - datetime.timedelta(days=7)
    assert moment("2026-12-01") == datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    assert moment("2026-12-01T09:30+01:00") == datetime.datetime(
        2026, 12, 1, 8, 30, tzinfo=datetime.UTC
    )
    with pytest.raises(argparse.ArgumentTypeError, match="a span back"):
        moment("yesterday")
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["admin", "audit", "--since", "yesterday"])


def test_lifecycle_mistakes_are_reported_before_the_password_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: CaptureFixture
) -> None:
    monkeypatch.setenv(cli.CONFIG_ENV, str(tmp_path))
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return "pw"

    monkeypatch.setattr("getpass.getpass", getpass)
    server = ["--server", "http://127.0.0.1:9"]
    said = {}
    for argv in (
        ["recover-mfa", "not a token!", "owner", *server],
        ["recover-mfa", TOKEN, "owner", *server],  # an invite token, not a recovery invite
        ["password", *server],  # not logged in: nothing to change
        ["recovery-codes", *server],
        ["totp", *server],
        ["sessions", "revoke", *server],  # neither an id nor --others
        ["invitation", "revoke", "I/x", *server],
    ):
        code = cli.main(argv)
        said[argv[0]] = capsys.readouterr().err
        assert code in (1, 2), argv
        assert said[argv[0]].count("\n") == 1, said
    assert asked == []
    assert "not logged in to http://127.0.0.1:9" in said["password"]
    assert "is an invite token for a new account" in said["recover-mfa"]
