"""Idle expiry is accurate for idle lifetimes under a minute, without a write per request
(issue 14, item 9): the idle clock moves in steps of a twentieth of the idle lifetime."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Clock, make_app
from .test_one_transaction import counting_writes

PASSWORD = "correct-horse-battery-staple"


async def test_a_30_second_idle_lifetime_is_kept_to_the_second(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, auth = make_app(data_dir, clock, session_idle_ttl=30)
    async with app.test_app():
        client = app.test_client()
        setup = await client.post("/api/setup", json={"name": "Andrea", "password": PASSWORD})
        assert setup.status_code == 200
        token = setup.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
        headers = {"Authorization": f"Bearer {token}"}
        # used every 10 s for two minutes: alive throughout
        for _ in range(12):
            clock.advance(10)
            assert (await client.get("/accounts/me", headers=headers)).status_code == 200
        # requests in quick succession write nothing (the idle clock moves in 1.5 s steps)
        with counting_writes(auth, monkeypatch) as writes:
            for _ in range(20):
                clock.advance(0.05)
                assert (await client.get("/accounts/me", headers=headers)).status_code == 200
        assert writes[0] <= 1
        # idle for 28 s: still alive (at most 1.5 s early); idle for 31 s: gone
        clock.advance(28)
        assert (await client.get("/accounts/me", headers=headers)).status_code == 200
        clock.advance(31)
        assert (await client.get("/accounts/me", headers=headers)).status_code == 401
