"""An app with the plugin on a real LMDB store in a temporary directory, and a movable clock."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from quart_invite_auth import InviteAuth


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# Cheap Argon2id for seed-003 passwords in tests; the default profile is tested on its own.
FAST_PASSWORDS = {"password_time_cost": 1, "password_memory_cost": 1024, "password_parallelism": 1}


def make_app(data_dir: Path, clock: Clock, **settings: Any) -> tuple[Quart, InviteAuth]:
    app = Quart(__name__)
    options: dict[str, Any] = {
        "data_dir": str(data_dir),
        "secret_key": secrets.token_hex(32),
        **FAST_PASSWORDS,
    }
    options.update(settings)
    auth = InviteAuth(app, clock=clock, **options)
    return app, auth


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "lmdb"


@pytest.fixture
async def served(data_dir: Path, clock: Clock) -> AsyncIterator[tuple[Quart, InviteAuth]]:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        yield app, auth


@pytest.fixture
def auth(served: tuple[Quart, InviteAuth]) -> InviteAuth:
    return served[1]


@pytest.fixture
def client(served: tuple[Quart, InviteAuth]) -> TestClientProtocol:
    return served[0].test_client()
