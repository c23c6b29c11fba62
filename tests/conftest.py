"""A PostgreSQL server for the whole test session (the store contract suite, the end-to-end
tests): a throwaway local one (tests/pg.py), or the one `INVITE_AUTH_TEST_DATABASE_URL`
names. A server that cannot be had is an error, never a skip."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .pg import PgServer, start_server


@dataclass
class Postgres:
    """A database for the tests; each test takes fresh schemas in it (`schema()`)."""

    url: str
    server: PgServer | None  # None: an external server (INVITE_AUTH_TEST_DATABASE_URL)

    def schema(self) -> str:
        return "t_" + secrets.token_hex(6)

    def drop(self, schema: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    external = os.environ.get("INVITE_AUTH_TEST_DATABASE_URL")
    if external:
        yield Postgres(external, None)
        return
    # Not under pytest's own temporary root: pytest resets that to mode 0700 whenever a
    # session starts, which would lock the `postgres` user out of its cluster.
    directory = Path(tempfile.mkdtemp(prefix="invite-auth-pg-"))
    server = start_server(directory)
    try:
        yield Postgres(server.create_database("invite_auth_tests"), server)
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
