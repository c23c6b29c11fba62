"""Self-service over HTTP, in-process (issue 13): one's own sessions, one's own
invitations, a password login's password change, and `me`'s unused recovery codes.

Each test checks what changes and what stops working at once, that one login cannot see
or touch another's sessions or invitations (404), the audit events, and the 4xx problem
answers for bad input."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from quart.typing import TestClientProtocol

from quart_invite_auth import InviteAuth
from quart_invite_auth.store.core import invitation_key_ref

from .conftest import Clock, make_app
from .helpers import OpaqueUser, forget_cookies, from_address

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "battery-staple-correct-horse"
PROBLEM_JSON = "application/problem+json"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def cookie_token(response: Any) -> str:
    return str(response.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1])


async def setup_login(client: TestClientProtocol, name: str = "Andrea") -> str:
    response = await client.post("/api/setup", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, await response.get_json()
    return cookie_token(response)


async def password_login(
    client: TestClientProtocol,
    name: str = "Andrea",
    password: str = PASSWORD,
    *,
    address: str | None = None,
    user_agent: str | None = None,
) -> str:
    headers = {"User-Agent": user_agent} if user_agent else {}
    response = await client.post(
        "/api/auth/login",
        json={"name": name, "password": password},
        headers=headers,
        **from_address(address),
    )
    assert response.status_code == 200, await response.get_json()
    return cookie_token(response)


async def invited_login(client: TestClientProtocol, issuer_token: str, name: str) -> str:
    created = await client.post("/api/invite", json={}, headers=bearer(issuer_token))
    invitation = (await created.get_json())["id"]
    accepted = await client.post(
        f"/api/invite/{invitation}", json={"name": name, "password": PASSWORD}
    )
    assert accepted.status_code == 200
    return cookie_token(accepted)


async def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    body = await response.get_json()
    assert response.status_code == status, body
    assert response.mimetype == PROBLEM_JSON
    assert body["code"] == code, body
    return dict(body)


async def events(auth: InviteAuth, name: str) -> list[dict[str, Any]]:
    return [
        {**e.detail, "principal_id": e.principal_id}
        for e in await auth.context.store.audit_events()
        if e.event == name
    ]


async def sessions(client: TestClientProtocol, token: str) -> list[dict[str, Any]]:
    response = await client.get("/accounts/sessions", headers=bearer(token))
    assert response.status_code == 200, await response.get_json()
    listed: list[dict[str, Any]] = (await response.get_json())["sessions"]
    return listed


async def alive(client: TestClientProtocol, token: str) -> bool:
    response = await client.get("/accounts/me", headers=bearer(token))
    assert response.status_code in (200, 401)
    return response.status_code == 200


# -- own sessions ------------------------------------------------------------------------


async def test_sessions_are_listed_oldest_first_with_the_current_one_marked(
    client: TestClientProtocol, clock: Clock
) -> None:
    first = await setup_login(client)
    clock.advance(5)
    second = await password_login(client, address="192.0.2.7", user_agent="Firefox/133.0")
    clock.advance(5)
    third = await password_login(client, address="198.51.100.9", user_agent="curl/8.5")
    listed = await sessions(client, second)
    assert [s["current"] for s in listed] == [False, True, False]
    assert [s["client"] for s in listed[1:]] == ["192.0.2.7", "198.51.100.9"]
    assert [s["user_agent"] for s in listed[1:]] == ["Firefox/133.0", "curl/8.5"]
    assert listed[0]["created_at"] < listed[1]["created_at"] < listed[2]["created_at"]
    assert len({s["id"] for s in listed}) == 3
    # the public id is not the token, nor does it authenticate
    for session in listed:
        assert session["id"] not in (first, second, third)
        assert not await alive(client, session["id"])
    assert [s["current"] for s in await sessions(client, third)] == [False, False, True]


async def test_a_revoked_session_stops_working_at_once(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    first = await setup_login(client)
    clock.advance(1)  # oldest first: the first session is listed first
    second = await password_login(client)
    victim = (await sessions(client, second))[0]
    assert not victim["current"]
    response = await client.delete(f"/accounts/sessions/{victim['id']}", headers=bearer(second))
    assert response.status_code == 204
    assert "Set-Cookie" not in response.headers  # not the current one: nothing to clear
    assert not await alive(client, first)
    assert await alive(client, second)
    assert [s["id"] for s in await sessions(client, second)] != [victim["id"]]
    assert len(await sessions(client, second)) == 1
    [logged] = await events(auth, "session_revoked")
    assert logged["session"] == victim["id"]
    assert logged["current"] is False
    # once ended it is not found again
    again = await client.delete(f"/accounts/sessions/{victim['id']}", headers=bearer(second))
    await problem(again, 404, "session_not_found")


async def test_revoking_the_current_session_logs_out_and_clears_the_cookie(
    client: TestClientProtocol,
) -> None:
    await setup_login(client)  # the test client now holds the identity cookie
    [mine] = (await (await client.get("/accounts/sessions")).get_json())["sessions"]
    assert mine["current"]
    response = await client.delete(f"/accounts/sessions/{mine['id']}")
    assert response.status_code == 204
    assert response.headers["Set-Cookie"].startswith("identity=;")
    await problem(await client.get("/accounts/me"), 401, "unauthenticated")


async def test_revoke_others_keeps_only_the_current_session(
    client: TestClientProtocol, auth: InviteAuth
) -> None:
    others = [await setup_login(client), await password_login(client)]
    current = await password_login(client)
    stranger = await invited_login(client, current, "Bo")
    response = await client.post(
        "/accounts/sessions/revoke-others", json={}, headers=bearer(current)
    )
    assert response.status_code == 200
    assert await response.get_json() == {"revoked": 2}
    assert [await alive(client, token) for token in others] == [False, False]
    assert await alive(client, current)
    assert await alive(client, stranger)  # another login's session is not touched
    assert [s["current"] for s in await sessions(client, current)] == [True]
    [logged] = await events(auth, "sessions_revoked")
    assert logged["revoked"] == 2
    again = await client.post("/accounts/sessions/revoke-others", json={}, headers=bearer(current))
    assert await again.get_json() == {"revoked": 0}


async def test_one_login_cannot_see_or_revoke_anothers_sessions(
    client: TestClientProtocol,
) -> None:
    andrea = await setup_login(client)
    bo = await invited_login(client, andrea, "Bo")
    andreas = await sessions(client, andrea)
    bos = await sessions(client, bo)
    assert len(andreas) == len(bos) == 1
    assert andreas[0]["id"] != bos[0]["id"]
    refused = await client.delete(f"/accounts/sessions/{andreas[0]['id']}", headers=bearer(bo))
    await problem(refused, 404, "session_not_found")
    assert await alive(client, andrea)
    unknown = await client.delete("/accounts/sessions/000000000000000000000000", headers=bearer(bo))
    await problem(unknown, 404, "session_not_found")


async def test_expired_sessions_are_neither_listed_nor_revocable(
    data_dir: Path, clock: Clock
) -> None:
    app, _ = make_app(data_dir, clock, session_idle_ttl=600)
    async with app.test_app():
        client = app.test_client()
        old = await setup_login(client)
        stale = (await sessions(client, old))[0]
        clock.advance(500)
        fresh = await password_login(client)
        clock.advance(200)  # the first has been idle 700 s: expired, not yet swept
        listed = await sessions(client, fresh)
        assert [s["current"] for s in listed] == [True]
        refused = await client.delete(f"/accounts/sessions/{stale['id']}", headers=bearer(fresh))
        await problem(refused, 404, "session_not_found")
        # the visible expiry is the idle one: last use + 600 s (before the absolute one)
        used = datetime.fromisoformat(listed[0]["last_used_at"])
        assert datetime.fromisoformat(listed[0]["expires_at"]) - used == timedelta(seconds=600)


async def test_opaque_sessions_are_listed_and_me_shows_unused_recovery_codes(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner = OpaqueUser(client, "root", b"root password")
    registered = await owner.register(await auth.bootstrap_invite())
    status, _ = await owner.login(recovery_code=registered.recovery_codes[0])
    assert status == 200
    me = await (await client.get("/accounts/me", headers=owner.auth())).get_json()
    assert me["kind"] == "opaque"
    assert me["recovery_codes_remaining"] == 9
    first = owner.token
    assert first is not None
    clock.advance(1)
    status, _ = await owner.login(recovery_code=registered.recovery_codes[1])
    assert status == 200
    me = await (await client.get("/accounts/me", headers=owner.auth())).get_json()
    assert me["recovery_codes_remaining"] == 8
    assert owner.token is not None
    listed = await sessions(client, owner.token)
    assert [s["current"] for s in listed] == [False, True]
    # a password login has no recovery codes: null, not 0
    forget_cookies(client)
    login = await invited_login(client, owner.token, "Andrea")
    me = await (await client.get("/accounts/me", headers=bearer(login))).get_json()
    assert me["kind"] == "password"
    assert me["recovery_codes_remaining"] is None
    assert await alive(client, first)


# -- own invitations (seed 003) -------------------------------------------------------------


async def create_invitation(client: TestClientProtocol, token: str) -> str:
    response = await client.post("/api/invite", json={}, headers=bearer(token))
    assert response.status_code == 200, await response.get_json()
    return str((await response.get_json())["id"])


async def outstanding(client: TestClientProtocol, token: str) -> list[dict[str, Any]]:
    response = await client.get("/api/invitations", headers=bearer(token))
    assert response.status_code == 200, await response.get_json()
    listed: list[dict[str, Any]] = (await response.get_json())["invitations"]
    return listed


async def test_invitations_are_listed_by_ref_and_revoked_for_everyone(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    andrea = await setup_login(client)
    first = await create_invitation(client, andrea)
    clock.advance(1)
    second = await create_invitation(client, andrea)
    listed = await outstanding(client, andrea)
    assert [i["ref"] for i in listed] == [invitation_key_ref(first), invitation_key_ref(second)]
    # a ref does not reveal the id (it cannot be accepted with)
    assert (await client.get(f"/api/invite/{listed[0]['ref']}")).status_code == 404
    # revoke by ref ...
    response = await client.delete(f"/api/invitations/{listed[0]['ref']}", headers=bearer(andrea))
    assert response.status_code == 204
    await problem(await client.get(f"/api/invite/{first}"), 404, "invitation_not_found")
    forget_cookies(client)
    accept = await client.post(f"/api/invite/{first}", json={"name": "Bo", "password": PASSWORD})
    await problem(accept, 404, "invitation_not_found")
    assert [i["ref"] for i in await outstanding(client, andrea)] == [invitation_key_ref(second)]
    # ... or by the full id
    response = await client.delete(f"/api/invitations/{second}", headers=bearer(andrea))
    assert response.status_code == 204
    await problem(await client.get(f"/api/invite/{second}"), 404, "invitation_not_found")
    assert await outstanding(client, andrea) == []
    logged = await events(auth, "invitation_revoked")
    assert sorted(e["ref"] for e in logged) == sorted(
        [invitation_key_ref(first), invitation_key_ref(second)]
    )
    # revoked: gone, again 404
    again = await client.delete(f"/api/invitations/{second}", headers=bearer(andrea))
    await problem(again, 404, "invitation_not_found")


async def test_accepted_invitations_are_not_outstanding(client: TestClientProtocol) -> None:
    andrea = await setup_login(client)
    made = await create_invitation(client, andrea)
    await client.post(f"/api/invite/{made}", json={"name": "Bo", "password": PASSWORD})
    assert await outstanding(client, andrea) == []
    refused = await client.delete(f"/api/invitations/{made}", headers=bearer(andrea))
    await problem(refused, 404, "invitation_not_found")


async def test_one_login_cannot_see_or_revoke_anothers_invitations(
    client: TestClientProtocol,
) -> None:
    andrea = await setup_login(client)
    bo = await invited_login(client, andrea, "Bo")
    made = await create_invitation(client, andrea)
    ref = invitation_key_ref(made)
    assert await outstanding(client, bo) == []
    for target in (ref, made):
        refused = await client.delete(f"/api/invitations/{target}", headers=bearer(bo))
        await problem(refused, 404, "invitation_not_found")
    assert (await client.get(f"/api/invite/{made}")).status_code == 200
    assert [i["ref"] for i in await outstanding(client, andrea)] == [ref]
    unknown = await client.delete("/api/invitations/0123456789abcdef", headers=bearer(andrea))
    await problem(unknown, 404, "invitation_not_found")


async def test_expired_invitations_are_not_listed(data_dir: Path, clock: Clock) -> None:
    app, _ = make_app(data_dir, clock, invitation_ttl=60)
    async with app.test_app():
        client = app.test_client()
        andrea = await setup_login(client)
        made = await create_invitation(client, andrea)
        [listed] = await outstanding(client, andrea)
        assert listed["expires_at"] > listed["issued_at"]
        clock.advance(61)
        assert await outstanding(client, andrea) == []
        refused = await client.delete(f"/api/invitations/{made}", headers=bearer(andrea))
        await problem(refused, 404, "invitation_not_found")


async def test_revoking_frees_the_quota(data_dir: Path, clock: Clock) -> None:
    app, _ = make_app(data_dir, clock, max_outstanding_invitations=1)
    async with app.test_app():
        client = app.test_client()
        andrea = await setup_login(client)
        made = await create_invitation(client, andrea)
        full = await client.post("/api/invite", json={}, headers=bearer(andrea))
        await problem(full, 429, "too_many_invitations")
        assert (
            await client.delete(f"/api/invitations/{made}", headers=bearer(andrea))
        ).status_code == 204
        await create_invitation(client, andrea)


# -- seed-003 password change -------------------------------------------------------------


async def change(
    client: TestClientProtocol, token: str, current: str, new: str, **options: Any
) -> Any:
    return await client.post(
        "/api/auth/password",
        json={"current_password": current, "new_password": new},
        headers=bearer(token),
        **options,
    )


async def test_password_change_ends_other_sessions_and_the_old_password(
    client: TestClientProtocol, auth: InviteAuth
) -> None:
    others = [await setup_login(client), await password_login(client)]
    current = await password_login(client)
    bo = await invited_login(client, current, "Bo")
    response = await change(client, current, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 200, await response.get_json()
    assert await response.get_json() == {"sessions_ended": 2}
    assert [await alive(client, token) for token in others] == [False, False]
    assert await alive(client, current)
    assert await alive(client, bo)
    old = await client.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
    await problem(old, 401, "login_failed")
    await password_login(client, password=NEW_PASSWORD)
    [logged] = await events(auth, "password_changed")
    assert logged["principal_id"] is not None


async def test_a_wrong_current_password_counts_like_a_failed_login(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    current = await setup_login(client)
    forget_cookies(client)  # no device cookie: the login below is judged as untrusted
    # five failures are free (the default), each answered 401 and logged
    for _ in range(5):
        await problem(
            await change(client, current, "wrong password", NEW_PASSWORD), 401, "login_failed"
        )
    failed = await events(auth, "login_failed")
    assert [e["reason"] for e in failed] == ["password_change"] * 5
    # the sixth comes too soon after them: refused before any hashing, like a login
    refused = await problem(
        await change(client, current, PASSWORD, NEW_PASSWORD), 429, "rate_limited"
    )
    assert refused["status"] == 429
    login = await client.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
    await problem(login, 429, "rate_limited")  # the same counters as a password login
    clock.advance(301)
    response = await change(client, current, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 200, await response.get_json()


async def test_others_failures_do_not_keep_the_owner_from_changing_it(
    data_dir: Path, clock: Clock
) -> None:
    """A stranger's failed logins for the name reach the limits; the owner's change, with
    the device token of an earlier login, is judged by that device's counter alone."""
    app, _ = make_app(data_dir, clock)
    async with app.test_app():
        owner = app.test_client()
        setup = await owner.post("/api/setup", json={"name": "Andrea", "password": PASSWORD})
        device = (await setup.get_json())["device_token"]
        current = cookie_token(setup)
        stranger = app.test_client()
        for _ in range(6):
            await stranger.post(
                "/api/auth/login",
                json={"name": "Andrea", "password": "a guess"},
                **from_address("203.0.113.5"),
            )
        guess = await stranger.post(
            "/api/auth/login",
            json={"name": "Andrea", "password": PASSWORD},
            **from_address("203.0.113.5"),
        )
        await problem(guess, 429, "rate_limited")
        # without its device token the owner is refused like anyone else ...
        untrusted = await app.test_client().post(  # no cookies
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=bearer(current),
        )
        await problem(untrusted, 429, "rate_limited")
        # ... with it in the device cookie (a browser's), it is judged by the device's
        # counter: a wrong password is just wrong, not refused
        wrong = await owner.post(
            "/api/auth/password",
            json={"current_password": "not it", "new_password": NEW_PASSWORD},
            headers=bearer(current),
        )
        await problem(wrong, 401, "login_failed")
        # ... and with it in the body (an API client's), the change works
        trusted = await owner.post(
            "/api/auth/password",
            json={
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "device_token": device,
            },
            headers=bearer(current),
        )
        assert trusted.status_code == 200, await trusted.get_json()


