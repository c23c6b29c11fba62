"""What a review of the account lifecycle found, each shown closed: a login or proof
started before a password change cannot finish after it; an invite held by a started
registration can be listed and revoked; what a disabled or deleted account issued stops
with it; a disabled account cannot recover its MFA; a recovery code spent on a fresh proof
is logged."""

from __future__ import annotations

import asyncio
from typing import Any

from invite_auth.opaque import (
    KE2,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
    generate_ke1,
    generate_ke3,
)
from invite_auth.sealing import sealing_public_key
from quart_invite_auth.services.recovery import issue_recovery_invite

from .helpers import TEST_KSF, OpaqueUser, b64d, b64e
from .test_admin import PASSWORD, World
from .test_admin import world as world  # the fixture, used by name
from .test_fresh_proof import NEW_PASSWORD, finish_body, password_body, start_proof


async def change_password(world: World, user: OpaqueUser, new: bytes) -> None:
    _, _, proof = await start_proof(user, new_password=new)
    assert proof is not None
    world.clock.advance(30)
    changed = await world.client.post(
        "/accounts/password",
        json=password_body(proof, totp_code=user.totp(world.clock.now)),
        headers=user.auth(),
    )
    assert changed.status_code == 200, await changed.get_json()
    user.password = new


async def test_a_login_started_before_a_password_change_cannot_finish(world: World) -> None:
    owner = world.owner
    # the old password's login, stopped after KE2 (as an attacker holding it would)
    state, started = await owner.login_start()
    ke3, _, _ = generate_ke3(state, KE2.from_bytes(b64d(started["ke2"])), ksf=TEST_KSF)
    # a fresh proof with the old password, started in the same session
    _, _, old_proof = await start_proof(owner)
    assert old_proof is not None
    await change_password(world, owner, NEW_PASSWORD)
    world.clock.advance(30)
    finished = await world.client.post(
        "/accounts/login/finish",
        json={
            "login_id": started["login_id"],
            "ke3": b64e(ke3.to_bytes()),
            "totp_code": owner.totp(world.clock.now),
        },
    )
    assert (finished.status_code, (await finished.get_json())["code"]) == (401, "login_failed")
    used = await world.client.post(
        "/accounts/recovery-codes",
        json=finish_body(old_proof, totp_code=owner.totp(world.clock.now + 30)),
        headers=owner.auth(),
    )
    assert (used.status_code, (await used.get_json())["code"]) == (401, "login_failed")
    # the new password logs in
    world.clock.advance(60)
    assert (await owner.login(totp_code=owner.totp(world.clock.now)))[0] == 200


async def test_two_concurrent_password_changes_with_different_factors(world: World) -> None:
    """Both proofs were made for the same record: only one change goes through, and the
    password it set is the one in force (neither answers 200 for a password that fails)."""
    owner = world.owner
    assert owner.registered is not None
    passwords = [b"first new password", b"second new password"]
    proofs = []
    for new in passwords:
        _, _, proof = await start_proof(owner, new_password=new)
        assert proof is not None
        proofs.append(proof)
    world.clock.advance(30)
    factors: list[dict[str, str]] = [
        {"totp_code": owner.totp(world.clock.now)},
        {"recovery_code": owner.registered.recovery_codes[0]},
    ]
    answers = await asyncio.gather(
        *(
            world.client.post(
                "/accounts/password", json=password_body(p, **f), headers=owner.auth()
            )
            for p, f in zip(proofs, factors, strict=True)
        )
    )
    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [200, 401]
    assert (await answers[statuses.index(401)].get_json())["code"] == "login_failed"
    world.clock.advance(30)
    winner = passwords[statuses.index(200)]
    loser = passwords[statuses.index(401)]
    status, body = await owner.login(totp_code=owner.totp(world.clock.now), password=loser)
    assert (status, body["code"]) == (401, "login_failed")
    world.clock.advance(30)
    status, body = await owner.login(totp_code=owner.totp(world.clock.now), password=winner)
    assert status == 200, body


async def started_registration(world: World, account: str) -> dict[str, Any]:
    token = await world.invite(account, f"{account}.example")
    request, state = create_registration_request(b"some password")
    started = await world.client.post(
        "/accounts/registration/start",
        json={
            "invite_token": token,
            "account": account,
            "registration_request": b64e(request.to_bytes()),
        },
    )
    assert started.status_code == 200
    body = await started.get_json()
    response = RegistrationResponse.from_bytes(b64d(body["registration_response"]))
    record, export_key = finalize_registration_request(state, response, ksf=TEST_KSF)
    return {
        "token": token,
        "finish": {
            "registration_id": body["registration_id"],
            "registration_record": b64e(record.to_bytes()),
            "sealing_public_key": b64e(sealing_public_key(export_key)),
        },
    }


