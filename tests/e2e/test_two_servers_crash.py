"""Two app servers on one PostgreSQL database, under a mixed workload spread over both:
SIGKILL one server mid-load (and start it again), then crash PostgreSQL itself
(`pg_ctl stop -m immediate`) mid-load and start it again. Both servers answer normally
again without a restart; everything a client saw succeed is there; nothing single-use
was used twice; no account is half-made.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyotp
import pytest

from invite_auth import Client, errors
from quart_invite_auth.keyring import Keyring, secret_from_config
from quart_invite_auth.store.core import Store
from quart_invite_auth.store.postgres_backend import PostgresBackend
from tests.pg import PgServer, start_server

from .server import Server, start, stop
from .test_crash import KSF, Seen, accept, invite_and_login, quietly, register

ACCOUNTS = 24
INVITATIONS = 24


@pytest.fixture
def database() -> Iterator[PgServer]:
    """A PostgreSQL server of this test's own, since the test crashes it."""
    directory = Path(tempfile.mkdtemp(prefix="invite-auth-pg-e2e-"))
    server = start_server(directory)
    try:
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def answers(server: Server, invitation: str) -> bool:
    try:
        return httpx.get(f"{server.url}/api/invite/{invitation}", timeout=10).status_code == 200
    except httpx.HTTPError:
        return False


def test_app_server_killed_and_database_crashed_mid_load(
    tmp_path: Path, database: PgServer
) -> None:
    secret = secrets.token_hex(32)
    url = database.url()
    seen = Seen()
    done = threading.Event()
    # Root hands out more invitations than the default quota of outstanding ones.
    quota = {"INVITE_AUTH_MAX_OUTSTANDING_INVITATIONS": str(INVITATIONS + 10)}
    servers = [start(tmp_path / "a", secret=secret, database_url=url, env=quota)]
    try:
        servers.append(start(tmp_path / "b", secret=secret, database_url=url, env=quota))
        a, b = servers
        with Client(a.url, ksf=KSF) as root:
            mfa = root.register(a.root_invite(), "root", "root password")
            root.login("root", "root password", totp_code=pyotp.TOTP(mfa.totp_secret).now())
            invites = {
                f"acct{i}": root.create_site_invite(f"acct{i}.example", f"acct{i}").invite_token
                for i in range(ACCOUNTS)
            }
            invitations = [root.create_invitation().id for _ in range(INVITATIONS)]
            probe = root.create_invitation().id  # never accepted: shows a server is up
            andrea = root.create_invitation().id
            root.accept_invitation(andrea, "Andrea", "andrea password")
            root_token = root.login(
                "root", "root password", recovery_code=mfa.recovery_codes[0]
            ).token

        def server_url(i: int) -> str:
            return servers[i % 2].url  # looked up at call time: a is replaced after its kill

        half = ACCOUNTS // 2
        spread = itertools.count()
        with ThreadPoolExecutor(max_workers=4 + ACCOUNTS + 2 * INVITATIONS) as pool:

            def loop_invite_and_login(i: int) -> None:
                while not done.is_set():  # in 1 s slices, so a replaced server is used
                    quietly(invite_and_login, server_url(i), root_token, seen, time.monotonic() + 1)

            for i in range(4):
                pool.submit(loop_invite_and_login, i)

            def wave(accounts: list[str], guests: list[tuple[int, str]]) -> None:
                for account in accounts:
                    at = server_url(next(spread))
                    pool.submit(quietly, register, at, invites[account], account, seen)
                for i, invitation in guests:
                    for attempt in range(2):  # each invitation raced twice, on both servers
                        at, name = server_url(attempt), f"g{i}x{attempt}"
                        pool.submit(quietly, accept, at, invitation, name, seen)

            # -- phase 1: SIGKILL server a mid-load, then start it again -------------------
            names = list(invites)
            wave(names[:half], list(enumerate(invitations))[: INVITATIONS // 2])
            wait_for(lambda: len(seen.started) >= 3 and bool(seen.sessions), 60, "the workload")
            time.sleep(0.3)
            a.kill()
            time.sleep(1.0)  # b carries the load alone for a moment
            servers[0] = a = start(tmp_path / "a", secret=secret, database_url=url, env=quota)

            # -- phase 2: crash PostgreSQL mid-load, then start it again --------------------
            wave(names[half:], list(enumerate(invitations))[INVITATIONS // 2 :])
            time.sleep(0.5)
            database.crash()  # pg_ctl stop -m immediate
            time.sleep(2.0)  # both servers now answer 503 (or drop) while it is down
            down = [httpx.get(f"{s.url}/api/invite/{probe}", timeout=30) for s in servers]
            assert [r.status_code for r in down] == [503, 503]
            assert all(r.headers["Retry-After"].isdigit() for r in down)
            assert {r.json()["code"] for r in down} == {"store_unavailable"}
            database.start()
            # no restart of either app server: both answer normally again by themselves
            for server in servers:
                wait_for(functools.partial(answers, server, probe), 60, f"{server.url} to recover")
            done.set()
        for server in servers:
            assert server.process.poll() is None, server.log()
    finally:
        done.set()
        for server in servers:
            stop(server)
    assert seen.sessions, "the workload never got going"
    assert seen.started
    assert seen.accepted

    # -- the database holds no half-made account, and only what was seen or may have been
    async def check_whole() -> None:
        backend = await PostgresBackend.open(database.url())
        store = Store(backend, Keyring(secret_from_config(secret)))
        try:
            accounts = {p.name: p for p in await store.principals()}
            for principal in accounts.values():
                if principal.kind == "opaque":
                    assert principal.opaque_record is not None, principal.name
                    assert principal.totp_secret, principal.name
                    codes = (await store.recovery_codes(principal.id)).hashes
                    assert len(codes) == 10, principal.name
            for name in seen.accepted.values():
                assert name in accounts
            made = {name for name in accounts if name.startswith("acct")}
            assert set(seen.registered) <= made <= seen.started
            guests = [name for name in accounts if name.startswith("g")]
            assert len(guests) == len({name.split("x")[0] for name in guests}), guests
        finally:
            await store.close()

    asyncio.run(check_whole())

    # -- both servers again (fresh processes), on the same database: all seen is there ----
    a = start(tmp_path / "a", secret=secret, database_url=url)
    b = start(tmp_path / "b", secret=secret, database_url=url)
    try:
        for i, (account, opened) in enumerate(sorted(seen.registered.items())):
            with Client((a, b)[i % 2].url, ksf=KSF) as client:
                code = pyotp.TOTP(opened["totp_secret"]).now()
                client.login(account, f"{account} password", totp_code=code)
                assert client.me().name == account
                with pytest.raises(errors.InviteUsed):
                    client.register(invites[account], account, "again")
        with Client(b.url, ksf=KSF) as client:
            for account in seen.started - set(seen.registered):
                with pytest.raises(errors.InviteUsed):  # held by its pending registration
                    client.register(invites[account], account, "again")
            for invitation, name in seen.accepted.items():
                assert client.password_login(name, "guest password").name == name
                with pytest.raises(errors.InvitationNotFound):
                    client.accept_invitation(invitation, "late" + name, "guest password")
            for invitation in seen.created_invitations - set(seen.accepted):
                assert client.show_invitation(invitation).issuer_name == "root"
        for i, token in enumerate(seen.sessions):
            with Client((a, b)[i % 2].url, token=token) as session:
                assert session.me().name == "Andrea"
    finally:
        stop(a)
        stop(b)