async def test_the_new_password_meets_the_policy(client: TestClientProtocol) -> None:
    current = await setup_login(client)
    for weak in ("short", "control\x07chars"):
        await problem(await change(client, current, PASSWORD, weak), 400, "invalid_password")
    # nothing changed: the old password still logs in
    await password_login(client)


async def test_an_opaque_account_cannot_use_the_password_login_change(
    client: TestClientProtocol, auth: InviteAuth
) -> None:
    owner = OpaqueUser(client, "root", b"root password")
    registered = await owner.register(await auth.bootstrap_invite())
    status, _ = await owner.login(recovery_code=registered.recovery_codes[0])
    assert status == 200
    assert owner.token is not None
    refused = await change(client, owner.token, "root password", NEW_PASSWORD)
    await problem(refused, 403, "wrong_account_kind")
    assert await events(auth, "login_failed") == []


async def test_concurrent_password_changes_leave_one_password(client: TestClientProtocol) -> None:
    tokens = [await setup_login(client), await password_login(client)]
    answers = await asyncio.gather(
        change(client, tokens[0], PASSWORD, "first new password"),
        change(client, tokens[1], PASSWORD, "second new password"),
    )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 401]
    winner = 0 if answers[0].status_code == 200 else 1
    winning = ["first new password", "second new password"][winner]
    losing = ["first new password", "second new password"][1 - winner]
    assert await alive(client, tokens[winner])
    assert not await alive(client, tokens[1 - winner])
    await password_login(client, password=winning)
    for wrong in (PASSWORD, losing):
        response = await client.post("/api/auth/login", json={"name": "Andrea", "password": wrong})
        await problem(response, 401, "login_failed")


