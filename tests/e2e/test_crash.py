"""SIGKILL in the middle of a mixed workload: nothing seen to succeed is lost, nothing is
half-written, nothing single-use is used twice, and pending states expire as documented.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
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
from invite_auth.sealing import SealedBundle, open_bundle, sealing_public_key
from quart_invite_auth.config import Settings
from quart_invite_auth.keyring import Keyring, secret_from_config
from quart_invite_auth.store.core import Store
from quart_invite_auth.store.lmdb_backend import LmdbBackend
from tests.plugin.helpers import b64d, b64e

from .server import Server, running, start, stop

KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)
ACCOUNTS = 16
INVITATIONS = 16


@dataclass
class Seen:
    """What the clients saw succeed before the crash (only 2xx answers count)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    registered: dict[str, dict[str, Any]] = field(default_factory=dict)  # account -> secrets
    started: set[str] = field(default_factory=set)
    accepted: dict[str, str] = field(default_factory=dict)  # invitation -> login name
    created_invitations: set[str] = field(default_factory=set)
    sessions: list[str] = field(default_factory=list)


def register(url: str, token: str, account: str, seen: Seen) -> None:
    password = f"{account} password".encode()
    request, state = create_registration_request(password)
    with httpx.Client(timeout=30) as http:
        started = http.post(
            url + "/accounts/registration/start",
            json={
                "invite_token": token,
                "account": account,
                "registration_request": b64e(request.to_bytes()),
            },
        )
        if started.status_code != 200:
            return
        with seen.lock:
            seen.started.add(account)
        body = started.json()
        response = RegistrationResponse.from_bytes(b64d(body["registration_response"]))
        record, export_key = finalize_registration_request(state, response, ksf=KSF)
        finished = http.post(
            url + "/accounts/registration/finish",
            json={
                "registration_id": body["registration_id"],
                "registration_record": b64e(record.to_bytes()),
                "sealing_public_key": b64e(sealing_public_key(export_key)),
            },
        )
    if finished.status_code == 201:
        sealed = finished.json()["sealed_mfa"]
        opened = open_bundle(
            export_key,
            account,
            SealedBundle(
                b64d(sealed["ephemeral_public_key"]),
                b64d(sealed["nonce"]),
                b64d(sealed["ciphertext"]),
            ),
        )
        with seen.lock:
            seen.registered[account] = opened


def accept(url: str, invitation: str, name: str, seen: Seen) -> None:
    with httpx.Client(timeout=30) as http:
        response = http.post(
            f"{url}/api/invite/{invitation}", json={"name": name, "password": "guest password"}
        )
    if response.status_code == 200:
        with seen.lock:
            seen.accepted[invitation] = name


def invite_and_login(url: str, root_token: str, seen: Seen, stop_at: float) -> None:
    with httpx.Client(timeout=30) as http:
        while time.monotonic() < stop_at:
            created = http.post(
                url + "/api/invite", json={}, headers={"Authorization": f"Bearer {root_token}"}
            )
            if created.status_code == 200:
                with seen.lock:
                    seen.created_invitations.add(created.json()["id"])
            login = http.post(
                url + "/api/auth/login", json={"name": "Andrea", "password": "andrea password"}
            )
            if login.status_code == 200:
                with seen.lock:
                    seen.sessions.append(login.cookies.get("identity") or "")


def quietly(fn: Callable[..., None], *args: Any) -> None:
    # The server may die under any request: its outcome is then unknown to the client.
    with contextlib.suppress(httpx.HTTPError):
        fn(*args)


