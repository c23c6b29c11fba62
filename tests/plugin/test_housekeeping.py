"""Expired records are swept out, and the sweep never takes away what is still usable."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from quart.typing import TestClientProtocol

from invite_auth.opaque import create_registration_request, generate_ke1
from quart_invite_auth import InviteAuth
from quart_invite_auth.services.housekeeping import purge_expired

from .conftest import Clock, make_app
from .helpers import OpaqueUser, b64e
from .test_one_transaction import counting_writes


async def test_login_starts_for_unknown_names_do_not_pile_up(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    for i in range(30):
        ke1, _ = generate_ke1(b"guess")
        response = await client.post(
            "/accounts/login/start", json={"account": f"nobody{i}", "ke1": b64e(ke1.to_bytes())}
        )
        assert response.status_code == 200
    store = auth.context.store
    assert (await store.entry_counts())["state_db"] == 30
    assert await purge_expired(auth.context) == 0  # nothing has expired yet
    clock.advance(auth.context.settings.login_ttl + 1)
    assert await purge_expired(auth.context) == 30
    assert (await store.entry_counts())["state_db"] == 0


async def test_sweep_keeps_an_abandoned_registration_restartable_until_its_invite_expires(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    token = await auth.issue_invite(account="owner", ttl=3 * 3600)
    user = OpaqueUser(client, "owner", b"owner password")
    request, _ = create_registration_request(b"owner password")
    started = await client.post(
        "/accounts/registration/start",
        json={
            "invite_token": token,
            "account": "owner",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    assert started.status_code == 200  # ... and the client vanishes
    clock.advance(auth.context.settings.pending_ttl + 1)
    await purge_expired(auth.context)
    await user.register(token)  # the invite still works after the sweep

    late = await auth.issue_invite(account="late", ttl=3600)
    request, _ = create_registration_request(b"pw")
    body = {
        "invite_token": late,
        "account": "late",
        "registration_request": b64e(request.to_bytes()),
    }
    assert (await client.post("/accounts/registration/start", json=body)).status_code == 200
    before = (await auth.context.store.entry_counts())["state_db"]
    clock.advance(3601)
    assert await purge_expired(auth.context) >= 1
    assert (await auth.context.store.entry_counts())["state_db"] == before - 2  # reg: and jti:


async def test_expired_sessions_invitations_and_counters_go(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    setup = await client.post(
        "/api/setup", json={"name": "Andrea", "password": "long password 1"}, scheme="https"
    )
    assert setup.status_code == 200
    invited = await client.post("/api/invite", json={}, scheme="https")
    assert invited.status_code == 200
    refused = await client.post("/api/auth/login", json={"name": "Andrea", "password": "nope nope"})
    assert refused.status_code == 401
    counts = await auth.context.store.entry_counts()
    assert counts["session_db"] == 1
    assert counts["invitation_db"] == 2  # the invitation, and its issuer's quota entry
    assert counts["counter_db"] >= 1
    clock.advance(auth.context.settings.session_absolute_ttl + 1)
    await purge_expired(auth.context)
    counts = await auth.context.store.entry_counts()
    assert (counts["session_db"], counts["invitation_db"], counts["counter_db"]) == (0, 0, 0)
    assert counts["account_db"] == 1  # the login itself stays


async def test_the_sweeper_runs_while_serving(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(data_dir, clock, purge_interval=0.05)
    async with app.test_app():
        await auth.issue_invite(account="owner", ttl=10)
        assert (await auth.context.store.entry_counts())["invite_db"] == 1
        clock.advance(11)
        for _ in range(100):
            if (await auth.context.store.entry_counts())["invite_db"] == 0:
                break
            await asyncio.sleep(0.02)
        assert (await auth.context.store.entry_counts())["invite_db"] == 0


async def test_a_large_sweep_holds_the_write_lock_in_short_batches(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every worker's requests wait for LMDB's one write lock: a sweep must not keep it
    for the whole scan of a large store, only for small batches of deletions."""
    app, auth = make_app(data_dir, clock, max_failures_per_client=10_000)
    async with app.test_app():
        client = app.test_client()
        for i in range(600):  # a pending login and a failure counter for each name
            ke1, _ = generate_ke1(b"guess")
            response = await client.post(
                "/accounts/login/start", json={"account": f"n{i}", "ke1": b64e(ke1.to_bytes())}
            )
            assert response.status_code == 200
        clock.advance(auth.context.settings.failure_window + 1)
        with counting_writes(auth, monkeypatch) as writes:
            removed = await purge_expired(auth.context)
        assert removed == 600 + 600 + 1  # logins, per-name counters, the address's counter
        # ceil(1201 / 256) batches, one batch of audit retention (nothing that old), then
        # the audit event; the scan itself writes nothing
        assert writes[0] == 5 + 1 + 1
        assert (await auth.context.store.entry_counts())["state_db"] == 0
