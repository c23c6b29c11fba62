"""Operations behind a fresh OPAQUE proof (change password, regenerate recovery codes,
re-enrol TOTP) and the MFA recovery journey, in-process, with the OPAQUE core as client."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from invite_auth.opaque import (
    KE2,
    KE3,
    EnvelopeRecoveryError,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
    generate_ke1,
    generate_ke3,
)
from invite_auth.sealing import SealedBundle, open_bundle, sealing_public_key
from quart_invite_auth import InviteAuth
from quart_invite_auth.errors import ErrorCode, ProblemError
from quart_invite_auth.services.ratelimit import mfa_key, name_key
from quart_invite_auth.services.recovery import issue_recovery_invite
from quart_invite_auth.store.kv import Txn

from .conftest import Clock, make_app
from .helpers import TEST_KSF, OpaqueUser, b64d, b64e, forget_cookies

PASSWORD = b"the owner's password, long enough"
NEW_PASSWORD = b"a brand new password for the owner"
STEP = 30.0  # one TOTP step: each code is accepted once


@dataclass
class Proof:
    """A started fresh proof, with what the client made of the server's KE2."""

    reauth_id: str
    ke3: str
    export_key: bytes | None
    # for a password change: the new password's record and export key
    record: bytes | None = None
    new_export_key: bytes | None = None


async def start_proof(
    user: OpaqueUser,
    *,
    password: bytes | None = None,
    new_password: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any], Proof | None]:
    """POST /accounts/reauth/start and run the client's side of it; (status, body, proof)."""
    ke1, state = generate_ke1(password if password is not None else user.password)
    body: dict[str, Any] = {"ke1": b64e(ke1.to_bytes())}
    registration = None
    if new_password is not None:
        request, registration = create_registration_request(new_password)
        body["registration_request"] = b64e(request.to_bytes())
    started = await user.client.post(
        "/accounts/reauth/start", json=body, headers=headers or user.auth()
    )
    payload = await started.get_json()
    if started.status_code != 200:
        return started.status_code, payload, None
    export_key: bytes | None
    try:
        ke3, _, export_key = generate_ke3(state, KE2.from_bytes(b64d(payload["ke2"])), ksf=TEST_KSF)
        ke3_bytes = ke3.to_bytes()
    except EnvelopeRecoveryError:
        # a wrong password: play the attacker who sends a guessed MAC anyway
        ke3_bytes, export_key = os.urandom(KE3.SIZE), None
    proof = Proof(payload["reauth_id"], b64e(ke3_bytes), export_key)
    if registration is not None:
        assert payload["registration_response"] is not None
        response = RegistrationResponse.from_bytes(b64d(payload["registration_response"]))
        record, new_export_key = finalize_registration_request(registration, response, ksf=TEST_KSF)
        proof.record, proof.new_export_key = record.to_bytes(), new_export_key
    else:
        assert payload["registration_response"] is None
    return 200, payload, proof


def finish_body(proof: Proof, **factor: str) -> dict[str, Any]:
    return {"reauth_id": proof.reauth_id, "ke3": proof.ke3, **factor}


def password_body(proof: Proof, **factor: str) -> dict[str, Any]:
    assert proof.record is not None
    assert proof.new_export_key is not None
    return {
        **finish_body(proof, **factor),
        "registration_record": b64e(proof.record),
        "sealing_public_key": b64e(sealing_public_key(proof.new_export_key)),
    }


def opened(export_key: bytes | None, account: str, sealed: dict[str, str]) -> dict[str, Any]:
    assert export_key is not None
    return open_bundle(
        export_key,
        account,
        SealedBundle(
            b64d(sealed["ephemeral_public_key"]), b64d(sealed["nonce"]), b64d(sealed["ciphertext"])
        ),
    )


async def events(auth: InviteAuth) -> list[str]:
    return [e.event for e in await auth.context.store.audit_events()]


