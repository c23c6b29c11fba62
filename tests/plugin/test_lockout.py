"""Lockout without denial of service (issue 14, items 1-3).

* An attacker without the password, from any number of addresses, cannot stop the owner
  from logging in on a device they have logged in with before (device tokens).
* Untrusted guesses are slowed by growing delays, and stay at or under 100 an hour.
* Counters and answers do not tell an OPAQUE account, a password login and nobody apart.
* At most a few Argon2id verifications run at once per name and per address.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from quart import Quart
from quart.typing import TestClientProtocol

from invite_auth.opaque import generate_ke1
from quart_invite_auth import InviteAuth

from .conftest import Clock, make_app
from .helpers import OpaqueUser, b64e, forget_cookies, from_address

PASSWORD = "correct-horse-battery-staple"


@asynccontextmanager
async def world(
    data_dir: Path, clock: Clock, **settings: Any
) -> AsyncIterator[tuple[Quart, InviteAuth, OpaqueUser]]:
    """A served app with the OPAQUE account root and the password login Andrea; root has
    logged in once (its OpaqueUser keeps the device token it got)."""
    app, auth = make_app(data_dir, clock, **settings)
    async with app.test_app():
        setup = await app.test_client().post(
            "/api/setup", json={"name": "Andrea", "password": PASSWORD}
        )
        assert setup.status_code == 200
        root = OpaqueUser(app.test_client(), "root", b"root password")
        await root.register(await auth.issue_invite(account="root", privileged=True))
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert status == 200, body
        yield app, auth, root


async def start(client: TestClientProtocol, name: str, address: str | None = None) -> Any:
    ke1, _ = generate_ke1(b"a guess")
    return await client.post(
        "/accounts/login/start",
        json={"account": name, "ke1": b64e(ke1.to_bytes())},
        **from_address(address),
    )


async def guess(
    client: TestClientProtocol, name: str, address: str | None = None, **extra: Any
) -> Any:
    return await client.post(
        "/api/auth/login",
        json={"name": name, "password": "a wrong guess", **extra},
        **from_address(address),
    )


def retry_after(response: Any) -> int:
    return int(response.headers["Retry-After"])


# -- 1. the owner is never locked out of a device used before ---------------------------


async def test_strangers_cannot_lock_the_owner_out_of_a_device_used_before(
    data_dir: Path, clock: Clock
) -> None:
    async with world(data_dir, clock) as (app, _auth, root):
        device = root.device_token
        stranger = app.test_client()
        answers = []
        for i in range(60):
            address = f"198.51.100.{i % 30}"
            answers.append((await start(stranger, "root", address)).status_code)
            answers.append((await guess(stranger, "root", address)).status_code)
        assert answers.count(429) > 100  # the strangers were slowed down
        # a client without the device token, even with the right password, waits
        newcomer = OpaqueUser(app.test_client(), "root", b"root password")
        newcomer.registered = root.registered
        status, body = await newcomer.login(totp_code=root.totp(clock.now + 30))
        assert (status, body["code"]) == (429, "rate_limited")
        # the owner, on the device used before (a fresh client: the token in the body),
        # gets in at the first attempt
        owner = OpaqueUser(app.test_client(), "root", b"root password", device_token=device)
        owner.registered = root.registered
        status, body = await owner.login(totp_code=root.totp(clock.now + 30))
        assert status == 200, body
        # the newcomer gets in too, once it has waited as long as it was told
        clock.advance(60)
        status, body = await newcomer.login(totp_code=root.totp(clock.now))
        assert status == 200, body


async def test_a_password_login_keeps_its_device_too(data_dir: Path, clock: Clock) -> None:
    async with world(data_dir, clock) as (app, _auth, _root):
        owner = app.test_client()
        first = await owner.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
        assert first.status_code == 200
        device = (await first.get_json())["device_token"]
        stranger = app.test_client()
        for i in range(40):
            await guess(stranger, "andrea", f"203.0.113.{i}")
            await start(stranger, "ANDREA", f"203.0.113.{i}")
        assert (await guess(stranger, "Andrea")).status_code == 429
        again = await app.test_client().post(
            "/api/auth/login",
            json={"name": "Andrea", "password": PASSWORD, "device_token": device},
        )
        assert again.status_code == 200, await again.get_json()


async def test_browsers_keep_the_device_token_in_a_cookie(data_dir: Path, clock: Clock) -> None:
    async with world(data_dir, clock) as (app, auth, _root):
        browser = app.test_client()
        first = await browser.post(
            "/api/auth/login", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
        )
        assert first.status_code == 200
        name = auth.context.settings.device_cookie_name
        cookies = [v for k, v in first.headers.items() if k.lower() == "set-cookie"]
        [device_cookie] = [c for c in cookies if c.startswith(f"{name}=")]
        assert "HttpOnly" in device_cookie
        assert "Secure" in device_cookie
        stranger = app.test_client()
        for i in range(30):
            await guess(stranger, "Andrea", f"203.0.113.{i}")
        assert (await guess(stranger, "Andrea")).status_code == 429
        # no token in the body: the browser's cookie vouches for it
        again = await browser.post(
            "/api/auth/login", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
        )
        assert again.status_code == 200, await again.get_json()


async def test_a_device_token_is_worth_nothing_for_another_name_or_forged(
    data_dir: Path, clock: Clock
) -> None:
    async with world(data_dir, clock) as (app, _auth, root):
        assert root.device_token is not None
        stranger = app.test_client()
        for _ in range(6):
            await guess(stranger, "Andrea")
        assert (await guess(stranger, "Andrea")).status_code == 429
        head, payload, tag = root.device_token.split(".")
        for token in (
            root.device_token,  # root's, not Andrea's
            f"{head}.{payload}.{tag[:-2]}AA",  # forged tag
            f"{head}.{payload}.{tag}=",  # not the canonical spelling
            "d1.x.y",
            "",
        ):
            refused = await app.test_client().post(
                "/api/auth/login",
                json={"name": "Andrea", "password": PASSWORD, "device_token": token},
            )
            assert refused.status_code in (400, 429), token  # "" is a malformed field
        # null is no token at all
        andrea = await app.test_client().post(
            "/api/auth/login",
            json={"name": "Andrea", "password": PASSWORD, "device_token": None},
        )
        assert andrea.status_code == 429


async def test_a_device_that_fails_too_often_is_judged_as_untrusted(
    data_dir: Path, clock: Clock
) -> None:
    async with world(data_dir, clock) as (app, auth, root):
        settings = auth.context.settings
        stranger = app.test_client()
        for _ in range(settings.free_failures_per_account + 1):
            await start(stranger, "root")
        assert (await start(stranger, "root")).status_code == 429
        device = root.device_token
        owner = app.test_client()
        for _ in range(settings.max_failures_per_device):
            wrong = await guess(owner, "root", device_token=device)
            assert wrong.status_code == 401  # judged by the device's own counter
        # the device has failed too often itself: now it waits like everyone else
        assert (await guess(owner, "root", device_token=device)).status_code == 429


async def test_device_tokens_expire(data_dir: Path, clock: Clock) -> None:
    async with world(data_dir, clock, device_token_ttl=3600) as (app, _auth, root):
        stranger = app.test_client()
        clock.advance(3601)
        for _ in range(6):
            await start(stranger, "root")
        assert (await start(stranger, "root")).status_code == 429
        root.client = app.test_client()
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert (status, body["code"]) == (429, "rate_limited")


# -- untrusted guesses: growing delays, at most 100 an hour ------------------------------


async def test_untrusted_guesses_wait_longer_and_longer(data_dir: Path, clock: Clock) -> None:
    async with world(data_dir, clock) as (app, auth, _root):
        settings = auth.context.settings
        client = app.test_client()
        for _ in range(settings.free_failures_per_account):
            assert (await guess(client, "root")).status_code == 401
        waits = []
        for _ in range(12):
            refused = await guess(client, "root")
            assert refused.status_code == 429
            waits.append(retry_after(refused))
            clock.advance(retry_after(refused))  # an honest Retry-After: then it is admitted
            assert (await guess(client, "root")).status_code == 401
        cap = int(settings.max_failure_delay)
        assert waits == [min(2**i, cap) for i in range(12)]


@pytest.mark.parametrize("surface", ["start", "password"])
async def test_untrusted_guesses_stay_under_100_an_hour(
    data_dir: Path, clock: Clock, surface: str
) -> None:
    """An attacker who always comes back exactly when told, from ever new addresses."""
    async with world(data_dir, clock) as (app, auth, _root):
        client = app.test_client()
        began = clock.now
        admitted: list[float] = []
        for i in range(400):
            address = f"10.{i // 250}.{i % 250}.1"
            response = await (
                start(client, "root", address)
                if surface == "start"
                else guess(client, "root", address)
            )
            if response.status_code == 429:
                clock.advance(retry_after(response))
            else:
                admitted.append(clock.now)
            if clock.now - began > 3 * 3600:
                break
        assert clock.now - began > 3 * 3600
        busiest = max(sum(1 for t in admitted if s <= t < s + 3600) for s in admitted)
        assert busiest <= auth.context.settings.max_failures_per_account <= 100
        assert busiest < 40  # the delays, not the hourly cap, are what holds it back


# -- 2. counters do not tell who exists ------------------------------------------------------


async def test_counters_treat_accounts_logins_and_nobody_alike(
    data_dir: Path, clock: Clock
) -> None:
    """The same attempts on both surfaces get the same answers for the name of an OPAQUE
    account, of a password login and of nobody."""
    async with world(data_dir, clock, max_failures_per_account=4) as (app, _auth, _root):
        seen = {}
        for name in ("root", "Andrea", "nobody"):
            client = app.test_client()
            answers = []
            for i in range(5):
                answers.append((await guess(client, name, f"192.0.2.{i}")).status_code)
                answers.append((await start(client, name, f"192.0.2.{i}")).status_code)
            seen[name] = answers
        assert seen["root"] == seen["Andrea"] == seen["nobody"], seen
        assert seen["root"].count(429) == 6  # 4 failures per name, whichever surface


# -- 3. bounded hashing ----------------------------------------------------------------------


class CountingHasher:
    """Counts Argon2id verifications, and how many ran at once."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()
        original = PasswordHasher.verify

        def verify(hasher: PasswordHasher, hashed: Any, password: Any) -> Any:
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                return original(hasher, hashed, password)
            finally:
                with self._lock:
                    self.running -= 1

        monkeypatch.setattr(PasswordHasher, "verify", verify)


