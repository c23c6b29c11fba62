"""Seed 003, sentence by sentence: invitations between logins, setup, password login."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from quart.typing import TestClientProtocol

from quart_invite_auth import InviteAuth

from .conftest import Clock, make_app
from .helpers import forget_cookies

PASSWORD = "correct-horse-battery-staple"


async def setup_first(client: TestClientProtocol, name: str = "Andrea") -> dict[str, str]:
    """Initial setup; returns Bearer-less cookie auth by reading Set-Cookie."""
    response = await client.post(
        "/api/setup", json={"name": name, "password": PASSWORD}, scheme="https"
    )
    assert response.status_code == 200, await response.get_json()
    body: dict[str, str] = await response.get_json()
    return body


def identity_cookie(response: Any) -> str:
    cookies = [v for k, v in response.headers.items() if k.lower() == "set-cookie"]
    assert cookies, "no Set-Cookie header"
    (cookie,) = [c for c in cookies if c.startswith("identity=")]
    return str(cookie)


def cookie_value(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


async def invite(client: TestClientProtocol) -> dict[str, Any]:
    response = await client.post("/api/invite", json={}, scheme="https")
    assert response.status_code == 200, await response.get_json()
    body: dict[str, Any] = await response.get_json()
    return body


async def test_any_login_can_create_invitations(client: TestClientProtocol) -> None:
    andrea = await setup_first(client)
    first = await invite(client)
    assert first["issuer"] == andrea["id"]
    assert first["id"].startswith("I")
    # Blake, invited by Andrea, can invite too
    forget_cookies(client)
    blake = await client.post(
        f"/api/invite/{first['id']}", json={"name": "Blake", "password": PASSWORD}, scheme="https"
    )
    assert blake.status_code == 200
    second = await invite(client)
    assert second["issuer"] == (await blake.get_json())["id"]


async def test_post_invite_requires_a_login(client: TestClientProtocol) -> None:
    await setup_first(client)
    forget_cookies(client)
    response = await client.post("/api/invite", json={}, scheme="https")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert (await response.get_json())["code"] == "unauthenticated"


async def test_the_request_must_be_an_empty_json_object(client: TestClientProtocol) -> None:
    await setup_first(client)
    bodies: list[Any] = [{"x": 1}, [], "", None, 0]
    for body in bodies:
        response = await client.post("/api/invite", json=body, scheme="https")
        assert response.status_code == 400, body
        assert (await response.get_json())["code"] == "malformed_request"
    response = await client.post("/api/invite", scheme="https")  # no body at all
    assert response.status_code == 400
    assert (await response.get_json())["code"] == "malformed_request"
    # "{}" declared as another media type is refused as such
    response = await client.post(
        "/api/invite", data="{}", headers={"Content-Type": "text/plain"}, scheme="https"
    )
    assert response.status_code == 415


async def test_get_does_not_require_a_cookie_and_shows_the_issuer(
    client: TestClientProtocol,
) -> None:
    andrea = await setup_first(client)
    created = await invite(client)
    forget_cookies(client)
    response = await client.get(f"/api/invite/{created['id']}")
    assert response.status_code == 200
    body = await response.get_json()
    assert body == {
        "id": created["id"],
        "issuer": {"id": andrea["id"], "name": "Andrea"},
        "issued_at": created["issued_at"],
    }


async def test_each_invitation_can_be_accepted_at_most_once(client: TestClientProtocol) -> None:
    await setup_first(client)
    created = await invite(client)
    url = f"/api/invite/{created['id']}"
    first = await client.post(url, json={"name": "Blake", "password": PASSWORD}, scheme="https")
    assert first.status_code == 200
    again = await client.post(url, json={"name": "Casey", "password": PASSWORD}, scheme="https")
    assert again.status_code == 404
    assert (await again.get_json())["code"] == "invitation_not_found"
    shown = await client.get(url)
    assert shown.status_code == 404


async def test_an_invitation_not_accepted_within_24_hours_expires(
    client: TestClientProtocol, clock: Clock
) -> None:
    await setup_first(client)
    created = await invite(client)
    url = f"/api/invite/{created['id']}"
    clock.advance(24 * 3600 - 1)
    assert (await client.get(url)).status_code == 200
    clock.advance(1)
    assert (await client.get(url)).status_code == 404
    late = await client.post(url, json={"name": "Blake", "password": PASSWORD}, scheme="https")
    assert late.status_code == 404


async def test_unknown_invitation_is_404(client: TestClientProtocol) -> None:
    await setup_first(client)
    for unknown in ("Iabcd1234", "I" + "a" * 26, "x" * 300):
        assert (await client.get(f"/api/invite/{unknown}")).status_code == 404
        accepted = await client.post(
            f"/api/invite/{unknown}", json={"name": "Blake", "password": PASSWORD}
        )
        assert accepted.status_code == 404


async def test_name_in_use_is_409_and_the_invitation_stays_usable(
    client: TestClientProtocol,
) -> None:
    await setup_first(client)
    created = await invite(client)
    url = f"/api/invite/{created['id']}"
    # Names compare case-insensitively across the whole namespace.
    taken = await client.post(url, json={"name": "andrea", "password": PASSWORD}, scheme="https")
    assert taken.status_code == 409
    assert (await taken.get_json())["code"] == "name_taken"
    assert (await client.get(url)).status_code == 200
    ok = await client.post(url, json={"name": "Blake", "password": PASSWORD}, scheme="https")
    assert ok.status_code == 200


async def test_accept_sets_a_working_identity_cookie(client: TestClientProtocol) -> None:
    await setup_first(client)
    created = await invite(client)
    forget_cookies(client)
    accepted = await client.post(
        f"/api/invite/{created['id']}", json={"name": "Blake", "password": PASSWORD}, scheme="https"
    )
    body = await accepted.get_json()
    assert body["name"] == "Blake"
    assert body["id"].startswith("L")
    cookie = identity_cookie(accepted)
    attributes = [a.strip().lower() for a in cookie.split(";")]
    assert "httponly" in attributes
    assert "secure" in attributes
    assert "path=/" in attributes
    assert "samesite=lax" in attributes
    # the cookie alone authenticates Blake
    forget_cookies(client)
    response = await client.post(
        "/api/invite", json={}, headers={"Cookie": f"identity={cookie_value(cookie)}"}
    )
    assert response.status_code == 200
    assert (await response.get_json())["issuer"] == body["id"]


async def test_cookie_is_not_secure_when_switched_off(data_dir: Path, clock: Clock) -> None:
    app, _ = make_app(data_dir, clock, cookie_secure=False)
    async with app.test_app():
        client = app.test_client()
        response = await client.post("/api/setup", json={"name": "Andrea", "password": PASSWORD})
        attributes = [a.strip().lower() for a in identity_cookie(response).split(";")]
        assert "secure" not in attributes
        assert "httponly" in attributes


async def test_identity_cookie_expires_when_not_used_regularly(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    setup = await client.post(
        "/api/setup", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
    )
    token = cookie_value(identity_cookie(setup))
    headers = {"Cookie": f"identity={token}"}
    idle = auth.context.settings.session_idle_ttl
    # used regularly: stays alive past the idle timeout
    for _ in range(3):
        clock.advance(idle * 0.6)
        assert (await client.post("/api/invite", json={}, headers=headers)).status_code == 200
    # not used for the idle timeout: gone
    clock.advance(idle + 1)
    assert (await client.post("/api/invite", json={}, headers=headers)).status_code == 401


async def test_session_has_an_absolute_lifetime(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    setup = await client.post(
        "/api/setup", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
    )
    headers = {"Cookie": f"identity={cookie_value(identity_cookie(setup))}"}
    settings = auth.context.settings
    elapsed = 0.0
    while elapsed + settings.session_idle_ttl / 2 < settings.session_absolute_ttl:
        clock.advance(settings.session_idle_ttl / 2)
        elapsed += settings.session_idle_ttl / 2
        assert (await client.post("/api/invite", json={}, headers=headers)).status_code == 200
    clock.advance(settings.session_absolute_ttl - elapsed)
    assert (await client.post("/api/invite", json={}, headers=headers)).status_code == 401


async def test_setup_works_only_while_no_login_exists(client: TestClientProtocol) -> None:
    await setup_first(client)
    again = await client.post("/api/setup", json={"name": "Other", "password": PASSWORD})
    assert again.status_code == 409
    assert (await again.get_json())["code"] == "setup_done"


async def test_setup_can_be_switched_off(data_dir: Path, clock: Clock) -> None:
    app, _ = make_app(data_dir, clock, allow_setup_endpoint=False)
    async with app.test_app():
        response = await app.test_client().post(
            "/api/setup", json={"name": "Andrea", "password": PASSWORD}
        )
        assert response.status_code == 403
        assert (await response.get_json())["code"] == "setup_disabled"


async def test_password_login_and_logout(client: TestClientProtocol) -> None:
    await setup_first(client)
    forget_cookies(client)
    wrong = await client.post(
        "/api/auth/login", json={"name": "Andrea", "password": "wrong password"}
    )
    unknown = await client.post("/api/auth/login", json={"name": "Nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert (await wrong.get_json()) == (await unknown.get_json())
    login = await client.post(
        "/api/auth/login", json={"name": "andrea", "password": PASSWORD}, scheme="https"
    )
    assert login.status_code == 200
    headers = {"Cookie": f"identity={cookie_value(identity_cookie(login))}"}
    forget_cookies(client)
    assert (await client.post("/api/invite", json={}, headers=headers)).status_code == 200
    out = await client.post("/api/auth/logout", headers=headers)
    assert out.status_code == 204
    # revoked server-side: the old cookie value no longer works
    assert (await client.post("/api/invite", json={}, headers=headers)).status_code == 401


async def test_password_policy(client: TestClientProtocol) -> None:
    for password, fragment in (
        ("short", "at least"),
        ("x" * 1025, "at most"),
        ("bad\x00password", "control"),
    ):
        response = await client.post("/api/setup", json={"name": "Andrea", "password": password})
        assert response.status_code == 400
        body = await response.get_json()
        assert body["code"] == "invalid_password"
        assert fragment in body["detail"]


async def test_password_is_normalized_nfkc(client: TestClientProtocol) -> None:
    # "ﬁ" (U+FB01) and "fi" are the same password after NFKC
    await client.post("/api/setup", json={"name": "Andrea", "password": "ﬁrst-password-1"})
    login = await client.post(
        "/api/auth/login", json={"name": "Andrea", "password": "first-password-1"}
    )
    assert login.status_code == 200


async def test_names_too_long_once_normalized_are_refused(client: TestClientProtocol) -> None:
    # 64 characters, but U+FDFA is 18 characters (33 bytes) in NFKC: too long
    long_name = "\ufdfa" * 64
    setup = await client.post("/api/setup", json={"name": long_name, "password": PASSWORD})
    assert setup.status_code == 400
    assert (await setup.get_json())["code"] == "invalid_name"
    await setup_first(client, "\ufdfa" * 3)  # 56 characters in NFKC: a valid name
    created = await invite(client)
    forget_cookies(client)
    accept = await client.post(
        f"/api/invite/{created['id']}", json={"name": long_name, "password": PASSWORD}
    )
    assert accept.status_code == 400
    assert (await accept.get_json())["code"] == "invalid_name"
    login = await client.post("/api/auth/login", json={"name": long_name, "password": PASSWORD})
    assert login.status_code == 401


async def test_invitation_events_are_audited(client: TestClientProtocol, auth: InviteAuth) -> None:
    andrea = await setup_first(client)
    created = await invite(client)
    forget_cookies(client)
    blake = await client.post(
        f"/api/invite/{created['id']}", json={"name": "Blake", "password": PASSWORD}
    )
    assert blake.status_code == 200
    await client.post("/api/auth/login", json={"name": "Blake", "password": "wrong password"})
    await client.post("/api/auth/login", json={"name": "Blake", "password": PASSWORD})
    blake_id = (await blake.get_json())["id"]
    seen = [(e.event, e.principal_id) for e in await auth.context.store.audit_events()]
    for expected in (
        ("initial_setup", andrea["id"]),
        ("invitation_issued", andrea["id"]),
        ("invitation_accepted", blake_id),
        ("login_failed", blake_id),
        ("login", blake_id),
    ):
        assert expected in seen
    login = [e for e in await auth.context.store.audit_events() if e.event == "login"]
    assert login[-1].detail["method"] == "password"


async def test_ids_have_128_bits(client: TestClientProtocol) -> None:
    andrea = await setup_first(client)
    created = await invite(client)
    for value, prefix in ((andrea["id"], "L"), (created["id"], "I")):
        assert value.startswith(prefix)
        assert len(value) - 1 >= 26  # 26 base32 characters carry 130 bits; 128 are random


async def test_50_concurrent_accepts_give_exactly_one_login(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        await setup_first(client)
        created = await invite(client)
        url = f"/api/invite/{created['id']}"

        async def accept(i: int) -> int:
            c = app.test_client()
            r = await c.post(url, json={"name": f"login {i}", "password": PASSWORD})
            return r.status_code

        statuses = await asyncio.gather(*(accept(i) for i in range(50)))
        assert sorted(statuses) == [200] + [404] * 49
        # Andrea plus exactly one new login
        assert await auth.context.store.count_principals() == 2
