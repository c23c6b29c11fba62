"""Strangers cannot lock the owner out (issue 14), end to end: the example app under
hypercorn with 2 workers on one data directory; 1,000 failed login starts and 200 wrong
passwords for the owner's name, from 50 loopback addresses (Linux accepts any 127.0.0.0/8
source address), while the owner logs in from a device they used before.

* the owner's first attempt succeeds;
* an attacker from a new device is slowed as documented: at most the free failures, then
  one verdict per growing delay (1 s, 2 s, 4 s, ...), and a Retry-After that says so.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pyotp
import pytest

from invite_auth import Client, errors
from invite_auth.opaque import Argon2idKSF, generate_ke1
from tests.plugin.helpers import b64e

from .server import Server, running

KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)
ADDRESSES = [f"127.0.{1 + i // 25}.{1 + i % 25}" for i in range(50)]
STARTS_PER_ADDRESS = 20  # 1,000 in all
GUESSES_PER_ADDRESS = 4  # 200 in all
# Documented defaults (README, openapi.yaml): 5 free failures, then 1 s, 2 s, 4 s, ...
FREE_FAILURES = 5
MAX_DELAY = 300
# Cheap Argon2id for seed-003 passwords, as in the other tests.
CHEAP_PASSWORDS = {
    "INVITE_AUTH_PASSWORD_TIME_COST": "1",
    "INVITE_AUTH_PASSWORD_MEMORY_COST": "1024",
    "INVITE_AUTH_PASSWORD_PARALLELISM": "1",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("abuse") / "data"
    with running(data, secret=secrets.token_hex(32), workers=2, env=CHEAP_PASSWORDS) as live:
        yield live


@dataclass
class Attack:
    answers: Counter[tuple[str, int]] = field(default_factory=Counter)
    retry_afters: list[int] = field(default_factory=list)
    admitted_at: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, response: httpx.Response) -> None:
        with self.lock:
            self.answers[kind, response.status_code] += 1
            if response.status_code == 429:
                assert response.headers["content-type"].startswith("application/problem+json")
                self.retry_afters.append(int(response.headers["Retry-After"]))
            elif response.status_code in (200, 401):
                self.admitted_at.append(time.monotonic())


def attacker(
    url: str, address: str, attack: Attack, halfway: threading.Barrier, owner_done: threading.Event
) -> None:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=url, transport=transport, timeout=60) as http:
        for i in range(STARTS_PER_ADDRESS):
            if i == STARTS_PER_ADDRESS // 2:
                # Half of the attack is in; the other half waits for the owner's login, so
                # that login happens in the middle of the attack however fast the machine.
                halfway.wait(timeout=120)
                owner_done.wait(timeout=120)
            ke1, _ = generate_ke1(b"a guess %d" % i)
            attack.record(
                "start",
                http.post(
                    "/accounts/login/start",
                    json={"account": "root", "ke1": b64e(ke1.to_bytes())},
                ),
            )
            if i % (STARTS_PER_ADDRESS // GUESSES_PER_ADDRESS) == 0:
                attack.record(
                    "password",
                    http.post("/api/auth/login", json={"name": "root", "password": f"guess {i}"}),
                )


def probe(url: str, attack: Attack) -> None:
    """Return once a delay of 2 s or more is in force for the name "root"."""
    transport = httpx.HTTPTransport(local_address=ADDRESSES[0])
    with httpx.Client(base_url=url, transport=transport, timeout=60) as http:
        for i in range(20):
            ke1, _ = generate_ke1(b"a probe %d" % i)
            response = http.post(
                "/accounts/login/start", json={"account": "root", "ke1": b64e(ke1.to_bytes())}
            )
            attack.record("probe", response)
            if response.status_code == 200:
                return  # counted: the next delay is at least 2 s
            assert response.status_code == 429, response.text
            retry_after = int(response.headers["Retry-After"])
            if retry_after >= 3:
                return
            time.sleep(retry_after)
    raise AssertionError("no delay came into force")


def test_the_owner_logs_in_during_an_attack_from_50_addresses(server: Server) -> None:
    # The owner registered and logged in once on this device: it keeps the device token.
    with Client(server.url, ksf=KSF) as owner:
        mfa = owner.register(server.root_invite(), "root", "root password")
        totp = pyotp.TOTP(mfa.totp_secret)
        owner.login("root", "root password", totp_code=totp.now())
        device_token = owner.device_token
    assert device_token

    attack = Attack()
    halfway = threading.Barrier(len(ADDRESSES) + 1)
    owner_done = threading.Event()
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(ADDRESSES)) as pool:
        running_attack = [
            pool.submit(attacker, server.url, a, attack, halfway, owner_done) for a in ADDRESSES
        ]
        try:
            halfway.wait(timeout=120)  # 500 starts and 100 guesses are in
            with attack.lock:
                assert sum(attack.answers.values()) == len(ADDRESSES) * (
                    STARTS_PER_ADDRESS // 2 + GUESSES_PER_ADDRESS // 2
                )
            # the owner's first attempt, from the device used before, succeeds
            with Client(server.url, ksf=KSF, device_token=device_token) as owner:
                session = owner.login("root", "root password", totp_code=totp.at(time.time() + 30))
                assert session.name == "root"
                assert owner.me().name == "root"
                assert owner.device_token
                assert owner.device_token != device_token
            # A newcomer with the right password but no device token waits like the
            # attackers. The attack paused for the owner's login, and a delay may have run
            # out meanwhile: first make sure one is in force (an attacker's start admitted
            # now starts a fresh one of 2 s or more; a refusal says how long one has left).
            probe(server.url, attack)
            with (
                Client(server.url, ksf=KSF) as newcomer,
                pytest.raises(errors.RateLimited) as refused,
            ):
                newcomer.login("root", "root password", totp_code=totp.now())
        finally:
            owner_done.set()  # the second half of the attack goes on
        for future in running_attack:
            future.result()
    ended = time.monotonic()
    assert refused.value.retry_after is not None
    assert 1 <= refused.value.retry_after <= MAX_DELAY

    answers = attack.answers
    probes = answers["probe", 200] + answers["probe", 429]
    assert sum(answers.values()) == (
        len(ADDRESSES) * (STARTS_PER_ADDRESS + GUESSES_PER_ADDRESS) + probes
    )
    assert all(status in (200, 401, 429) for _, status in answers), answers  # no 5xx
    # slowed as documented: the free failures, then one verdict per growing delay
    admitted = answers["start", 200] + answers["password", 401] + answers["probe", 200]
    delays = math.ceil(math.log2(ended - began + 1)) + 1
    assert admitted <= FREE_FAILURES + delays, (answers, ended - began)
    assert answers["start", 429] + answers["password", 429] >= 1200 - admitted
    assert all(1 <= r <= MAX_DELAY for r in attack.retry_afters)