# -- bad input -------------------------------------------------------------------------------


async def test_bad_input_gets_problems(client: TestClientProtocol) -> None:
    token = await setup_login(client)
    forget_cookies(client)
    headers = bearer(token)
    for path, body in (
        ("/api/auth/password", {"current_password": PASSWORD}),
        ("/api/auth/password", {"current_password": PASSWORD, "new_password": 7}),
        (
            "/api/auth/password",
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "extra": 1},
        ),
        ("/accounts/sessions/revoke-others", {"all": True}),
        ("/accounts/sessions/revoke-others", []),
    ):
        await problem(await client.post(path, json=body, headers=headers), 400, "malformed_request")
    for path in ("/api/auth/password", "/accounts/sessions/revoke-others"):
        response = await client.post(
            path, data="{}", headers={**headers, "Content-Type": "text/plain"}
        )
        await problem(response, 415, "unsupported_media_type")
        await problem(await client.post(path, json={}), 401, "unauthenticated")
    for method, path in (
        ("get", "/accounts/sessions"),
        ("get", "/api/invitations"),
        ("delete", "/accounts/sessions/abc"),
        ("delete", "/api/invitations/abc"),
    ):
        response = await getattr(client, method)(path)
        await problem(response, 401, "unauthenticated")
    # odd ids are simply unknown
    for odd in ("%00", "x" * 300, "..", "%E2%80%AE"):
        await problem(
            await client.delete(f"/accounts/sessions/{odd}", headers=headers),
            404,
            "session_not_found",
        )
        await problem(
            await client.delete(f"/api/invitations/{odd}", headers=headers),
            404,
            "invitation_not_found",
        )


async def test_cookie_changes_from_another_site_are_refused(client: TestClientProtocol) -> None:
    await setup_login(client)  # the identity cookie
    [mine] = (await (await client.get("/accounts/sessions")).get_json())["sessions"]
    evil = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    for response in (
        await client.delete(f"/accounts/sessions/{mine['id']}", headers=evil),
        await client.post("/accounts/sessions/revoke-others", json={}, headers=evil),
        await client.delete("/api/invitations/0123456789abcdef", headers=evil),
        await client.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=evil,
        ),
    ):
        await problem(response, 403, "cross_site_request")
    assert (await client.get("/accounts/me")).status_code == 200
