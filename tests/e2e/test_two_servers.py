"""Two hypercorn app servers, each with its own data folder, sharing one PostgreSQL database.

Racers are spread over both servers (even racers on one, odd on the other), each on its
own connection, released together: single use and exact limits must hold in the
database, not in either server.
"""

from __future__ import annotations

import functools
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pyotp
import pytest

from invite_auth import Client
from invite_auth.opaque import (
    KE2,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
    generate_ke1,
    generate_ke3,
)
from invite_auth.sealing import sealing_public_key
from tests.conftest import Postgres
from tests.plugin.helpers import b64d, b64e

from .server import Server, start, stop
from .test_workers import KSF, RACERS, post, race, statuses


@dataclass
class Pair:
    a: Server
    b: Server

    def url(self, i: int) -> str:
        return (self.a if i % 2 == 0 else self.b).url


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, postgres: Postgres) -> Iterator[Pair]:
    schema = postgres.schema()
    secret = secrets.token_hex(32)  # every server of one store needs the same secret
    base = tmp_path_factory.mktemp("two-servers")
    # Untrusted failures per name: a fixed limit of 50 an hour, delays only from there on
    # (the growing delays have tests of their own), so the exact limit across servers and
    # the batches of unfinished login starts below are about sharing, not about waiting.
    shared = functools.partial(
        start,
        secret=secret,
        database_url=postgres.url,
        database_schema=schema,
        env={"INVITE_AUTH_FREE_FAILURES_PER_ACCOUNT": "50"},
    )
    a = shared(base / "a")
    try:
        b = shared(base / "b")
        try:
            yield Pair(a, b)
        finally:
            stop(b)
    finally:
        stop(a)
        postgres.drop(schema)


@pytest.fixture(scope="module")
def root(pair: Pair) -> Iterator[Client]:
    with Client(pair.a.url, ksf=KSF) as client:
        mfa = client.register(pair.a.root_invite(), "root", "root password")
        client.login("root", "root password", totp_code=pyotp.TOTP(mfa.totp_secret).now())
        yield client


def test_both_servers_share_one_store(pair: Pair, root: Client) -> None:
    invitation = root.create_invitation().id  # made through server a
    with Client(pair.b.url) as other:
        assert other.show_invitation(invitation).issuer_name == "root"
        # a's root invite was used on a; b's own printed invite is for the same root name
        assert pair.b.root_invite() != pair.a.root_invite()
    for server in (pair.a, pair.b):
        data = server.data_dir
        assert not (data / "data.mdb").exists()  # the data folders hold no LMDB store


def test_one_invite_token_starts_one_registration(pair: Pair, root: Client) -> None:
    token = root.create_site_invite("racer.example", "racer").invite_token
    requests = [create_registration_request(b"pw %d" % i)[0] for i in range(RACERS)]
    results = race(
        RACERS,
        lambda i: post(
            pair.url(i) + "/accounts/registration/start",
            {
                "invite_token": token,
                "account": "racer",
                "registration_request": b64e(requests[i].to_bytes()),
            },
        ),
    )
    assert statuses(results) == {(200, ""): 1, (409, "invite_used"): RACERS - 1}


def test_one_invitation_makes_one_login(pair: Pair, root: Client) -> None:
    invitation = root.create_invitation().id
    results = race(
        RACERS,
        lambda i: post(
            f"{pair.url(i)}/api/invite/{invitation}",
            {"name": f"guest{i}", "password": "pw guest 1"},
        ),
    )
    assert statuses(results) == {(200, ""): 1, (404, "invitation_not_found"): RACERS - 1}


def test_one_name_makes_one_account_across_both_surfaces(pair: Pair, root: Client) -> None:
    invitations = [root.create_invitation().id for _ in range(RACERS - 2)]
    finishes = []
    for domain in ("one.example", "two.example"):
        token = root.create_site_invite(domain, "sam").invite_token
        request, state = create_registration_request(b"sam's password")
        started = post(
            pair.a.url + "/accounts/registration/start",
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
            return post(pair.url(i) + "/accounts/registration/finish", finishes[i])
        return post(
            f"{pair.url(i)}/api/invite/{invitations[i - 2]}",
            {"name": "Sam", "password": "pw sam 12"},
        )

    results = race(RACERS, attempt)
    assert len([r for r in results if r.status_code in (200, 201)]) == 1, statuses(results)
    refused = Counter(r.json()["code"] for r in results if r.status_code == 409)
    assert sum(refused.values()) == RACERS - 1, statuses(results)
    assert set(refused) <= {"account_exists", "name_taken"}


def started_logins(pair: Pair, account: str, password: bytes, count: int) -> list[dict[str, str]]:
    """`count` login starts spread over both servers, each finished up to KE3."""
    prepared = []
    for i in range(count):
        ke1, state = generate_ke1(password)
        started = post(
            pair.url(i) + "/accounts/login/start", {"account": account, "ke1": b64e(ke1.to_bytes())}
        )
        assert started.status_code == 200, started.json()
        body = started.json()
        ke3 = generate_ke3(state, KE2.from_bytes(b64d(body["ke2"])), ksf=KSF).ke3
        prepared.append({"login_id": body["login_id"], "ke3": b64e(ke3.to_bytes())})
    return prepared


@pytest.mark.parametrize("factor", ["totp_code", "recovery_code"])
def test_one_second_factor_opens_one_session(pair: Pair, root: Client, factor: str) -> None:
    account = f"mfa-{factor.split('_')[0]}"
    token = root.create_site_invite(f"{account}.example", account).invite_token
    with Client(pair.b.url, ksf=KSF) as client:
        mfa = client.register(token, account, "mfa password")
    logins = started_logins(pair, account, b"mfa password", 10)
    code = pyotp.TOTP(mfa.totp_secret).now() if factor == "totp_code" else mfa.recovery_codes[0]
    results = race(
        len(logins),
        lambda i: post(pair.url(i + 1) + "/accounts/login/finish", {**logins[i], factor: code}),
    )
    spent = "totp_replayed" if factor == "totp_code" else "mfa_invalid"
    counted = statuses(results)
    assert counted[(200, "")] == 1, counted
    assert counted.total() == len(logins)
    # Every other finish is refused: the code was spent, or (recovery codes are Argon2id
    # checks, bounded per account) the server declined to hash more at once.
    refused = {(401, spent), (401, "mfa_invalid"), (429, "rate_limited")}
    assert set(counted) - {(200, "")} <= refused, counted


def test_failure_limits_are_exact_across_servers(pair: Pair, root: Client) -> None:
    """Login starts that are never finished count as failures: of 70 at once against an
    account's limit of 50 an hour, exactly 50 start and 20 are refused."""
    ke1s = [generate_ke1(b"guess %d" % i)[0] for i in range(70)]
    results = race(
        70,
        lambda i: post(
            pair.url(i) + "/accounts/login/start",
            {"account": "limited", "ke1": b64e(ke1s[i].to_bytes())},
        ),
    )
    assert statuses(results) == {(200, ""): 50, (429, "rate_limited"): 20}
