"""The extension pattern: settings precedence, init_app, nothing global, CLI."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from quart import Quart

from quart_invite_auth import ConfigurationError, InviteAuth
from quart_invite_auth.config import README_SECRET_PLACEHOLDER


def test_settings_argument_then_config_then_default(tmp_path: Path) -> None:
    app = Quart(__name__)
    app.config["INVITE_AUTH_COOKIE_NAME"] = "from-config"
    app.config["INVITE_AUTH_INVITATION_TTL"] = 60.0
    auth = InviteAuth(app, invitation_ttl=120.0, secret_key=secrets.token_hex(32))
    assert auth.settings is not None
    assert auth.settings.invitation_ttl == 120.0  # argument wins
    assert auth.settings.cookie_name == "from-config"  # then app.config
    assert auth.settings.session_idle_ttl == 12 * 3600  # then the default
    assert app.extensions["invite_auth"] is auth


def test_init_app_later() -> None:
    auth = InviteAuth(secret_key=secrets.token_hex(32))
    app = Quart(__name__)
    auth.init_app(app)
    assert app.extensions["invite_auth"] is auth
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert "/accounts/login/start" in rules
    assert "/api/invite/<id>" in rules


def test_bad_settings_are_refused() -> None:
    secret = secrets.token_hex(32)
    with pytest.raises(TypeError):
        InviteAuth(Quart(__name__), secret_key=secret, no_such_setting=1)
    with pytest.raises(ConfigurationError, match=r"REGISTRATION_MODE"):
        InviteAuth(Quart(__name__), secret_key=secret, registration_mode="open")
    with pytest.raises(ConfigurationError, match="OWASP"):
        InviteAuth(Quart(__name__), secret_key=secret, max_failures_per_account=1000)
    with pytest.raises(ConfigurationError, match="COOKIE_SECURE"):
        InviteAuth(
            Quart(__name__), secret_key=secret, cookie_name="__Host-identity", cookie_secure=False
        )
    with pytest.raises(ConfigurationError, match="not an origin"):
        InviteAuth(Quart(__name__), secret_key=secret, trusted_origins=["https://a.example/x"])


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        (None, "is not set"),
        ("", "is not set"),
        (README_SECRET_PLACEHOLDER, "placeholder"),
        ("0123456789abcdef" * 1 + "x", "too weak"),  # 17 bytes
        ("ab" * 32, "too weak"),  # 64 bytes of 2 characters
        ("abcdefg" * 10, "too weak"),  # 7 distinct characters
    ],
)
def test_weak_or_missing_secrets_stop_the_start(secret: str | None, reason: str) -> None:
    app = Quart(__name__)
    with pytest.raises(ConfigurationError, match=reason) as refused:
        InviteAuth(app, secret_key=secret)
    # A SystemExit: the process stops with this one line, not a traceback.
    assert isinstance(refused.value, SystemExit)
    assert str(refused.value.code).startswith("invite-auth: INVITE_AUTH_SECRET_KEY")
    with pytest.raises(ConfigurationError, match="FALLBACKS"):
        InviteAuth(Quart(__name__), secret_key=secrets.token_hex(32), secret_key_fallbacks=["x"])


def test_the_readme_placeholder_is_the_one_refused() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f'"{README_SECRET_PLACEHOLDER}"' in readme


def test_a_strong_secret_starts(tmp_path: Path) -> None:
    InviteAuth(Quart(__name__), secret_key=secrets.token_bytes(32), data_dir=str(tmp_path))
    InviteAuth(Quart(__name__), secret_key=secrets.token_urlsafe(32), data_dir=str(tmp_path))


async def test_host_app_errors_are_left_alone(tmp_path: Path) -> None:
    app = Quart(__name__)

    @app.get("/host")
    async def host() -> str:
        return "host page"

    InviteAuth(app, data_dir=str(tmp_path), secret_key=secrets.token_hex(32))
    async with app.test_app():
        client = app.test_client()
        assert (await (await client.get("/host")).get_data(as_text=True)) == "host page"
        missing = await client.get("/host/missing")
        assert missing.status_code == 404
        assert missing.mimetype == "text/html"  # the host's own 404, not ours


async def test_only_one_prefix_mounted(tmp_path: Path) -> None:
    app = Quart(__name__)
    InviteAuth(app, data_dir=str(tmp_path), secret_key=secrets.token_hex(32), accounts_prefix=None)
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert not any(rule.startswith("/accounts") for rule in rules)
    assert "/api/invite" in rules


def test_cli_bootstrap_and_issue_invite(tmp_path: Path) -> None:
    app = Quart(__name__)
    InviteAuth(app, data_dir=str(tmp_path), secret_key=secrets.token_hex(32))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["invite-auth", "bootstrap"])
    assert result.exit_code == 0, result.output
    assert "root" in result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("v1.")
    result = runner.invoke(
        args=["invite-auth", "issue-invite", "--account", "owner", "--domain", "owner.example"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("v1.")
    result = runner.invoke(args=["invite-auth", "issue-invite", "--account", "Bad Name"])
    assert result.exit_code != 0
    assert "invalid_account_name" in result.output
    result = runner.invoke(
        args=["invite-auth", "setup", "--name", "Andrea"],
        input="long password 1\nlong password 1\n",
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["invite-auth", "audit"])
    assert '"event":"invite_issued"' in result.output
    assert '"event":"initial_setup"' in result.output