async def test_an_invite_held_by_a_started_registration_is_listed_and_revoked(
    world: World,
) -> None:
    held = await started_registration(world, "dave")
    status, listed = await world.call("GET", "/accounts/admin/invites")
    assert status == 200
    [invite] = [i for i in listed["invites"] if i["account"] == "dave"]
    status, _ = await world.call("DELETE", f"/accounts/admin/invites/{invite['id']}")
    assert status == 204
    status, listed = await world.call("GET", "/accounts/admin/invites")
    assert "dave" not in [i["account"] for i in listed["invites"]]
    # the registration it held ended with it, and the token never starts another
    finished = await world.client.post("/accounts/registration/finish", json=held["finish"])
    assert (finished.status_code, (await finished.get_json())["code"]) == (
        404,
        "registration_not_found",
    )
    world.clock.advance(3600)  # long after the pending registration would have expired
    request, _ = create_registration_request(b"some password")
    again = await world.client.post(
        "/accounts/registration/start",
        json={
            "invite_token": held["token"],
            "account": "dave",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    assert (again.status_code, (await again.get_json())["code"]) == (410, "invite_revoked")


async def test_what_a_disabled_or_deleted_account_issued_stops_with_it(world: World) -> None:
    # a second administrator issues an owner invite; andrea (a login) an invitation
    admin2 = OpaqueUser(world.client, "admin2", b"admin2 password")
    await admin2.register(await world.auth.issue_invite(account="admin2", privileged=True))
    assert (await world.login(admin2))[0] == 200
    response = await world.client.get(
        "/accounts/invite",
        query_string={"domain": "carol.example", "account": "carol"},
        headers=admin2.auth(),
    )
    carol_token = (await response.get_json())["invite_token"]
    invited = await world.client.post("/api/invite", json={}, headers=world.andrea())
    invitation = (await invited.get_json())["id"]
    assert (await world.call("POST", "/accounts/admin/accounts/andrea/disable", json={}))[0] == 200
    assert (await world.call("DELETE", "/accounts/admin/accounts/admin2"))[0] == 204
    shown = await world.client.get(f"/api/invite/{invitation}")
    assert (shown.status_code, (await shown.get_json())["code"]) == (404, "invitation_not_found")
    accepted = await world.client.post(
        f"/api/invite/{invitation}", json={"name": "frank", "password": PASSWORD}
    )
    assert (accepted.status_code, (await accepted.get_json())["code"]) == (
        404,
        "invitation_not_found",
    )
    request, _ = create_registration_request(b"carol password")
    started = await world.client.post(
        "/accounts/registration/start",
        json={
            "invite_token": carol_token,
            "account": "carol",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    assert (started.status_code, (await started.get_json())["code"]) == (410, "invite_revoked")
    # enabled again, andrea's invitation works again (it was not spent)
    assert (await world.call("POST", "/accounts/admin/accounts/andrea/enable", json={}))[0] == 200
    accepted = await world.client.post(
        f"/api/invite/{invitation}", json={"name": "frank", "password": PASSWORD}
    )
    assert accepted.status_code == 200


async def test_a_disabled_account_cannot_recover_its_mfa(world: World) -> None:
    owner = world.owner
    principal = await world.auth.context.store.principal_by_name("owner")
    root = await world.auth.context.store.principal_by_name("root")
    assert principal is not None
    assert root is not None
    token, _ = await issue_recovery_invite(world.auth.context, principal, root.id)
    assert (await world.call("POST", "/accounts/admin/accounts/owner/disable", json={}))[0] == 200
    ke1_state, started = await recovery_start(world, token, owner)
    ke3, _, _ = generate_ke3(ke1_state, KE2.from_bytes(b64d(started["ke2"])), ksf=TEST_KSF)
    finished = await world.client.post(
        "/accounts/mfa-recovery/finish",
        json={"recovery_id": started["recovery_id"], "ke3": b64e(ke3.to_bytes())},
    )
    assert (finished.status_code, (await finished.get_json())["code"]) == (403, "account_disabled")


async def recovery_start(world: World, token: str, user: OpaqueUser) -> tuple[Any, dict[str, Any]]:
    ke1, state = generate_ke1(user.password)
    started = await world.client.post(
        "/accounts/mfa-recovery/start",
        json={"recovery_invite": token, "account": user.account, "ke1": b64e(ke1.to_bytes())},
    )
    assert started.status_code == 200, await started.get_json()
    return state, await started.get_json()


async def test_a_recovery_code_spent_on_a_fresh_proof_is_logged(world: World) -> None:
    owner = world.owner
    assert owner.registered is not None
    _, _, proof = await start_proof(owner)
    assert proof is not None
    regenerated = await world.client.post(
        "/accounts/recovery-codes",
        json=finish_body(proof, recovery_code=owner.registered.recovery_codes[5]),
        headers=owner.auth(),
    )
    assert regenerated.status_code == 200
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"account": "owner"}
    )
    assert status == 200
    events = [(e["event"], e["detail"].get("purpose")) for e in page["events"]]
    assert ("recovery_code_used", "fresh_proof") in events
    assert ("recovery_codes_regenerated", None) in events