async def test_concurrent_guesses_at_one_name_hash_a_few_at_a_time(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with world(
        data_dir, clock, max_failures_per_account=10, free_failures_per_account=10
    ) as (app, auth, _root):
        hashing = CountingHasher(monkeypatch)
        guesses = await asyncio.gather(
            *(guess(app.test_client(), "Andrea", f"192.0.2.{i}") for i in range(24))
        )
        statuses = sorted(r.status_code for r in guesses)
        per_name = auth.context.settings.max_hashing_per_account
        assert hashing.calls == statuses.count(401) <= per_name
        assert statuses.count(429) == 24 - hashing.calls
        refused = [r for r in guesses if r.status_code == 429]
        assert all(retry_after(r) == 1 for r in refused)


async def test_concurrent_guesses_from_one_address_hash_a_few_at_a_time(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with world(data_dir, clock) as (app, auth, _root):
        hashing = CountingHasher(monkeypatch)
        guesses = await asyncio.gather(
            *(guess(app.test_client(), f"name {i}", "192.0.2.7") for i in range(24))
        )
        per_address = auth.context.settings.max_hashing_per_client
        assert hashing.calls <= per_address
        assert sum(r.status_code == 429 for r in guesses) >= 24 - per_address


async def test_the_owners_device_is_not_crowded_out_of_hashing(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with world(data_dir, clock, free_failures_per_account=50) as (app, _auth, _root):
        owner = app.test_client()
        first = await owner.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
        device = (await first.get_json())["device_token"]
        forget_cookies(owner)
        hashing = CountingHasher(monkeypatch)
        results = await asyncio.gather(
            *(guess(app.test_client(), "Andrea", f"192.0.2.{i}") for i in range(12)),
            owner.post(
                "/api/auth/login",
                json={"name": "Andrea", "password": PASSWORD, "device_token": device},
            ),
        )
        assert results[-1].status_code == 200
        assert hashing.most <= 3