async def owner_logged_in(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> tuple[OpaqueUser, pyotp.TOTP]:
    """The owner (root) registered and logged in; the TOTP of its secret."""
    owner = OpaqueUser(client, "owner", PASSWORD)
    registered = await owner.register(await auth.bootstrap_invite("owner"))
    totp = pyotp.TOTP(registered.totp_secret)
    status, body = await owner.login(totp_code=totp.at(clock.now))
    assert status == 200, body
    return owner, totp


def untrusted(owner: OpaqueUser) -> None:
    """No device token from here on (neither the cookie nor the body's): attempts are
    judged by the name's counters, as a stranger's would be."""
    forget_cookies(owner.client)
    owner.device_token = None


def code(totp: pyotp.TOTP, clock: Clock) -> str:
    """A code of the next step: every code is accepted once."""
    clock.advance(STEP)
    return totp.at(clock.now)


async def second_session(owner: OpaqueUser, totp: pyotp.TOTP, clock: Clock) -> dict[str, str]:
    """Another session of the owner (another device); the owner keeps the first."""
    other = OpaqueUser(owner.client, owner.account, owner.password)
    status, body = await other.login(totp_code=code(totp, clock))
    assert status == 200, body
    return other.auth()


@pytest.fixture
async def limited(data_dir: Path, clock: Clock) -> AsyncIterator[tuple[Quart, InviteAuth]]:
    """Small failure limits: 3 password failures an hour per name (no delays before), 2
    second-factor failures."""
    app, auth = make_app(
        data_dir,
        clock,
        max_failures_per_account=3,
        free_failures_per_account=3,
        max_mfa_failures_per_account=2,
    )
    async with app.test_app():
        yield app, auth


# -- change password ---------------------------------------------------------------------


async def test_change_password(client: TestClientProtocol, auth: InviteAuth, clock: Clock) -> None:
    owner, totp = await owner_logged_in(client, auth, clock)
    other = await second_session(owner, totp, clock)
    status, started, proof = await start_proof(owner, new_password=NEW_PASSWORD)
    assert status == 200, started
    assert proof is not None
    changed = await client.post(
        "/accounts/password",
        json=password_body(proof, totp_code=code(totp, clock)),
        headers=owner.auth(),
    )
    assert changed.status_code == 200, await changed.get_json()
    body = await changed.get_json()
    assert body["sessions_ended"] == 1
    assert body["account"]["name"] == "owner"
    # the current session stays; the other one ended at once
    assert (await client.get("/accounts/me", headers=owner.auth())).status_code == 200
    assert (await client.get("/accounts/me", headers=other)).status_code == 401
    # the old password fails at once, the new one works (with the same TOTP)
    status, failed = await owner.login(totp_code=code(totp, clock))
    assert (status, failed["code"]) == (401, "login_failed")
    status, failed = await owner.login(totp_code=code(totp, clock), password=NEW_PASSWORD)
    assert status == 200, failed
    assert "password_changed" in await events(auth)
    # the proof was spent
    again = await client.post(
        "/accounts/password",
        json=password_body(proof, totp_code=code(totp, clock)),
        headers=owner.auth(),
    )
    assert (again.status_code, (await again.get_json())["code"]) == (
        404,
        "reauthentication_not_found",
    )
    # later secrets are sealed to the new password's key: regenerate, open with it
    owner.password = NEW_PASSWORD
    _, _, proof = await start_proof(owner)
    assert proof is not None
    regenerated = await client.post(
        "/accounts/recovery-codes",
        json=finish_body(proof, totp_code=code(totp, clock)),
        headers=owner.auth(),
    )
    assert regenerated.status_code == 200, await regenerated.get_json()
    sealed = (await regenerated.get_json())["sealed_recovery_codes"]
    assert len(opened(proof.export_key, "owner", sealed)["recovery_codes"]) == 10


async def test_a_bad_sealing_key_leaves_the_proof_usable(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner, totp = await owner_logged_in(client, auth, clock)
    _, _, proof = await start_proof(owner, new_password=NEW_PASSWORD)
    assert proof is not None
    body = password_body(proof, totp_code=code(totp, clock))
    refused = await client.post(
        "/accounts/password",
        json={**body, "sealing_public_key": b64e(bytes(32))},  # a low-order point
        headers=owner.auth(),
    )
    assert (refused.status_code, (await refused.get_json())["code"]) == (
        400,
        "invalid_sealing_key",
    )
    changed = await client.post("/accounts/password", json=body, headers=owner.auth())
    assert changed.status_code == 200, await changed.get_json()


# -- recovery codes ------------------------------------------------------------------------


async def test_regenerate_recovery_codes(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner, _ = await owner_logged_in(client, auth, clock)
    assert owner.registered is not None
    old_codes = owner.registered.recovery_codes
    _, _, proof = await start_proof(owner)
    assert proof is not None
    # the proof's second factor may be a recovery code (spent with the rest)
    regenerated = await client.post(
        "/accounts/recovery-codes",
        json=finish_body(proof, recovery_code=old_codes[0]),
        headers=owner.auth(),
    )
    assert regenerated.status_code == 200, await regenerated.get_json()
    sealed = (await regenerated.get_json())["sealed_recovery_codes"]
    new_codes = opened(proof.export_key, "owner", sealed)["recovery_codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    # an old, unused code fails at once; a new one works
    status, body = await owner.login(recovery_code=old_codes[1])
    assert (status, body["code"]) == (401, "mfa_invalid")
    status, body = await owner.login(recovery_code=new_codes[0])
    assert status == 200, body
    assert "recovery_codes_regenerated" in await events(auth)


# -- TOTP re-enrolment ---------------------------------------------------------------------


async def test_reenrol_totp(client: TestClientProtocol, auth: InviteAuth, clock: Clock) -> None:
    owner, totp = await owner_logged_in(client, auth, clock)
    nothing = await client.post(
        "/accounts/totp/confirm", json={"totp_code": "123456"}, headers=owner.auth()
    )
    assert (nothing.status_code, (await nothing.get_json())["code"]) == (
        404,
        "totp_enrollment_not_found",
    )
    _, _, proof = await start_proof(owner)
    assert proof is not None
    started = await client.post(
        "/accounts/totp", json=finish_body(proof, totp_code=code(totp, clock)), headers=owner.auth()
    )
    assert started.status_code == 200, await started.get_json()
    secret = opened(proof.export_key, "owner", (await started.get_json())["sealed_totp"])
    assert secret["otpauth_uri"].startswith("otpauth://totp/")
    new_totp = pyotp.TOTP(secret["totp_secret"])
    # until confirmed, the old secret works and the new one does not
    status, body = await owner.login(totp_code=code(totp, clock))
    assert status == 200, body
    status, body = await owner.login(totp_code=code(new_totp, clock))
    assert (status, body["code"]) == (401, "mfa_invalid")
    # a code of the old secret does not confirm the new one
    wrong = await client.post(
        "/accounts/totp/confirm", json={"totp_code": code(totp, clock)}, headers=owner.auth()
    )
    assert (wrong.status_code, (await wrong.get_json())["code"]) == (401, "mfa_invalid")
    confirm_code = code(new_totp, clock)
    confirmed = await client.post(
        "/accounts/totp/confirm", json={"totp_code": confirm_code}, headers=owner.auth()
    )
    assert confirmed.status_code == 200, await confirmed.get_json()
    # the old secret fails at once; the new one works, but not the confirming code again
    status, body = await owner.login(totp_code=totp.at(clock.now + STEP))
    assert (status, body["code"]) == (401, "mfa_invalid")
    status, body = await owner.login(totp_code=confirm_code)
    assert (status, body["code"]) == (401, "totp_replayed")
    status, body = await owner.login(totp_code=code(new_totp, clock))
    assert status == 200, body
    again = await client.post(
        "/accounts/totp/confirm", json={"totp_code": code(new_totp, clock)}, headers=owner.auth()
    )
    assert again.status_code == 404
    recorded = await events(auth)
    assert "totp_reenrollment_started" in recorded
    assert "totp_reenrolled" in recorded
    assert "totp_reenrollment_failed" in recorded


async def test_wrong_confirmation_codes_are_counted(
    limited: tuple[Quart, InviteAuth], clock: Clock
) -> None:
    app, auth = limited
    client = app.test_client()
    owner, totp = await owner_logged_in(client, auth, clock)
    _, _, proof = await start_proof(owner)
    assert proof is not None
    started = await client.post(
        "/accounts/totp", json=finish_body(proof, totp_code=code(totp, clock)), headers=owner.auth()
    )
    new_totp = pyotp.TOTP(
        opened(proof.export_key, "owner", (await started.get_json())["sealed_totp"])["totp_secret"]
    )
    for _ in range(2):
        wrong = await client.post(
            "/accounts/totp/confirm", json={"totp_code": "000000"}, headers=owner.auth()
        )
        assert wrong.status_code == 401
    # past the MFA limit even the right code waits; the secret is not replaced
    refused = await client.post(
        "/accounts/totp/confirm", json={"totp_code": code(new_totp, clock)}, headers=owner.auth()
    )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    clock.advance(3600)
    confirmed = await client.post(
        "/accounts/totp/confirm", json={"totp_code": code(new_totp, clock)}, headers=owner.auth()
    )
    assert confirmed.status_code == 404  # the pending secret expired meanwhile (10 min)


# -- failure limits and binding --------------------------------------------------------------


async def test_wrong_passwords_count_like_logins(
    limited: tuple[Quart, InviteAuth], clock: Clock
) -> None:
    app, auth = limited
    client = app.test_client()
    owner, totp = await owner_logged_in(client, auth, clock)
    untrusted(owner)
    for _ in range(3):
        _, _, proof = await start_proof(owner, password=b"not the password")
        assert proof is not None
        failed = await client.post(
            "/accounts/recovery-codes",
            json=finish_body(proof, totp_code=code(totp, clock)),
            headers=owner.auth(),
        )
        assert (failed.status_code, (await failed.get_json())["code"]) == (401, "login_failed")
    failures = await auth.context.store.failures([name_key("owner")])
    assert len(failures[name_key("owner")]) == 3
    # the limit is shared with logins: neither a proof nor a login is admitted now
    status, body, _ = await start_proof(owner)
    assert (status, body["code"]) == (429, "rate_limited")
    status, body = await owner.login(totp_code=code(totp, clock))
    assert status == 429
    assert "reauth_failed" in await events(auth)
    clock.advance(3600)
    status, body, proof = await start_proof(owner)
    assert status == 200, body


async def test_wrong_second_factors_count_like_logins(
    limited: tuple[Quart, InviteAuth], clock: Clock
) -> None:
    app, auth = limited
    client = app.test_client()
    owner, totp = await owner_logged_in(client, auth, clock)
    untrusted(owner)
    for wrong in ("000000", "AAAA-AAAA-AAAA-AAAA"):
        _, _, proof = await start_proof(owner)
        assert proof is not None
        factor = {"totp_code": wrong} if wrong.isdigit() else {"recovery_code": wrong}
        failed = await client.post(
            "/accounts/totp", json=finish_body(proof, **factor), headers=owner.auth()
        )
        assert (failed.status_code, (await failed.get_json())["code"]) == (401, "mfa_invalid")
    # the right password took back the failures counted at the starts
    failures = await auth.context.store.failures([name_key("owner"), mfa_key("owner")])
    assert failures[name_key("owner")] == []
    assert len(failures[mfa_key("owner")]) == 2
    _, _, proof = await start_proof(owner)
    assert proof is not None
    refused = await client.post(
        "/accounts/totp", json=finish_body(proof, totp_code=code(totp, clock)), headers=owner.auth()
    )
    assert refused.status_code == 429
    # the refused attempt is spent too
    again = await client.post(
        "/accounts/totp", json=finish_body(proof, totp_code=code(totp, clock)), headers=owner.auth()
    )
    assert again.status_code == 404


async def test_a_proof_is_bound_to_its_session(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner, totp = await owner_logged_in(client, auth, clock)
    other = await second_session(owner, totp, clock)
    _, _, proof = await start_proof(owner)
    assert proof is not None
    body = finish_body(proof, totp_code=code(totp, clock))
    stolen = await client.post("/accounts/recovery-codes", json=body, headers=other)
    assert (stolen.status_code, (await stolen.get_json())["code"]) == (
        404,
        "reauthentication_not_found",
    )
    # ... and left alone: its own session still finishes it
    mine = await client.post("/accounts/recovery-codes", json=body, headers=owner.auth())
    assert mine.status_code == 200, await mine.get_json()
    # an expired proof is gone
    _, _, proof = await start_proof(owner)
    assert proof is not None
    clock.advance(auth.context.settings.login_ttl + 1)
    late = await client.post(
        "/accounts/recovery-codes",
        json=finish_body(proof, totp_code=code(totp, clock)),
        headers=owner.auth(),
    )
    assert late.status_code == 404


async def test_a_password_login_gets_a_clear_refusal(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    setup = await client.post(
        "/api/setup", json={"name": "Andrea", "password": "correct-horse-battery"}
    )
    assert setup.status_code == 200
    token = setup.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    forget_cookies(client)
    headers = {"Authorization": f"Bearer {token}"}
    ke1, _ = generate_ke1(b"correct-horse-battery")
    for path, body in (
        ("/accounts/reauth/start", {"ke1": b64e(ke1.to_bytes())}),
        ("/accounts/totp/confirm", {"totp_code": "123456"}),
        (
            "/accounts/recovery-codes",
            {"reauth_id": "x", "ke3": b64e(bytes(64)), "totp_code": "123456"},
        ),
    ):
        refused = await client.post(path, json=body, headers=headers)
        assert refused.status_code == 403, path
        assert (await refused.get_json())["code"] == "wrong_account_kind"
    login = await auth.context.store.principal_by_name("Andrea")
    assert login is not None
    with pytest.raises(ProblemError) as raised:
        await issue_recovery_invite(auth.context, login, None)
    assert raised.value.code is ErrorCode.NOT_OPAQUE_ACCOUNT


async def test_bad_input_is_a_4xx(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner, totp = await owner_logged_in(client, auth, clock)
    _, _, proof = await start_proof(owner)
    assert proof is not None
    cases: list[tuple[str, Any, int, str]] = [
        ("/accounts/reauth/start", {"ke1": "AAAA"}, 400, "malformed_request"),
        ("/accounts/reauth/start", {"ke1": b64e(bytes(96))}, 400, "malformed_request"),
        ("/accounts/reauth/start", {"ke1": b64e(bytes(96)), "extra": 1}, 400, "malformed_request"),
        ("/accounts/reauth/start", [], 400, "malformed_request"),
        ("/accounts/recovery-codes", finish_body(proof), 401, "mfa_required"),
        (
            "/accounts/recovery-codes",
            finish_body(proof, totp_code="1", recovery_code="2"),
            401,
            "mfa_required",
        ),
        (
            "/accounts/totp",
            {**finish_body(proof, totp_code="1"), "ke3": "x"},
            400,
            "malformed_request",
        ),
        ("/accounts/totp/confirm", {"totp_code": ""}, 400, "malformed_request"),
        ("/accounts/totp/confirm", {"totp_code": 123456}, 400, "malformed_request"),
        ("/accounts/password", finish_body(proof, totp_code="1"), 400, "malformed_request"),
        ("/accounts/mfa-recovery/start", {"recovery_invite": "x"}, 400, "malformed_request"),
        (
            "/accounts/mfa-recovery/finish",
            {"recovery_id": "x", "ke3": b64e(bytes(64))},
            404,
            "recovery_not_found",
        ),
    ]
    for path, body, status, problem in cases:
        response = await client.post(path, json=body, headers=owner.auth())
        assert response.status_code == status, (path, body, await response.get_json())
        assert (await response.get_json())["code"] == problem, (path, body)
    # no session at all
    forget_cookies(client)
    response = await client.post("/accounts/reauth/start", json={"ke1": b64e(bytes(96))})
    assert response.status_code == 401
    # the proof survived every malformed finish and the mfa_required ones
    ok = await client.post(
        "/accounts/recovery-codes",
        json=finish_body(proof, totp_code=code(totp, clock)),
        headers=owner.auth(),
    )
    assert ok.status_code == 200, await ok.get_json()


# -- MFA recovery ------------------------------------------------------------------------------


async def recovery_start(
    client: TestClientProtocol, invite: str, account: str, password: bytes
) -> tuple[int, dict[str, Any], Any]:
    ke1, state = generate_ke1(password)
    started = await client.post(
        "/accounts/mfa-recovery/start",
        json={"recovery_invite": invite, "account": account, "ke1": b64e(ke1.to_bytes())},
    )
    return started.status_code, await started.get_json(), state


async def recovery_finish(
    client: TestClientProtocol, started: dict[str, Any], state: Any, *, send_key: bool = False
) -> tuple[int, dict[str, Any], bytes | None]:
    export_key: bytes | None
    try:
        ke3, _, export_key = generate_ke3(state, KE2.from_bytes(b64d(started["ke2"])), ksf=TEST_KSF)
        ke3_bytes = ke3.to_bytes()
    except EnvelopeRecoveryError:
        ke3_bytes, export_key = os.urandom(KE3.SIZE), None
    body = {"recovery_id": started["recovery_id"], "ke3": b64e(ke3_bytes)}
    if send_key:
        assert export_key is not None
        body["sealing_public_key"] = b64e(sealing_public_key(export_key))
    finished = await client.post("/accounts/mfa-recovery/finish", json=body)
    return finished.status_code, await finished.get_json(), export_key


async def test_mfa_recovery_journey(limited: tuple[Quart, InviteAuth], clock: Clock) -> None:
    app, auth = limited
    client = app.test_client()
    owner, old_totp = await owner_logged_in(client, auth, clock)
    untrusted(owner)
    assert owner.registered is not None
    principal = await auth.context.store.principal_by_name("owner")
    assert principal is not None
    token, expires_at = await issue_recovery_invite(auth.context, principal, "admin-id")
    assert expires_at == pytest.approx(clock.now + 24 * 3600)
    assert "mfa_reset" in await events(auth)
    # the same answer for an unknown invite, a name with no account, and another account
    for invite, account in ((token + "x", "owner"), (token, "nobody"), ("", "owner")):
        status, body, _ = await recovery_start(client, invite, account, PASSWORD)
        assert status in (400, 404), body
        if status == 404:
            assert body["code"] == "recovery_invite_invalid"
    # a wrong password fails, counts as a failure for the name, and keeps the invite usable
    status, started, state = await recovery_start(client, token, "owner", b"wrong password")
    assert status == 200, started
    status, body, _ = await recovery_finish(client, started, state)
    assert (status, body["code"]) == (401, "login_failed")
    assert len((await auth.context.store.failures([name_key("owner")]))[name_key("owner")]) == 1
    assert "mfa_recovery_failed" in await events(auth)
    # the right password: new secrets, sealed to the key kept from registration
    status, started, state = await recovery_start(client, token, "owner", PASSWORD)
    assert status == 200, started
    status, body, export_key = await recovery_finish(client, started, state)
    assert status == 200, body
    assert body["account"]["name"] == "owner"
    secrets_ = opened(export_key, "owner", body["sealed_mfa"])
    new_totp = pyotp.TOTP(secrets_["totp_secret"])
    assert len(secrets_["recovery_codes"]) == 10
    assert "mfa_recovered" in await events(auth)
    # the failure counted at this start was taken back
    assert len((await auth.context.store.failures([name_key("owner")]))[name_key("owner")]) == 1
    # the invite was single use
    status, body, _ = await recovery_start(client, token, "owner", PASSWORD)
    assert (status, body["code"]) == (404, "recovery_invite_invalid")
    # old TOTP and old codes fail at once; the new ones work
    status, body = await owner.login(totp_code=code(old_totp, clock))
    assert (status, body["code"]) == (401, "mfa_invalid")
    status, body = await owner.login(recovery_code=owner.registered.recovery_codes[5])
    assert (status, body["code"]) == (401, "mfa_invalid")
    clock.advance(3600)  # out of the MFA limit the two failures above reached
    status, body = await owner.login(totp_code=code(new_totp, clock))
    assert status == 200, body
    status, body = await owner.login(recovery_code=secrets_["recovery_codes"][0])
    assert status == 200, body


async def test_mfa_recovery_is_refused_with_another_accounts_invite(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner, _ = await owner_logged_in(client, auth, clock)
    invite = await client.get(
        "/accounts/invite",
        query_string={"domain": "second.example", "account": "second"},
        headers=owner.auth(),
    )
    second = OpaqueUser(client, "second", b"the second owner's password")
    await second.register((await invite.get_json())["invite_token"])
    principal = await auth.context.store.principal_by_name("second")
    assert principal is not None
    token, _ = await issue_recovery_invite(auth.context, principal, None)
    status, body, _ = await recovery_start(client, token, "owner", PASSWORD)
    assert (status, body["code"]) == (404, "recovery_invite_invalid")
    # expired
    clock.advance(24 * 3600 + 1)
    status, body, _ = await recovery_start(client, token, "second", b"the second owner's password")
    assert (status, body["code"]) == (404, "recovery_invite_invalid")


async def forget_sealing_key(auth: InviteAuth, name: str) -> None:
    """Make `name` an account registered before sealing keys were kept: none on record.
    (No public step removes one; this is the store's own write, as a migration's.)"""
    store = auth.context.store
    principal = await store.principal_by_name(name)
    assert principal is not None

    async def step(txn: Txn) -> None:
        principal.sealing_public_key = None
        await store._put(txn, "account_db", principal.id.encode(), principal.to_json())

    await store._commit(step)


async def test_an_account_without_a_sealing_key_on_record(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner, totp = await owner_logged_in(client, auth, clock)
    await forget_sealing_key(auth, "owner")
    # nothing to seal new codes to: refused before the proof is spent
    _, _, proof = await start_proof(owner)
    assert proof is not None
    body = finish_body(proof, totp_code=code(totp, clock))
    for _ in range(2):
        refused = await client.post("/accounts/recovery-codes", json=body, headers=owner.auth())
        assert (refused.status_code, (await refused.get_json())["code"]) == (
            400,
            "invalid_sealing_key",
        )
    # MFA recovery: the client's key is used and kept, once the password is proven
    principal = await auth.context.store.principal_by_name("owner")
    assert principal is not None
    token, _ = await issue_recovery_invite(auth.context, principal, None)
    status, started, state = await recovery_start(client, token, "owner", PASSWORD)
    assert status == 200, started
    status, without, _ = await recovery_finish(client, started, state)
    assert (status, without["code"]) == (400, "invalid_sealing_key")
    # the recovery was not spent by that
    status, finished, export_key = await recovery_finish(client, started, state, send_key=True)
    assert status == 200, finished
    new_totp = pyotp.TOTP(opened(export_key, "owner", finished["sealed_mfa"])["totp_secret"])
    after = await auth.context.store.principal_by_name("owner")
    assert after is not None
    assert export_key is not None
    assert after.sealing_public_key == sealing_public_key(export_key)
    # ... and later secrets are sealed to it
    _, _, proof = await start_proof(owner)
    assert proof is not None
    regenerated = await client.post(
        "/accounts/recovery-codes",
        json=finish_body(proof, totp_code=code(new_totp, clock)),
        headers=owner.auth(),
    )
    assert regenerated.status_code == 200, await regenerated.get_json()


async def test_concurrent_changes_leave_the_account_consistent(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    owner, totp = await owner_logged_in(client, auth, clock)
    # two password changes at once, with the same TOTP code: one goes through
    passwords = [b"first new password", b"second new password"]
    proofs = []
    for new in passwords:
        _, _, proof = await start_proof(owner, new_password=new)
        assert proof is not None
        proofs.append(proof)
    same = code(totp, clock)
    answers = await asyncio.gather(
        *(
            client.post(
                "/accounts/password", json=password_body(p, totp_code=same), headers=owner.auth()
            )
            for p in proofs
        )
    )
    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [200, 401]
    loser = await answers[statuses.index(401)].get_json()
    assert loser["code"] == "totp_replayed"
    winner = passwords[statuses.index(200)]
    status, body = await owner.login(totp_code=code(totp, clock), password=winner)
    assert status == 200, body
    other = passwords[statuses.index(401)]
    status, body = await owner.login(totp_code=code(totp, clock), password=other)
    assert (status, body["code"]) == (401, "login_failed")
    # two regenerations at once: one set of codes, the winner's, is in force
    owner.password = winner
    proofs = []
    for _ in range(2):
        _, _, proof = await start_proof(owner)
        assert proof is not None
        proofs.append(proof)
    same = code(totp, clock)
    answers = await asyncio.gather(
        *(
            client.post(
                "/accounts/recovery-codes",
                json=finish_body(p, totp_code=same),
                headers=owner.auth(),
            )
            for p in proofs
        )
    )
    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [200, 401]
    won = statuses.index(200)
    sealed = (await answers[won].get_json())["sealed_recovery_codes"]
    codes = opened(proofs[won].export_key, "owner", sealed)["recovery_codes"]
    status, body = await owner.login(recovery_code=codes[0])
    assert status == 200, body