def test_sigkill_mid_workload_loses_nothing_seen_and_leaves_nothing_half_done(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    secret = secrets.token_hex(32)
    seen = Seen()
    server: Server = start(data, secret=secret, workers=2)
    try:
        with Client(server.url, ksf=KSF) as root:
            mfa = root.register(server.root_invite(), "root", "root password")
            root.login("root", "root password", totp_code=pyotp.TOTP(mfa.totp_secret).now())
            invites = {
                f"acct{i}": root.create_site_invite(f"acct{i}.example", f"acct{i}").invite_token
                for i in range(ACCOUNTS)
            }
            invitations = [root.create_invitation().id for _ in range(INVITATIONS)]
            andrea = root.create_invitation().id
            root.accept_invitation(andrea, "Andrea", "andrea password")  # now logged in as her
            root_token = root.login(
                "root", "root password", recovery_code=mfa.recovery_codes[0]
            ).token

        # the workload: registrations, double accepts, invitations and logins, all at once
        stop_at = time.monotonic() + 10
        with ThreadPoolExecutor(max_workers=2 + ACCOUNTS + 2 * INVITATIONS) as pool:
            for _ in range(2):
                pool.submit(quietly, invite_and_login, server.url, root_token, seen, stop_at)
            for account, token in invites.items():
                pool.submit(quietly, register, server.url, token, account, seen)
            for i, invitation in enumerate(invitations):
                for attempt in range(2):  # each invitation raced twice
                    pool.submit(quietly, accept, server.url, invitation, f"g{i}x{attempt}", seen)
            # Kill once every kind of operation is under way (machines differ in speed).
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with seen.lock:
                    going = len(seen.started) >= 4 and seen.sessions and seen.accepted
                if going:
                    break
                time.sleep(0.05)
            time.sleep(0.3)
            server.kill()  # SIGKILL, mid-flight
    finally:
        stop(server)
    assert seen.sessions, "the workload never got going before the kill"
    assert seen.started, "no registration started before the kill"

    # -- the store opens cleanly, and holds no half-made account ---------------------
    settings = Settings()

    def open_store() -> Store:
        keyring = Keyring(secret_from_config(secret))
        return Store(LmdbBackend(data, map_size=settings.map_size), keyring)

    async def check_whole() -> None:
        store = open_store()
        try:
            accounts = {p.name: p for p in await store.principals()}
            for principal in accounts.values():
                if principal.kind == "opaque":
                    assert principal.opaque_record is not None, principal.name
                    assert principal.totp_secret, principal.name
                    codes = (await store.recovery_codes(principal.id)).hashes
                    assert len(codes) == 10, principal.name
            # accepted invitations made exactly one login each, and only seen names exist
            for name in seen.accepted.values():
                assert name in accounts
            made = {name for name in accounts if name.startswith("acct")}
            assert set(seen.registered) <= made <= seen.started
            guests = [name for name in accounts if name.startswith("g")]
            assert len(guests) == len({name.split("x")[0] for name in guests}), guests
        finally:
            await store.close()

    asyncio.run(check_whole())

    # -- restart on the same directory: everything seen is there, nothing reusable -----
    with running(data, secret=secret) as again:
        with Client(again.url, ksf=KSF) as client:
            for account, opened in seen.registered.items():
                code = pyotp.TOTP(opened["totp_secret"]).now()
                client.login(account, f"{account} password", totp_code=code)
                assert client.me().name == account
                with pytest.raises(errors.InviteUsed):
                    client.register(invites[account], account, "again")
            # a registration cut off between start and finish still holds its invite
            # until its pending state expires (then the invitee may start again)
            for account in seen.started - set(seen.registered):
                with pytest.raises(errors.InviteUsed):
                    client.register(invites[account], account, "again")
            for invitation, name in seen.accepted.items():
                assert client.password_login(name, "guest password").name == name
                with pytest.raises(errors.InvitationNotFound):
                    client.accept_invitation(invitation, "late" + name, "guest password")
            for invitation in seen.created_invitations - set(seen.accepted):
                assert client.show_invitation(invitation).issuer_name == "root"
        for token in seen.sessions:
            with Client(again.url, token=token) as session:
                assert session.me().name == "Andrea"

    # -- pending states: each expires within the documented time-to-live; a sweep after
    # that leaves no state behind (started registrations, logins in flight) -------------
    async def sweep_all() -> None:
        store = open_store()
        try:
            horizon = time.time() + settings.invite_ttl + settings.pending_ttl + 60
            await store.purge_expired(
                horizon,
                invitation_lifetime=settings.invitation_ttl,
                failure_window=settings.failure_window,
            )
            assert (await store.entry_counts())["state_db"] == 0
        finally:
            await store.close()

    asyncio.run(sweep_all())
