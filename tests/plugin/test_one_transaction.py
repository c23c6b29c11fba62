"""Each operation writes in exactly one LMDB write transaction, its audit event included,
so a crash can never leave it half-done."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from invite_auth.opaque import create_registration_request, generate_ke1
from quart_invite_auth import InviteAuth

from .conftest import Clock
from .helpers import OpaqueUser, b64e, forget_cookies


@contextmanager
def counting_writes(auth: InviteAuth, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    backend: Any = auth.context.store.backend
    original = backend._write_sync
    count = [0]

    def write(step: Any) -> Any:
        count[0] += 1
        return original(step)

    monkeypatch.setattr(backend, "_write_sync", write)
    yield count
    monkeypatch.setattr(backend, "_write_sync", original)


async def writes(
    auth: InviteAuth, monkeypatch: pytest.MonkeyPatch, action: Callable[[], Awaitable[Any]]
) -> int:
    with counting_writes(auth, monkeypatch) as count:
        await action()
    return count[0]


async def test_accounts_operations(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def issue() -> None:
        invites.append(await auth.issue_invite(account="root2", privileged=True))

    invites: list[str] = []
    root = OpaqueUser(client, "root", b"root password")
    assert await writes(auth, monkeypatch, issue) == 1
    await root.register(await auth.bootstrap_invite())

    request, _ = create_registration_request(b"pw")
    body = {
        "invite_token": invites[0],
        "account": "root2",
        "registration_request": b64e(request.to_bytes()),
    }

    async def start() -> None:
        assert (await client.post("/accounts/registration/start", json=body)).status_code == 200

    assert await writes(auth, monkeypatch, start) == 1

    owner_invite = await auth.issue_invite(account="owner", domain="owner.example")

    async def register() -> None:
        await OpaqueUser(client, "owner", b"owner pw").register(owner_invite)

    assert await writes(auth, monkeypatch, register) == 2  # start, finish

    clock.advance(30)

    async def login_totp() -> None:
        assert (await root.login(totp_code=root.totp(clock.now)))[0] == 200

    async def login_recovery() -> None:
        assert root.registered is not None
        code = root.registered.recovery_codes[0]
        assert (await root.login(recovery_code=code))[0] == 200

    async def login_wrong_code() -> None:
        assert (await root.login(totp_code="000000"))[0] == 401

    async def login_start_unknown() -> None:
        ke1, _ = generate_ke1(b"pw")
        response = await client.post(
            "/accounts/login/start", json={"account": "nobody", "ke1": b64e(ke1.to_bytes())}
        )
        assert response.status_code == 200

    # start + finish: one transaction each
    assert await writes(auth, monkeypatch, login_totp) == 2
    assert await writes(auth, monkeypatch, login_recovery) == 2
    assert await writes(auth, monkeypatch, login_wrong_code) == 2
    assert await writes(auth, monkeypatch, login_start_unknown) == 1

    async def logout() -> None:
        assert (await client.post("/accounts/logout", headers=root.auth())).status_code == 204

    assert await writes(auth, monkeypatch, logout) == 1


async def test_invitations_operations(
    client: TestClientProtocol, auth: InviteAuth, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = {"name": "Andrea", "password": "andrea's password"}
    ids: list[str] = []

    async def setup() -> None:
        response = await client.post("/api/setup", json=credentials, scheme="https")
        assert response.status_code == 200

    async def invite() -> None:
        response = await client.post("/api/invite", json={}, scheme="https")
        assert response.status_code == 200
        ids.append((await response.get_json())["id"])

    async def accept() -> None:
        forget_cookies(client)
        response = await client.post(
            f"/api/invite/{ids[0]}", json={"name": "Bob", "password": "bob's password"}
        )
        assert response.status_code == 200

    async def login() -> None:
        response = await client.post("/api/auth/login", json=credentials, scheme="https")
        assert response.status_code == 200

    async def wrong_password() -> None:
        response = await client.post(
            "/api/auth/login", json={"name": "Andrea", "password": "not it at all"}
        )
        assert response.status_code == 401

    for action in (setup, invite, accept, login, wrong_password):
        assert await writes(auth, monkeypatch, action) == 1, action.__name__
