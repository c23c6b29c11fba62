"""The plugin on either store: the HTTP flows, every CLI command, and, on PostgreSQL, a
database that is out of reach at start-up or goes away while serving."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import Any

import pytest
from click.testing import Result
from quart import Quart
from quart.testing.app import LifespanError

from quart_invite_auth import InviteAuth
from quart_invite_auth.store.postgres_schema import LATEST
from tests.pg import PgServer, free_port
from tests.plugin.conftest import FAST_PASSWORDS, Clock
from tests.plugin.helpers import OpaqueUser

from .conftest import Place

PASSWORD = "andrea's long password"


def make_app(settings: dict[str, Any], clock: Clock | None = None) -> tuple[Quart, InviteAuth]:
    app = Quart(__name__)
    auth = InviteAuth(
        app,
        clock=clock,
        secret_key=settings.pop("secret_key", secrets.token_hex(32)),
        **FAST_PASSWORDS,
        **settings,
    )
    return app, auth


async def test_both_surfaces_end_to_end(place: Place) -> None:
    clock = Clock()
    app, auth = make_app(place.settings(), clock)
    async with app.test_app():
        client = app.test_client()
        setup = await client.post(
            "/api/setup", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
        )
        assert setup.status_code == 200
        invitation = (await (await client.post("/api/invite", json={}, scheme="https")).get_json())[
            "id"
        ]
        shown = await client.get(f"/api/invite/{invitation}")
        assert (await shown.get_json())["issuer"]["name"] == "Andrea"
        root = OpaqueUser(client, "root", b"root password")
        await root.register(await auth.bootstrap_invite())
        clock.advance(30)
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert status == 200, body
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert (status, body["code"]) == (401, "totp_replayed")
        me = await client.get("/accounts/me", headers=root.auth())
        assert (await me.get_json())["name"] == "root"
        backend = type(auth.context.store.backend).__name__
        assert backend == ("LmdbBackend" if place.kind == "lmdb" else "PostgresBackend")


def invoke(app: Quart, *args: str, **kwargs: Any) -> Result:
    result: Result = app.test_cli_runner().invoke(args=["invite-auth", *args], **kwargs)
    assert result.exit_code == 0, result.output
    return result


async def test_every_cli_command(place: Place) -> None:
    """Each command runs its own event loop, so it runs in a thread here."""
    secret = secrets.token_hex(32)
    settings = {**place.settings(), "secret_key": secret}

    def commands() -> list[str]:
        app, _ = make_app(dict(settings))
        out = [invoke(app, "migrate").output]
        out.append(invoke(app, "bootstrap").output)
        out.append(
            invoke(app, "issue-invite", "--account", "owner", "--domain", "o.example").output
        )
        out.append(
            invoke(app, "setup", "--name", "Andrea", input=f"{PASSWORD}\n{PASSWORD}\n").output
        )
        out.append(invoke(app, "purge").output)
        out.append(invoke(app, "audit").output)
        rotated, _ = make_app(
            {**settings, "secret_key": secrets.token_hex(32), "secret_key_fallbacks": [secret]}
        )
        out.append(invoke(rotated, "reseal").output)
        out.append(invoke(rotated, "reseal").output)
        return out

    migrate, bootstrap, issued, setup, purge, audit, reseal, again = await asyncio.to_thread(
        commands
    )
    if place.kind == "lmdb":
        assert "nothing to migrate" in migrate
    else:
        assert f"migrated from version 0 to {LATEST}" in migrate
    assert bootstrap.strip().splitlines()[-1].startswith("v1.")
    assert issued.strip().startswith("v1.")
    assert "Created login 'Andrea'" in setup
    assert purge.startswith("Removed 0 expired record(s)")
    events = [json.loads(line)["event"] for line in audit.strip().splitlines()]
    assert events.count("invite_issued") == 2
    assert "initial_setup" in events
    # the server setup, the name index's version (both in meta) and the login, sealed again
    assert reseal.split()[1] == "3"
    assert again.split()[1] == "0"


async def test_unreachable_database_at_start_up() -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/x"
    app, _ = make_app({"database_url": url, "database_timeout": 1})
    with pytest.raises(LifespanError) as failed:  # how Quart reports a failed start-up
        async with app.test_app():
            pass
    message = str(failed.value).removeprefix("Error during startup ")
    assert message.startswith("invite-auth cannot use the PostgreSQL database at 127.0.0.1:")
    assert "refused" in message
    assert "\n" not in message

    def cli() -> Result:
        result: Result = app.test_cli_runner().invoke(args=["invite-auth", "purge"])
        return result

    result = await asyncio.to_thread(cli)
    assert result.exit_code != 0
    assert result.output.startswith("Error: invite-auth cannot use the PostgreSQL database")
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


async def test_database_down_answers_503_and_recovers(own_server: PgServer) -> None:
    app, _ = make_app(
        {"database_url": own_server.url(), "database_timeout": 1, "database_pool_size": 3}
    )
    async with app.test_app():
        client = app.test_client()
        setup = await client.post(
            "/api/setup", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
        )
        assert setup.status_code == 200
        made = await client.post("/api/invite", json={}, scheme="https")
        invitation = (await made.get_json())["id"]
        await asyncio.to_thread(own_server.crash)
        for method, path in (("GET", f"/api/invite/{invitation}"), ("POST", "/api/invite")):
            down = await client.open(
                path, method=method, json={} if method == "POST" else None, scheme="https"
            )
            assert down.status_code == 503
            assert down.mimetype == "application/problem+json"
            assert (await down.get_json())["code"] == "store_unavailable"
            assert down.headers["Retry-After"].isdigit()
        await asyncio.to_thread(own_server.start)
        deadline = time.monotonic() + 30
        while (shown := await client.get(f"/api/invite/{invitation}")).status_code == 503:
            assert time.monotonic() < deadline, "no recovery within 30 s"
            await asyncio.sleep(0.2)
        assert shown.status_code == 200
        again = await client.post("/api/invite", json={}, scheme="https")
        assert again.status_code == 200
