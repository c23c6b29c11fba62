"""Racing clients against the example app under hypercorn with 2 workers on one data directory.

Each racer opens its own connection, so the kernel spreads them over both worker
processes; single use must hold in the store, not in one process's memory.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pyotp
import pytest

from invite_auth import Client, errors
from invite_auth.opaque import (
    Argon2idKSF,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
)
from invite_auth.sealing import sealing_public_key
from tests.plugin.helpers import b64d, b64e

from .server import Server, running

KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)
RACERS = 20


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("workers") / "data"
    with running(data, secret=secrets.token_hex(32), workers=2) as live:
        yield live


@pytest.fixture(scope="module")
def root(server: Server) -> Iterator[Client]:
    with Client(server.url, ksf=KSF) as client:
        mfa = client.register(server.root_invite(), "root", "root password")
        client.login("root", "root password", totp_code=pyotp.TOTP(mfa.totp_secret).now())
        yield client


def race(count: int, attempt: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Run `count` attempts at once, each on a fresh connection, released together."""
    barrier = threading.Barrier(count)

    def one(i: int) -> httpx.Response:
        barrier.wait()
        return attempt(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def post(url: str, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(timeout=60) as fresh:  # one connection per racer
        return fresh.post(url, json=body, headers=headers)


def statuses(responses: list[httpx.Response]) -> Counter[tuple[int, str]]:
    return Counter(
        (r.status_code, r.json().get("code", "") if r.status_code >= 400 else "") for r in responses
    )


def test_one_invite_token_starts_one_registration(server: Server, root: Client) -> None:
    token = root.create_site_invite("racer.example", "racer").invite_token
    requests = [create_registration_request(b"pw %d" % i)[0] for i in range(RACERS)]
    results = race(
        RACERS,
        lambda i: post(
            server.url + "/accounts/registration/start",
            {
                "invite_token": token,
                "account": "racer",
                "registration_request": b64e(requests[i].to_bytes()),
            },
        ),
    )
    assert statuses(results) == {(200, ""): 1, (409, "invite_used"): RACERS - 1}


def test_one_invitation_makes_one_login(server: Server, root: Client) -> None:
    invitation = root.create_invitation().id
    results = race(
        RACERS,
        lambda i: post(
            f"{server.url}/api/invite/{invitation}", {"name": f"guest{i}", "password": "pw guest 1"}
        ),
    )
    assert statuses(results) == {(200, ""): 1, (404, "invitation_not_found"): RACERS - 1}
    [winner] = [r for r in results if r.status_code == 200]
    name = winner.json()["name"]
    with Client(server.url) as check:
        assert check.password_login(name, "pw guest 1").name == name
        for i in range(RACERS):
            if f"guest{i}" != name:
                with pytest.raises(errors.LoginFailed):
                    check.password_login(f"guest{i}", "pw guest 1")


def test_one_name_makes_one_account_across_both_surfaces(server: Server, root: Client) -> None:
    invitations = [root.create_invitation().id for _ in range(RACERS - 2)]
    # two OPAQUE registrations for the same account name, started but not finished
    finishes: list[dict[str, Any]] = []
    for domain in ("one.example", "two.example"):
        token = root.create_site_invite(domain, "sam").invite_token
        request, state = create_registration_request(b"sam's password")
        started = post(
            server.url + "/accounts/registration/start",
            {
                "invite_token": token,
                "account": "sam",
                "registration_request": b64e(request.to_bytes()),
            },
        )
        assert started.status_code == 200, started.json()
        body = started.json()
        response = RegistrationResponse.from_bytes(b64d(body["registration_response"]))
        record, export_key = finalize_registration_request(state, response, ksf=KSF)
        finishes.append(
            {
                "registration_id": body["registration_id"],
                "registration_record": b64e(record.to_bytes()),
                "sealing_public_key": b64e(sealing_public_key(export_key)),
            }
        )

    def attempt(i: int) -> httpx.Response:
        if i < 2:
            return post(server.url + "/accounts/registration/finish", finishes[i])
        return post(
            f"{server.url}/api/invite/{invitations[i - 2]}",
            {"name": "Sam", "password": "pw sam 12"},
        )

    results = race(RACERS, attempt)
    successes = [r for r in results if r.status_code in (200, 201)]
    assert len(successes) == 1, statuses(results)
    refused = Counter(r.json()["code"] for r in results if r.status_code == 409)
    assert sum(refused.values()) == RACERS - 1, statuses(results)
    assert set(refused) <= {"account_exists", "name_taken"}
    # the invitations that lost are still usable, with another name
    losers = [invitations[i - 2] for i, r in enumerate(results) if i >= 2 and r.status_code == 409]
    again = post(f"{server.url}/api/invite/{losers[0]}", {"name": "Sam2", "password": "pw sam 12"})
    assert again.status_code == 200
