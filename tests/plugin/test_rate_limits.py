"""Failure limits hold for bursts of concurrent attempts, per account and per address.

Each attempt is judged in the store's write that records its outcome: if the limits were
checked only before the (slow) verification and counted after it, every attempt of a
burst would pass the check before any failure was counted. (These tests lift the bound on
hashing in flight, tested in test_abuse.py, so that a whole burst reaches the store.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from quart.typing import TestClientProtocol

from invite_auth.opaque import KE2, generate_ke3
from quart_invite_auth import InviteAuth

from .conftest import Clock, make_app
from .helpers import TEST_KSF, LoginRefused, OpaqueUser, b64d, b64e, forget_cookies

PASSWORD = "correct-horse-battery-staple"
# Every attempt of a burst reaches the store's judgement (no bound on hashing in flight).
UNBOUNDED_HASHING = {"max_hashing_per_account": 1000, "max_hashing_per_client": 1000}


def from_address(address: str) -> dict[str, Any]:
    return {"scope_base": {"client": (address, 40000)}}


@asynccontextmanager
async def registered_root(
    data_dir: Path, clock: Clock, **settings: Any
) -> AsyncIterator[tuple[OpaqueUser, InviteAuth]]:
    """A served app with these settings, and root registered through OPAQUE."""
    app, auth = make_app(data_dir, clock, **settings)
    async with app.test_app():
        root = OpaqueUser(app.test_client(), "root", b"root password")
        await root.register(await auth.bootstrap_invite())
        yield root, auth


@asynccontextmanager
async def set_up_andrea(
    data_dir: Path, clock: Clock, **settings: Any
) -> AsyncIterator[TestClientProtocol]:
    """A served app with these settings, and the first password login, Andrea; the client
    then forgets its cookies (session and device token): an untrusted client."""
    app, _auth = make_app(data_dir, clock, **settings)
    async with app.test_app():
        client = app.test_client()
        setup = await client.post("/api/setup", json={"name": "Andrea", "password": PASSWORD})
        assert setup.status_code == 200
        forget_cookies(client)
        yield client


async def test_concurrent_password_guesses_get_no_more_verdicts_than_the_limit(
    data_dir: Path, clock: Clock
) -> None:
    async with set_up_andrea(
        data_dir, clock, max_failures_per_account=5, **UNBOUNDED_HASHING
    ) as client:
        guesses = await asyncio.gather(
            *(
                client.post("/api/auth/login", json={"name": "andrea", "password": f"guess-{i}"})
                for i in range(40)
            )
        )
        statuses = sorted(r.status_code for r in guesses)
        assert statuses == [401] * 5 + [429] * 35
        right = await client.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
        assert right.status_code == 429


async def test_password_logins_are_limited_per_account_across_addresses(
    data_dir: Path, clock: Clock
) -> None:
    async with set_up_andrea(data_dir, clock, max_failures_per_account=3) as client:
        for i in range(3):
            wrong = await client.post(
                "/api/auth/login",
                json={"name": "Andrea", "password": "wrong password"},
                **from_address(f"192.0.2.{i + 1}"),
            )
            assert wrong.status_code == 401
        right = await client.post(
            "/api/auth/login",
            json={"name": "Andrea", "password": PASSWORD},
            **from_address("192.0.2.99"),
        )
        assert right.status_code == 429
        # the lockout is the account's, not the addresses': another name is still answered
        other = await client.post(
            "/api/auth/login",
            json={"name": "Bo", "password": PASSWORD},
            **from_address("192.0.2.1"),
        )
        assert other.status_code == 401
        clock.advance(3601)  # the window slides past the failures
        again = await client.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
        assert again.status_code == 200


async def test_concurrent_login_starts_stop_at_the_limit(data_dir: Path, clock: Clock) -> None:
    """A KE2 lets a client test a password guess offline, so no more leave than the limit."""
    async with registered_root(data_dir, clock, max_failures_per_account=5) as (root, _auth):

        async def start() -> tuple[int, str]:
            try:
                await root.login_start(b"a guess")
            except LoginRefused as refused:
                return refused.status, refused.body["code"]
            return 200, "started"

        outcomes = sorted(await asyncio.gather(*(start() for _ in range(40))))
        assert outcomes == [(200, "started")] * 5 + [(429, "rate_limited")] * 35


async def finish_many(root: OpaqueUser, codes: list[dict[str, str]]) -> list[tuple[int, str]]:
    """Start one login per code with the right password, then send all finishes at once."""
    finishes = []
    for code in codes:
        state, started = await root.login_start()
        ke3, _, _ = generate_ke3(state, KE2.from_bytes(b64d(started["ke2"])), ksf=TEST_KSF)
        finishes.append({"login_id": started["login_id"], "ke3": b64e(ke3.to_bytes()), **code})
    responses = await asyncio.gather(
        *(root.client.post("/accounts/login/finish", json=body) for body in finishes)
    )
    return [(r.status_code, (await r.get_json())["code"]) for r in responses]


async def test_concurrent_recovery_code_guesses_stop_at_the_limit(
    data_dir: Path, clock: Clock
) -> None:
    async with registered_root(
        data_dir,
        clock,
        max_mfa_failures_per_account=3,
        free_failures_per_account=50,  # 15 unfinished starts at once
        **UNBOUNDED_HASHING,
    ) as (root, _auth):
        wrong = [{"recovery_code": f"AAAA-BBBB-CCCC-{i:04d}"} for i in range(15)]
        results = sorted(await finish_many(root, wrong))
        assert results == [(401, "mfa_invalid")] * 3 + [(429, "rate_limited")] * 12


async def test_concurrent_totp_guesses_stop_at_the_limit(data_dir: Path, clock: Clock) -> None:
    async with registered_root(
        data_dir, clock, max_mfa_failures_per_account=3, free_failures_per_account=50
    ) as (root, _auth):
        valid = {root.totp(clock.now + d) for d in (-30, 0, 30)}
        guesses = [f"{n:06d}" for n in range(20) if f"{n:06d}" not in valid][:12]
        results = sorted(await finish_many(root, [{"totp_code": g} for g in guesses]))
        assert results == [(401, "mfa_invalid")] * 3 + [(429, "rate_limited")] * 9
        # the limit holds for the right code as well, until the window slides
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert (status, body["code"]) == (429, "rate_limited")


async def test_mfa_failures_are_counted_per_address(data_dir: Path, clock: Clock) -> None:
    async with registered_root(data_dir, clock, max_failures_per_client=4) as (root, auth):
        assert auth.context.settings.max_mfa_failures_per_account > 4
        for _ in range(4):
            status, body = await root.login(totp_code="000000")
            assert (status, body["code"]) == (401, "mfa_invalid")
        # the account's own MFA budget is not spent, the address's is
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert (status, body["code"]) == (429, "rate_limited")


async def test_totp_code_in_other_scripts_digits_is_refused(data_dir: Path, clock: Clock) -> None:
    async with registered_root(data_dir, clock) as (root, _auth):
        arabic_indic = root.totp(clock.now).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        status, body = await root.login(totp_code=arabic_indic)
        assert (status, body["code"]) == (401, "mfa_invalid")
