"""The extension pattern: settings precedence, init_app, nothing global, CLI."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from quart import Quart
from quart.testing.app import LifespanError

from quart_invite_auth import InviteAuth


def test_settings_argument_then_config_then_default(tmp_path: Path) -> None:
    app = Quart(__name__)
    app.config["INVITE_AUTH_COOKIE_NAME"] = "from-config"
    app.config["INVITE_AUTH_INVITATION_TTL"] = 60.0
    auth = InviteAuth(app, invitation_ttl=120.0, secret_key="x" * 32)
    assert auth.settings is not None
    assert auth.settings.invitation_ttl == 120.0  # argument wins
    assert auth.settings.cookie_name == "from-config"  # then app.config
    assert auth.settings.session_idle_ttl == 12 * 3600  # then the default
    assert app.extensions["invite_auth"] is auth


def test_init_app_later() -> None:
    auth = InviteAuth(secret_key="x" * 32)
    app = Quart(__name__)
    auth.init_app(app)
    assert app.extensions["invite_auth"] is auth
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert "/accounts/login/start" in rules
    assert "/api/invite/<invitation_id>" in rules


def test_bad_settings_are_refused() -> None:
    with pytest.raises(TypeError):
        InviteAuth(Quart(__name__), no_such_setting=1)
    with pytest.raises(ValueError, match=r"registration_mode|REGISTRATION_MODE"):
        InviteAuth(Quart(__name__), registration_mode="open")
    with pytest.raises(ValueError, match="OWASP"):
        InviteAuth(Quart(__name__), max_failures_per_account=1000)


async def test_serving_without_a_secret_fails_loudly(tmp_path: Path) -> None:
    app = Quart(__name__)
    InviteAuth(app, data_dir=str(tmp_path))
    # Quart reports a failed startup as a LifespanError carrying the extension's message.
    with pytest.raises(LifespanError, match="INVITE_AUTH_SECRET_KEY is not set"):
        async with app.test_app():
            pass


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
