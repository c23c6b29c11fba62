"""The store contract suite runs every test against both backends: LMDB in a temporary
directory and PostgreSQL in a fresh schema of the session's server."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from quart_invite_auth.keyring import Keyring, secret_from_config
from quart_invite_auth.store.core import Store
from quart_invite_auth.store.kv import TABLES, Backend
from quart_invite_auth.store.lmdb_backend import LmdbBackend
from tests.conftest import Postgres
from tests.pg import PgServer, start_server

BACKENDS = ["lmdb", "postgres"]


@dataclass
class Place:
    """Where one test's data lives, so a backend can be opened on it again."""

    kind: str
    directory: Path
    postgres: Postgres | None = None
    schema: str = ""

    async def backend(self, **options: object) -> Backend:
        if self.kind == "lmdb":
            return LmdbBackend(self.directory, map_size=1 << 28)
        from quart_invite_auth.store.postgres_backend import PostgresBackend

        assert self.postgres is not None
        return await PostgresBackend.open(self.postgres.url, schema=self.schema, **options)

    def settings(self) -> dict[str, object]:
        """InviteAuth settings that put its store here."""
        if self.kind == "lmdb":
            return {"data_dir": str(self.directory)}
        assert self.postgres is not None
        return {"database_url": self.postgres.url, "database_schema": self.schema}

    async def at_rest(self) -> bytes:
        """Everything the backend keeps, as raw bytes: the LMDB files, or every row of
        every table as PostgreSQL returns it (keys and values, no decoding)."""
        if self.kind == "lmdb":
            return b"".join(p.read_bytes() for p in sorted(self.directory.iterdir()))
        import psycopg

        assert self.postgres is not None
        chunks: list[bytes] = []
        async with await psycopg.AsyncConnection.connect(self.postgres.url) as conn:
            for table in TABLES:
                cursor = await conn.execute(
                    f'SELECT key, value FROM "{self.schema}".{table}', binary=True
                )
                for key, value in await cursor.fetchall():
                    chunks += [bytes(key), bytes(value)]
        return b"\n".join(chunks)


@pytest.fixture(params=BACKENDS)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    if request.param == "lmdb":
        yield Place("lmdb", tmp_path / "lmdb")
        return
    postgres: Postgres = request.getfixturevalue("postgres")
    schema = postgres.schema()
    yield Place("postgres", tmp_path, postgres, schema)
    postgres.drop(schema)


@pytest.fixture
def secret() -> str:
    return secrets.token_hex(32)


def keyring_for(secret: str, *fallbacks: str) -> Keyring:
    return Keyring(secret_from_config(secret), [secret_from_config(s) for s in fallbacks])


@pytest.fixture
async def backend(place: Place) -> AsyncIterator[Backend]:
    opened = await place.backend()
    yield opened
    await opened.close()


@pytest.fixture
def store(backend: Backend, secret: str) -> Store:
    return Store(backend, keyring_for(secret))


@pytest.fixture
def own_server() -> Iterator[PgServer]:
    """A PostgreSQL server of the test's own, to crash and restart."""
    directory = Path(tempfile.mkdtemp(prefix="invite-auth-pg-crash-"))
    server = start_server(directory)
    try:
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)
