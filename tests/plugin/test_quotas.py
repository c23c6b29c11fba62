"""The store cannot be grown without bound by a login (issue 14, item 5): a quota of
outstanding invitations per login, and an audit log kept only for its retention."""

from __future__ import annotations

from pathlib import Path

from quart.typing import TestClientProtocol

from quart_invite_auth.services.housekeeping import sweep

from .conftest import Clock, make_app

PASSWORD = "correct-horse-battery-staple"


async def setup(client: TestClientProtocol, name: str = "Andrea") -> None:
    response = await client.post(
        "/api/setup", json={"name": name, "password": PASSWORD}, scheme="https"
    )
    assert response.status_code == 200


async def test_a_login_has_at_most_its_quota_of_outstanding_invitations(
    data_dir: Path, clock: Clock
) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        await setup(client)
        quota = auth.context.settings.max_outstanding_invitations
        made = []
        for _ in range(quota):
            response = await client.post("/api/invite", json={}, scheme="https")
            assert response.status_code == 200
            made.append((await response.get_json())["id"])
            clock.advance(60)
        refused = await client.post("/api/invite", json={}, scheme="https")
        assert refused.status_code == 429
        assert (await refused.get_json())["code"] == "too_many_invitations"
        ttl = auth.context.settings.invitation_ttl
        # the oldest expires first: an honest Retry-After
        assert int(refused.headers["Retry-After"]) == int(ttl - 60 * quota)
        assert (await auth.context.store.entry_counts())["invitation_db"] == quota + 1
        # an accepted invitation is no longer outstanding
        guest = app.test_client()
        accepted = await guest.post(
            f"/api/invite/{made[3]}", json={"name": "Blake", "password": PASSWORD}
        )
        assert accepted.status_code == 200
        assert (await client.post("/api/invite", json={}, scheme="https")).status_code == 200
        assert (await client.post("/api/invite", json={}, scheme="https")).status_code == 429
        # the quota is per login: Blake has his own
        assert (await guest.post("/api/invite", json={}, scheme="https")).status_code == 200
        # ... nor is an expired one (log in again: the session went idle meanwhile)
        clock.advance(ttl - 60 * quota + 1)
        again = await client.post(
            "/api/auth/login", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
        )
        assert again.status_code == 200
        assert (await client.post("/api/invite", json={}, scheme="https")).status_code == 200


async def test_the_sweep_removes_audit_events_past_their_retention(
    data_dir: Path, clock: Clock
) -> None:
    app, auth = make_app(data_dir, clock, audit_retention_days=30)
    async with app.test_app():
        client = app.test_client()
        await setup(client)
        for _ in range(300):  # an audit event each
            await client.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
        store = auth.context.store
        old = len(await store.audit_events())
        assert old >= 301
        clock.advance(20 * 86400)
        await client.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
        await sweep(auth.context)  # removes expired sessions: a "purge" event
        assert len(await store.audit_events()) == old + 2  # no event old enough yet
        clock.advance(11 * 86400)
        await sweep(auth.context)
        events = await store.audit_events()
        # the 31-day-old events are gone; the 11-day-old login and purge remain
        assert sorted(e.event for e in events) == ["login", "purge", "purge"]
        assert all(e.at > clock.now - 30 * 86400 for e in events)
