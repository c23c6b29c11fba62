"""Every documented accounts-API error, provoked."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from invite_auth.opaque import (
    KE2,
    EnvelopeRecoveryError,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
    generate_ke3,
)
from invite_auth.sealing import sealing_public_key
from quart_invite_auth import InviteAuth

from .conftest import Clock, make_app
from .helpers import TEST_KSF, OpaqueUser, b64d, b64e, forget_cookies


async def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    body = await response.get_json()
    assert response.status_code == status, body
    assert response.mimetype == "application/problem+json"
    assert body["code"] == code
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return dict(body)


@pytest.fixture
async def root(client: TestClientProtocol, auth: InviteAuth, clock: Clock) -> OpaqueUser:
    user = OpaqueUser(client, "root", b"root password")
    await user.register(await auth.bootstrap_invite())
    status, _ = await user.login(totp_code=user.totp(clock.now))
    assert status == 200
    return user


async def site_invite(
    client: TestClientProtocol, root: OpaqueUser, domain: str, account: str
) -> Any:
    return await client.get(
        "/accounts/invite", query_string={"domain": domain, "account": account}, headers=root.auth()
    )


def registration_start_body(token: str, account: str) -> dict[str, str]:
    request, _ = create_registration_request(b"pw")
    return {
        "invite_token": token,
        "account": account,
        "registration_request": b64e(request.to_bytes()),
    }


# -- GET /accounts/invite --------------------------------------------------------------


@pytest.mark.parametrize(
    "domain",
    [
        "",
        "localhost",
        "-bad.example",
        "a..b",
        "x" * 300,
        "ex ample.com",
        "exämple.com",
        "\u212aexample.com",  # KELVIN SIGN: lower() would turn it into an ASCII "k"
    ],
)
async def test_invalid_domain(client: TestClientProtocol, root: OpaqueUser, domain: str) -> None:
    await problem(await site_invite(client, root, domain, "owner"), 400, "invalid_domain")


@pytest.mark.parametrize("account", ["", "Owner", "-owner", "owner-", "a" * 65, "own er", "ö"])
async def test_invalid_account_name(
    client: TestClientProtocol, root: OpaqueUser, account: str
) -> None:
    await problem(
        await site_invite(client, root, "ok.example", account), 400, "invalid_account_name"
    )


async def test_missing_or_bad_credentials(client: TestClientProtocol, root: OpaqueUser) -> None:
    query = {"domain": "ok.example", "account": "owner"}
    forget_cookies(client)  # root's login left its identity cookie in the jar
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = await client.get("/accounts/invite", query_string=query, headers=headers)
        await problem(response, 401, "unauthenticated")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_not_privileged(client: TestClientProtocol, root: OpaqueUser, clock: Clock) -> None:
    token = (await (await site_invite(client, root, "owner.example", "owner")).get_json())[
        "invite_token"
    ]
    owner = OpaqueUser(client, "owner", b"owner pw")
    await owner.register(token)
    await owner.login(totp_code=owner.totp(clock.now))
    response = await site_invite(client, owner, "other.example", "other")
    await problem(response, 403, "not_privileged")


async def test_domain_already_has_an_owner(client: TestClientProtocol, root: OpaqueUser) -> None:
    token = (await (await site_invite(client, root, "owner.example", "owner")).get_json())[
        "invite_token"
    ]
    await OpaqueUser(client, "owner", b"pw").register(token)
    await problem(await site_invite(client, root, "Owner.Example", "second"), 409, "domain_taken")


async def test_account_exists(client: TestClientProtocol, root: OpaqueUser) -> None:
    await problem(await site_invite(client, root, "ok.example", "root"), 409, "account_exists")


async def test_registration_closed(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        root = OpaqueUser(client, "root", b"pw")
        await root.register(await auth.bootstrap_invite())
        await root.login(totp_code=root.totp(clock.now))
        token = (await (await site_invite(client, root, "a.example", "owner")).get_json())[
            "invite_token"
        ]
        saved_root_token = root.token
    closed, _ = make_app(
        data_dir,
        clock,
        registration_mode="closed",
        secret_key=auth.settings.secret_key if auth.settings else None,
    )
    async with closed.test_app():
        client = closed.test_client()
        response = await client.get(
            "/accounts/invite",
            query_string={"domain": "b.example", "account": "other"},
            headers={"Authorization": f"Bearer {saved_root_token}"},
        )
        await problem(response, 403, "registration_closed")
        start = await client.post(
            "/accounts/registration/start", json=registration_start_body(token, "owner")
        )
        await problem(start, 403, "registration_closed")


# -- POST /accounts/registration/start --------------------------------------------------


async def test_tampered_invite(client: TestClientProtocol, auth: InviteAuth) -> None:
    token = await auth.bootstrap_invite()
    version, payload, tag = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sys"]["account"] = "mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    for bad in (
        f"{version}.{forged}.{tag}",
        token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        "garbage",
        "v1..",
        "v1.a.b",
    ):
        account = "mallory" if bad.startswith(f"{version}.{forged}") else "root"
        start = await client.post(
            "/accounts/registration/start", json=registration_start_body(bad, account)
        )
        await problem(start, 400, "invite_invalid")


async def test_expired_invite(client: TestClientProtocol, auth: InviteAuth, clock: Clock) -> None:
    token = await auth.bootstrap_invite(ttl=60)
    clock.advance(61)
    start = await client.post(
        "/accounts/registration/start", json=registration_start_body(token, "root")
    )
    await problem(start, 410, "invite_expired")


async def test_used_invite(client: TestClientProtocol, auth: InviteAuth) -> None:
    token = await auth.bootstrap_invite()
    await OpaqueUser(client, "root", b"pw").register(token)
    start = await client.post(
        "/accounts/registration/start", json=registration_start_body(token, "root")
    )
    await problem(start, 409, "invite_used")


async def test_invite_for_another_account(client: TestClientProtocol, auth: InviteAuth) -> None:
    token = await auth.bootstrap_invite()
    start = await client.post(
        "/accounts/registration/start", json=registration_start_body(token, "admin")
    )
    await problem(start, 400, "invite_mismatch")


async def test_invite_in_progress_then_reusable_after_pending_expiry(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    token = await auth.bootstrap_invite()
    first = await client.post(
        "/accounts/registration/start", json=registration_start_body(token, "root")
    )
    assert first.status_code == 200
    second = await client.post(
        "/accounts/registration/start", json=registration_start_body(token, "root")
    )
    await problem(second, 409, "invite_used")
    # the connection was lost: once the pending registration expires, the invite works again
    clock.advance(auth.context.settings.pending_ttl + 1)
    user = OpaqueUser(client, "root", b"pw")
    registered = await user.register(token)
    assert registered.account["name"] == "root"
    # ... and the first registration is gone
    old_id = (await first.get_json())["registration_id"]
    finish = await client.post(
        "/accounts/registration/finish",
        json={
            "registration_id": old_id,
            "registration_record": b64e(user.registered_record),
            "sealing_public_key": b64e(bytes(32)),
        },
    )
    await problem(finish, 404, "registration_not_found")


# -- POST /accounts/registration/finish -------------------------------------------------


async def test_unknown_or_expired_registration(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    record_body = {
        "registration_id": "no-such-registration",
        "registration_record": b64e(bytes(192)),
        "sealing_public_key": b64e(bytes(32)),
    }
    response = await client.post("/accounts/registration/finish", json=record_body)
    await problem(response, 400, "malformed_request")  # all-zero bytes are no valid record
    user = OpaqueUser(client, "root", b"pw")
    token = await auth.bootstrap_invite()
    request, state = create_registration_request(user.password)
    start = await client.post(
        "/accounts/registration/start",
        json={
            "invite_token": token,
            "account": "root",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    started = await start.get_json()
    record, export_key = finalize_registration_request(
        state, RegistrationResponse.from_bytes(b64d(started["registration_response"])), ksf=TEST_KSF
    )
    valid = {
        "registration_record": b64e(record.to_bytes()),
        "sealing_public_key": b64e(sealing_public_key(export_key)),
    }
    unknown = await client.post(
        "/accounts/registration/finish", json={"registration_id": "no-such-id", **valid}
    )
    await problem(unknown, 404, "registration_not_found")
    clock.advance(auth.context.settings.pending_ttl + 1)
    expired = await client.post(
        "/accounts/registration/finish",
        json={"registration_id": started["registration_id"], **valid},
    )
    await problem(expired, 404, "registration_not_found")


async def test_low_order_sealing_key_is_refused_and_nothing_is_written(
    client: TestClientProtocol, auth: InviteAuth
) -> None:
    token = await auth.bootstrap_invite()
    request, state = create_registration_request(b"pw")
    start = await client.post(
        "/accounts/registration/start",
        json={
            "invite_token": token,
            "account": "root",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    started = await start.get_json()
    record, _ = finalize_registration_request(
        state, RegistrationResponse.from_bytes(b64d(started["registration_response"])), ksf=TEST_KSF
    )
    finish = await client.post(
        "/accounts/registration/finish",
        json={
            "registration_id": started["registration_id"],
            "registration_record": b64e(record.to_bytes()),
            "sealing_public_key": b64e(bytes(32)),  # the identity: every shared secret is zero
        },
    )
    await problem(finish, 400, "invalid_sealing_key")
    assert await auth.context.store.name_owner("root") is None


# -- login ---------------------------------------------------------------------------


async def test_login_failed_with_wrong_password(
    client: TestClientProtocol, root: OpaqueUser, clock: Clock
) -> None:
    state, started = await root.login_start(b"wrong password")
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(state, KE2.from_bytes(b64d(started["ke2"])), ksf=TEST_KSF)
    # a client that sends a KE3 anyway is refused by the server
    finish = await client.post(
        "/accounts/login/finish",
        json={"login_id": started["login_id"], "ke3": b64e(bytes(64)), "totp_code": "000000"},
    )
    await problem(finish, 401, "login_failed")
    assert finish.headers["WWW-Authenticate"].startswith("Bearer")


async def test_unknown_login_id(client: TestClientProtocol) -> None:
    finish = await client.post(
        "/accounts/login/finish",
        json={"login_id": "nope", "ke3": b64e(bytes(64)), "totp_code": "123456"},
    )
    await problem(finish, 404, "login_not_found")


async def test_login_state_is_single_use_and_expires(
    client: TestClientProtocol, root: OpaqueUser, auth: InviteAuth, clock: Clock
) -> None:
    _, started = await root.login_start()
    clock.advance(auth.context.settings.login_ttl + 1)
    finish = await client.post(
        "/accounts/login/finish",
        json={"login_id": started["login_id"], "ke3": b64e(bytes(64)), "totp_code": "123456"},
    )
    await problem(finish, 404, "login_not_found")


async def test_mfa_required(client: TestClientProtocol, root: OpaqueUser) -> None:
    status, body = await root.login()
    assert status == 401
    assert body["code"] == "mfa_required"
    status, body = await root.login(totp_code="123456", recovery_code="AAAA-AAAA-AAAA-AAAA")
    assert status == 401
    assert body["code"] == "mfa_required"


async def test_wrong_mfa_code(client: TestClientProtocol, root: OpaqueUser, clock: Clock) -> None:
    right = root.totp(clock.now)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for code in (wrong, "abcdef", "1234567"):
        status, body = await root.login(totp_code=code)
        assert (status, body["code"]) == (401, "mfa_invalid")
    status, body = await root.login(recovery_code="AAAA-BBBB-CCCC-DDDD")
    assert (status, body["code"]) == (401, "mfa_invalid")


async def test_totp_drift_and_replay(
    client: TestClientProtocol, root: OpaqueUser, clock: Clock
) -> None:
    clock.advance(90)
    # one step behind is accepted, then the same code again is a replay
    previous = root.totp(clock.now - 30)
    status, _ = await root.login(totp_code=previous)
    assert status == 200
    status, body = await root.login(totp_code=previous)
    assert (status, body["code"]) == (401, "totp_replayed")
    # two steps away is refused
    clock.advance(30)
    status, body = await root.login(totp_code=root.totp(clock.now - 60))
    assert status == 401
    status, body = await root.login(totp_code=root.totp(clock.now + 60))
    assert (status, body["code"]) == (401, "mfa_invalid")
    status, _ = await root.login(totp_code=root.totp(clock.now + 30))
    assert status == 200


async def test_rate_limited_after_failed_passwords(
    client: TestClientProtocol, root: OpaqueUser, auth: InviteAuth, clock: Clock
) -> None:
    """Past the free failures, an untrusted login waits 1 s after the latest failure."""
    forget_cookies(client)  # no device token: an untrusted client, like the guesser
    root.device_token = None
    free = auth.context.settings.free_failures_per_account
    for _ in range(free):
        _, started = await root.login_start(b"wrong")
        finish = await client.post(
            "/accounts/login/finish",
            json={"login_id": started["login_id"], "ke3": b64e(bytes(64)), "totp_code": "000000"},
        )
        assert finish.status_code == 401
    status, body = await root.login(totp_code=root.totp(clock.now))
    assert (status, body["code"]) == (429, "rate_limited")
    clock.advance(1)  # the documented delay after `free` failures
    status, _ = await root.login(totp_code=root.totp(clock.now + 30))  # an unused step
    assert status == 200


async def test_online_guessing_without_ke3_is_limited(
    client: TestClientProtocol, root: OpaqueUser, auth: InviteAuth, clock: Clock
) -> None:
    """KE2 alone lets a client test a guess, so starts that never finish count as failures."""
    forget_cookies(client)  # no device token: an untrusted client, like the guesser
    root.device_token = None
    free = auth.context.settings.free_failures_per_account
    for _ in range(free):
        await root.login_start(b"guess")  # the guesser checks KE2 locally and walks away
    status, body = await root.login(totp_code=root.totp(clock.now))
    assert (status, body["code"]) == (429, "rate_limited")


async def test_successful_logins_do_not_count_as_failures(
    client: TestClientProtocol, root: OpaqueUser, auth: InviteAuth, clock: Clock
) -> None:
    limit = auth.context.settings.max_failures_per_account
    for i in range(limit + 5):
        clock.advance(30)  # a fresh TOTP step each time
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert status == 200, (i, body)
