"""A host app protects its own routes: current_account, login_required,
privileged_required on HTTP and websocket routes, the redirect for browsers, and the
testing helpers that log a test client in without OPAQUE or Argon2id."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart, websocket
from quart.testing import WebsocketResponseError
from quart.typing import TestClientProtocol

from quart_invite_auth import (
    Account,
    InviteAuth,
    current_account,
    login_required,
    privileged_required,
)
from quart_invite_auth.testing import (
    authenticated_client,
    create_account,
    session_headers,
    session_token,
)

from .conftest import FAST_PASSWORDS, Clock

PROBLEM_JSON = "application/problem+json"


def build_host(data_dir: Path, clock: Clock, **settings: Any) -> Quart:
    app = Quart(__name__)

    @app.get("/public")
    async def public() -> dict[str, Any]:
        account = await current_account()
        return {"account": None if account is None else account.name}

    @app.get("/private")
    @login_required
    async def private() -> dict[str, Any]:
        account = await current_account()
        assert account is not None
        return {"account": account.name, "kind": account.kind, "id": account.id}

    @app.get("/page")
    @login_required
    async def page() -> str:
        account = await current_account()
        assert account is not None
        return f"<p>Hello {account.name}</p>"

    @app.post("/private/action")
    @login_required
    async def action() -> dict[str, Any]:
        return {"done": True}

    @app.get("/admin")
    @privileged_required
    async def admin() -> dict[str, Any]:
        account = await current_account()
        assert account is not None
        return {"admin": account.name}

    @app.websocket("/ws")
    @login_required
    async def ws() -> None:
        account = await current_account()
        assert account is not None
        await websocket.accept()
        await websocket.send(account.name)

    @app.websocket("/ws/admin")
    @privileged_required
    async def ws_admin() -> None:
        await websocket.accept()
        await websocket.send("admin")

    options: dict[str, Any] = {
        "data_dir": str(data_dir),
        "secret_key": secrets.token_hex(32),
        **FAST_PASSWORDS,
        **settings,
    }
    InviteAuth(app, clock=clock, **options)
    return app


@pytest.fixture
async def host(tmp_path: Path, clock: Clock) -> AsyncIterator[Quart]:
    app = build_host(tmp_path / "lmdb", clock)
    async with app.test_app():
        yield app


@pytest.fixture
async def people(host: Quart) -> dict[str, Account]:
    return {
        "root": await create_account(host, "root", kind="opaque", privileged=True),
        "andrea": await create_account(host, "Andrea"),
    }


async def assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, await response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    assert (await response.get_json())["code"] == code


async def ws_refusal(client: TestClientProtocol, path: str, **kwargs: Any) -> Any:
    with pytest.raises(WebsocketResponseError) as refused:
        async with client.websocket(path, **kwargs) as ws:
            await ws.receive()
    return refused.value.response


async def ws_greeting(client: TestClientProtocol, path: str, **kwargs: Any) -> str:
    async with client.websocket(path, **kwargs) as ws:
        message = await ws.receive()
    assert isinstance(message, str)
    return message


async def test_anonymous_callers_are_refused_everywhere(
    host: Quart, people: dict[str, Account]
) -> None:
    client = host.test_client()
    assert await (await client.get("/public")).get_json() == {"account": None}
    for path in ("/private", "/page", "/admin"):
        response = await client.get(path)
        await assert_problem(response, 401, "unauthenticated")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    refused = await ws_refusal(client, "/ws")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await ws_refusal(client, "/ws/admin")).status_code == 401
    # An unknown token is no better than none.
    response = await client.get("/private", headers={"Authorization": "Bearer nope"})
    await assert_problem(response, 401, "unauthenticated")


async def test_bearer_callers(host: Quart, people: dict[str, Account]) -> None:
    client = host.test_client()
    andrea = await session_headers(host, people["andrea"])
    response = await client.get("/private", headers=andrea)
    assert await response.get_json() == {
        "account": "Andrea",
        "kind": "password",
        "id": people["andrea"].id,
    }
    assert (await (await client.get("/public", headers=andrea)).get_json()) == {"account": "Andrea"}
    await assert_problem(await client.get("/admin", headers=andrea), 403, "not_privileged")
    assert await ws_greeting(client, "/ws", headers=andrea) == "Andrea"
    assert (await ws_refusal(client, "/ws/admin", headers=andrea)).status_code == 403

    root = await session_headers(host, people["root"])
    assert await (await client.get("/admin", headers=root)).get_json() == {"admin": "root"}
    assert await ws_greeting(client, "/ws/admin", headers=root) == "admin"


async def test_cookie_callers(host: Quart, people: dict[str, Account]) -> None:
    client = host.test_client()
    cookie = {"Cookie": f"identity={await session_token(host, people['root'])}"}
    assert (await (await client.get("/private", headers=cookie)).get_json())["account"] == "root"
    page = await client.get("/page", headers=cookie)
    assert await page.get_data(as_text=True) == "<p>Hello root</p>"
    assert (await client.get("/admin", headers=cookie)).status_code == 200
    assert await ws_greeting(client, "/ws", headers=cookie) == "root"


async def test_expired_and_revoked_sessions(
    host: Quart, people: dict[str, Account], clock: Clock
) -> None:
    client = host.test_client()
    settings = host.extensions["invite_auth"].settings
    idle = await session_headers(host, people["andrea"])
    clock.advance(settings.session_idle_ttl + 1)
    await assert_problem(await client.get("/private", headers=idle), 401, "unauthenticated")
    assert (await ws_refusal(client, "/ws", headers=idle)).status_code == 401

    # Used often enough never to be idle, a session still ends at its absolute expiry.
    kept = await session_headers(host, people["andrea"])
    step = settings.session_idle_ttl / 2
    for _ in range(int(settings.session_absolute_ttl / step) - 1):
        clock.advance(step)
        assert (await client.get("/private", headers=kept)).status_code == 200
    clock.advance(step + 1)
    await assert_problem(await client.get("/private", headers=kept), 401, "unauthenticated")

    revoked = await session_headers(host, people["andrea"])
    assert (await client.get("/private", headers=revoked)).status_code == 200
    assert (await client.post("/api/auth/logout", headers=revoked)).status_code == 204
    await assert_problem(await client.get("/private", headers=revoked), 401, "unauthenticated")
    await assert_problem(await client.get("/page", headers=revoked), 401, "unauthenticated")
    assert (await ws_refusal(client, "/ws", headers=revoked)).status_code == 401


async def test_cross_site_changes_to_host_routes_are_refused(
    host: Quart, people: dict[str, Account]
) -> None:
    client = host.test_client()
    token = await session_token(host, people["andrea"])
    cookie = {"Cookie": f"identity={token}"}
    foreign = {**cookie, "Origin": "https://evil.example"}
    await assert_problem(
        await client.post("/private/action", headers=foreign), 403, "cross_site_request"
    )
    cross = {**cookie, "Sec-Fetch-Site": "cross-site"}
    await assert_problem(
        await client.post("/private/action", headers=cross), 403, "cross_site_request"
    )
    own = {**cookie, "Origin": "http://localhost"}
    assert (await client.post("/private/action", headers=own)).status_code == 200
    bearer = {"Authorization": f"Bearer {token}", "Origin": "https://evil.example"}
    assert (await client.post("/private/action", headers=bearer)).status_code == 200
    # Reading is not changing: a cross-site GET is served (SameSite decides the cookie).
    assert (await client.get("/private", headers=foreign)).status_code == 200


async def test_browsers_can_be_sent_to_a_login_page(tmp_path: Path, clock: Clock) -> None:
    app = build_host(tmp_path / "lmdb", clock, login_url="/login")
    async with app.test_app():
        client = app.test_client()
        browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
        response = await client.get("/page?tab=2", headers=browser)
        assert response.status_code == 302
        assert response.headers["Location"] == "/login?next=%2Fpage%3Ftab%3D2"
        # API clients still get the problem, whatever else they accept.
        for accept in ("application/json", "*/*", "application/json, text/html"):
            response = await client.get("/private", headers={"Accept": accept})
            await assert_problem(response, 401, "unauthenticated")
        # A logged-in but unprivileged browser is not sent to log in again.
        andrea = await create_account(app, "Andrea")
        headers = {**browser, **(await session_headers(app, andrea))}
        await assert_problem(await client.get("/admin", headers=headers), 403, "not_privileged")


async def test_the_testing_helpers_need_no_opaque_nor_argon2(
    host: Quart, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the testing helpers must not run OPAQUE or Argon2id")

    for target in (
        "quart_invite_auth.services.slow.run_slow",
        "quart_invite_auth.services.login.generate_ke2",
        "argon2.PasswordHasher.hash",
        "argon2.PasswordHasher.verify",
    ):
        monkeypatch.setattr(target, forbidden)
    root = await create_account(host, "root", kind="opaque", privileged=True, domain="a.example")
    assert (root.kind, root.privileged, root.domain) == ("opaque", True, "a.example")
    client = host.test_client()
    async with authenticated_client(client, root):
        assert (await (await client.get("/private")).get_json())["account"] == "root"
        assert (await client.get("/admin")).status_code == 200
        assert await ws_greeting(client, "/ws") == "root"
        me = await client.get("/accounts/me")
        assert (await me.get_json())["name"] == "root"
    # Afterwards the client is anonymous again, and the session is gone from the store.
    assert (await client.get("/private")).status_code == 401
    counts = await host.extensions["invite_auth"].context.store.entry_counts()
    assert counts["session_db"] == 0


async def test_created_accounts_share_the_one_namespace(host: Quart) -> None:
    await create_account(host, "root", kind="opaque")
    from quart_invite_auth import ProblemError

    with pytest.raises(ProblemError) as taken:
        await create_account(host, "ROOT")
    assert taken.value.code.code == "name_taken"
    login = await create_account(host, "Blake", password="a long password")
    client = host.test_client()
    response = await client.post(
        "/api/auth/login", json={"name": "Blake", "password": "a long password"}
    )
    assert response.status_code == 200
    assert (await response.get_json())["id"] == login.id
