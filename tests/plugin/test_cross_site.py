"""Cross-site requests that would change state with the identity cookie are refused;
answers are never cached; the cookie may carry the __Host- prefix."""

from __future__ import annotations

import importlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart

from quart_invite_auth.testing import create_account, session_token

from .conftest import Clock, make_app
from .helpers import OpaqueUser, forget_cookies

yaml = importlib.import_module("yaml")
SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())


def state_changing_operations() -> list[tuple[str, str, str]]:
    """(operationId, METHOD, path) of every POST and DELETE, and of GET /accounts/invite
    (it mints)."""
    found = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "delete"):
                continue  # path-level parameters
            if method != "get" or operation["operationId"] == "getAccountInvite":
                found.append((operation["operationId"], method.upper(), path))
    return found


OPERATIONS = state_changing_operations()


@pytest.fixture
async def app(data_dir: Path, clock: Clock) -> AsyncIterator[Quart]:
    app, _ = make_app(data_dir, clock)
    async with app.test_app():
        await create_account(app, "root", kind="opaque", privileged=True)
        yield app


async def call(app: Quart, method: str, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    url = re.sub(r"\{[^}]+\}", "Iunknown", path)
    kwargs: dict[str, Any] = {"headers": headers}
    if method == "POST":
        kwargs["json"] = {}
    elif method == "GET":
        kwargs["query_string"] = {"domain": "site.example", "account": "owner"}
    response = await app.test_client().open(url, method=method, **kwargs)
    body = await response.get_json(silent=True) or {}
    return response.status_code, body.get("code")


def test_every_state_changing_operation_is_covered() -> None:
    ids = {operation for operation, _, _ in OPERATIONS}
    assert "getAccountInvite" in ids
    # 11 of the two surfaces; administration's disable, enable, reset and 2 deletes; the
    # self-service revoke session, revoke others, revoke invitation and password change;
    # the 7 of the fresh proof and MFA recovery
    assert len(OPERATIONS) == 27


@pytest.mark.parametrize(("operation", "method", "path"), OPERATIONS, ids=lambda v: str(v))
async def test_cross_site_requests_with_the_cookie_are_refused(
    app: Quart, operation: str, method: str, path: str
) -> None:
    async def cookie() -> dict[str, str]:
        return {"Cookie": f"identity={await create_account_session(app)}"}

    normal = await call(app, method, path, await cookie())
    assert normal[1] != "cross_site_request"
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "http://localhost:8080"},  # another port is another origin
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    ):
        refused = await call(app, method, path, {**(await cookie()), **headers})
        assert refused == (403, "cross_site_request"), (operation, headers)
    # The request's own origin (and a same-site fetch) get the normal answer.
    for headers in ({"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"}):
        assert await call(app, method, path, {**(await cookie()), **headers}) == normal
    # A bearer token is no cookie: no other site can make a browser send it. (Made after
    # the cookie calls: revokeOtherSessions with a cookie would end it.)
    root = await create_account_session(app)
    bearer = {"Authorization": f"Bearer {root}", "Origin": "https://evil.example"}
    bearer_normal = await call(app, method, path, {"Authorization": f"Bearer {root}"})
    if operation not in ("logout", "passwordLogout"):  # those end the session they use
        assert await call(app, method, path, bearer) == bearer_normal
    else:
        assert (await call(app, method, path, bearer))[1] != "cross_site_request"


async def create_account_session(app: Quart) -> str:
    account = await app.extensions["invite_auth"].account_by_name("root")
    return await session_token(app, account)


async def test_trusted_origins_may_change_state(data_dir: Path, clock: Clock) -> None:
    app, _ = make_app(data_dir, clock, trusted_origins=["https://app.example"])
    async with app.test_app():
        await create_account(app, "root", kind="opaque", privileged=True)
        cookie = {"Cookie": f"identity={await create_account_session(app)}"}
        trusted = await call(
            app, "POST", "/api/invite", {**cookie, "Origin": "https://app.example"}
        )
        assert trusted[0] == 200
        other = await call(app, "POST", "/api/invite", {**cookie, "Origin": "https://b.example"})
        assert other == (403, "cross_site_request")


async def test_no_answer_is_cached(
    served: tuple[Quart, Any], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every response that carries a token or a secret says `Cache-Control: no-store`."""
    app, auth = served
    client = app.test_client()
    seen: dict[str, str | None] = {}

    original = client.open

    async def open_and_note(*args: Any, **kwargs: Any) -> Any:
        response = await original(*args, **kwargs)
        seen[f"{kwargs.get('method', 'GET')} {args[0]} {response.status_code}"] = (
            response.headers.get("Cache-Control")
        )
        return response

    monkeypatch.setattr(client, "open", open_and_note)
    setup = await client.post("/api/setup", json={"name": "Andrea", "password": "pw andrea 1"})
    assert setup.status_code == 200
    root = OpaqueUser(client, "root", b"root password")
    await root.register(await auth.bootstrap_invite())
    clock.advance(30)
    assert (await root.login(totp_code=root.totp(clock.now)))[0] == 200
    invite = await client.get(
        "/accounts/invite",
        query_string={"domain": "o.example", "account": "owner"},
        headers=root.auth(),
    )
    assert invite.status_code == 200
    created = await client.post("/api/invite", json={}, headers=root.auth())
    invitation = (await created.get_json())["id"]
    accepted = await client.post(
        f"/api/invite/{invitation}", json={"name": "Blake", "password": "blake password"}
    )
    assert accepted.status_code == 200
    login = await client.post("/api/auth/login", json={"name": "Blake", "password": "x"})
    assert login.status_code == 401
    login = await client.post(
        "/api/auth/login", json={"name": "Blake", "password": "blake password"}
    )
    assert login.status_code == 200
    assert len(seen) >= 10
    assert all(value == "no-store" for value in seen.values()), seen


async def test_a_host_prefixed_cookie_works(data_dir: Path, clock: Clock) -> None:
    app, _ = make_app(data_dir, clock, cookie_name="__Host-identity")
    async with app.test_app():
        client = app.test_client()
        created = await client.post(
            "/api/setup", json={"name": "Andrea", "password": "pw andrea 1"}
        )
        cookie = created.headers["Set-Cookie"]
        assert cookie.startswith("__Host-identity=")
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert "secure" in attributes
        assert "path=/" in attributes
        assert not any(part.startswith("domain=") for part in attributes)
        token = cookie.split(";", 1)[0].split("=", 1)[1]
        forget_cookies(client)  # only the Cookie headers below
        me = await client.get("/accounts/me", headers={"Cookie": f"__Host-identity={token}"})
        assert (await me.get_json())["name"] == "Andrea"
        # The plain name means nothing to this server.
        plain = await client.get("/accounts/me", headers={"Cookie": f"identity={token}"})
        assert plain.status_code == 401
