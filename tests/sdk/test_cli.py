"""The `invite-auth` command's local parts: the session file and the prompts."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest

from invite_auth import cli


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
