"""One served app for the contract suite, with a root account, logins and spare sessions."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
from quart import Quart

from quart_invite_auth import InviteAuth
from tests.plugin.conftest import FAST_PASSWORDS
from tests.plugin.helpers import OpaqueUser

# Sessions for logout and revokeSession examples (each ends one): enough for the three
# operations and the stateful runs.
SPARE_SESSIONS = 900
SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


@dataclass
class Served:
    app: Quart
    auth: InviteAuth
    root_token: str = ""
    # Fresh sessions for the operations that end theirs (logout), one per example.
    spare_tokens: list[str] = field(default_factory=list)


def build_app(data_dir: Path) -> tuple[Quart, InviteAuth]:
    app = Quart(__name__)
    auth = InviteAuth(
        app,
        data_dir=str(data_dir),
        secret_key=secrets.token_hex(32),
        cookie_secure=False,
        # Generated requests fail logins by the thousand from one address: keep the
        # per-address limit out of the way so deeper states stay reachable (429 is
        # documented and checked where it does occur).
        max_failures_per_client=10**9,
        # Nor the growing delays per name: they depend on the wall clock, and a run that
        # answers 429 or 200 by how fast the machine is cannot be replayed by Hypothesis.
        free_failures_per_account=100,
        max_failures_per_account=100,
        password_time_cost=FAST_PASSWORDS["password_time_cost"],
        password_memory_cost=FAST_PASSWORDS["password_memory_cost"],
        password_parallelism=FAST_PASSWORDS["password_parallelism"],
    )
    return app, auth


async def prepare(served: Served, spares: int) -> None:
    app, auth = served.app, served.auth
    async with app.test_app():
        client = app.test_client()
        root = OpaqueUser(client, "root", b"root password")
        registered = await root.register(await auth.bootstrap_invite())
        status, body = await root.login(totp_code=pyotp.TOTP(registered.totp_secret).now())
        assert status == 200, body
        served.root_token = body["access_token"]
        # An outstanding invite token, for administration's listInvites -> revokeInvite.
        minted = await client.get(
            "/accounts/invite",
            query_string={"domain": "spare.example", "account": "spare"},
            headers=root.auth(),
        )
        assert minted.status_code == 200
        invited = await client.post("/api/invite", json={}, headers=root.auth())
        invitation = (await invited.get_json())["id"]
        accepted = await client.post(
            f"/api/invite/{invitation}", json={"name": "Andrea", "password": "pw andrea"}
        )
        assert accepted.status_code == 200
        for _ in range(spares):
            response = await client.post(
                "/api/auth/login", json={"name": "Andrea", "password": "pw andrea"}
            )
            cookie = response.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
            served.spare_tokens.append(cookie)


# schemathesis parametrizes at import time, so the app exists from then on; its data lives
# in a temporary directory removed when the session ends.
DATA_DIR = Path(tempfile.mkdtemp(prefix="invite-auth-contract-"))
APP, AUTH = build_app(DATA_DIR / "lmdb")


@pytest.fixture(scope="session")
def served() -> Iterator[Served]:
    served = Served(APP, AUTH)
    asyncio.run(prepare(served, spares=SPARE_SESSIONS))
    yield served
    shutil.rmtree(DATA_DIR, ignore_errors=True)
