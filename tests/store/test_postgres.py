"""What only the PostgreSQL backend has: its recorded schema, start-up against a database
that is missing or newer, conflicting steps run again, and a database that goes away
(terminated connections, a crash) and comes back while the backend stays open."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest

from quart_invite_auth.store.kv import TABLES, Step, StoreStartupError, StoreUnavailable, Txn
from quart_invite_auth.store.postgres_backend import PostgresBackend, migrate_database
from quart_invite_auth.store.postgres_schema import LATEST, MIGRATIONS
from tests.conftest import Postgres
from tests.pg import PgServer, free_port


@pytest.fixture
def schema(postgres: Postgres) -> Iterator[str]:
    name = postgres.schema()
    yield name
    postgres.drop(name)


@pytest.fixture
async def backend(postgres: Postgres, schema: str) -> AsyncIterator[PostgresBackend]:
    opened = await PostgresBackend.open(postgres.url, schema=schema, pool_size=4)
    yield opened
    await opened.close()


def versions(postgres: Postgres, schema: str) -> list[int]:
    with psycopg.connect(postgres.url) as conn:
        rows = conn.execute(f'SELECT version FROM "{schema}".schema_version ORDER BY 1')
        return [int(row[0]) for row in rows.fetchall()]


def test_migrations_cover_every_table() -> None:
    created = " ".join(s for m in MIGRATIONS for s in m.statements)
    assert all(f"CREATE TABLE {table} " in created for table in TABLES)
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST + 1))


async def test_servers_starting_together_migrate_once(postgres: Postgres, schema: str) -> None:
    opened = await asyncio.gather(
        *(PostgresBackend.open(postgres.url, schema=schema, pool_size=2) for _ in range(6))
    )
    try:
        assert versions(postgres, schema) == list(range(1, LATEST + 1))
        assert await opened[0].version() == LATEST

        async def put(txn: Txn) -> None:
            await txn.put("meta", b"k", b"v")

        async def get(txn: Txn) -> bytes | None:
            return await txn.get("meta", b"k")

        await opened[0].write(put)
        assert [await b.read(get) for b in opened] == [b"v"] * 6  # one shared store
    finally:
        for b in opened:
            await b.close()
    # again (the migrate command): nothing to do, nothing lost
    assert await migrate_database(postgres.url, schema) == (LATEST, LATEST)
    again = await PostgresBackend.open(postgres.url, schema=schema)
    try:
        assert await again.read(get) == b"v"
    finally:
        await again.close()


async def test_a_newer_schema_is_refused(postgres: Postgres, schema: str) -> None:
    await migrate_database(postgres.url, schema)
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute(
            f"INSERT INTO \"{schema}\".schema_version (version, description) VALUES (%s, 'x')",
            (LATEST + 1,),
        )
    with pytest.raises(StoreStartupError, match="newer than this invite-auth knows"):
        await PostgresBackend.open(postgres.url, schema=schema)


async def test_an_unreachable_database_fails_start_up_in_one_line() -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    started = time.monotonic()
    with pytest.raises(StoreStartupError) as failed:
        await PostgresBackend.open(url, timeout=2)
    message = str(failed.value)
    assert time.monotonic() - started < 10
    assert "\n" not in message
    assert "cannot use the PostgreSQL database at 127.0.0.1:" in message
    assert "refused" in message.lower() or "failed" in message.lower()
    assert failed.value.__cause__ is None
    assert failed.value.__suppress_context__


async def test_a_wrong_database_name_is_named(postgres: Postgres) -> None:
    info = psycopg.conninfo.conninfo_to_dict(postgres.url)
    url = f"postgresql://{info.get('user', 'postgres')}@{info['host']}:{info['port']}/no_such_db"
    with pytest.raises(StoreStartupError, match="no_such_db"):
        await PostgresBackend.open(url)


def test_a_bad_schema_name_is_refused() -> None:
    with pytest.raises(ValueError, match="DATABASE_SCHEMA"):
        PostgresBackend("postgresql://localhost/x", schema='x"; DROP TABLE y; --')


async def test_steps_on_one_key_wait_in_turn(backend: PostgresBackend) -> None:
    async def bump(txn: Txn) -> None:
        value = await txn.get("counter_db", b"hot")
        await txn.put("counter_db", b"hot", b"%d" % (int(value or b"0") + 1))

    await asyncio.gather(*(backend.write(bump) for _ in range(30)))

    async def read(txn: Txn) -> bytes | None:
        return await txn.get("counter_db", b"hot")

    assert await backend.read(read) == b"30"
    assert backend.stats["retries"] == 0  # they waited for the key's lock, none failed
    assert backend.stats["unavailable"] == 0


async def test_a_step_that_loses_a_deadlock_runs_again(backend: PostgresBackend) -> None:
    """Two steps lock two keys in opposite orders; PostgreSQL refuses one (40P01), which
    runs again once the other has committed. Both take effect, once."""
    both_hold_one = asyncio.Barrier(2)
    runs: list[str] = []

    def crossing(first: bytes, second: bytes) -> Step[None]:
        async def step(txn: Txn) -> None:
            runs.append(first.decode())
            value = int(await txn.get("counter_db", first) or b"0")
            if len(runs) <= 2:  # the first run of each: make sure they cross
                await both_hold_one.wait()
            await txn.put("counter_db", second, b"%d" % (value + 1))
            await txn.put("counter_db", first, b"%d" % (value + 1))

        return step

    await asyncio.gather(backend.write(crossing(b"a", b"b")), backend.write(crossing(b"b", b"a")))

    async def read(txn: Txn) -> list[bytes | None]:
        return [await txn.get("counter_db", b"a"), await txn.get("counter_db", b"b")]

    assert await backend.read(read) == [b"2", b"2"]  # one after the other, both counted
    assert backend.stats["retries"] == 1
    assert sorted(runs) == ["a", "a", "b"] or sorted(runs) == ["a", "b", "b"]


async def test_terminated_connections_are_replaced_unseen(
    postgres: Postgres, backend: PostgresBackend
) -> None:
    async def put(txn: Txn) -> None:
        await txn.put("meta", b"k", b"v")

    async def get(txn: Txn) -> bytes | None:
        return await txn.get("meta", b"k")

    await asyncio.gather(*(backend.write(put) for _ in range(8)))  # fill the pool
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'invite-auth' AND pid <> pg_backend_pid()"
            " AND datname = current_database()"
        ).fetchone()
    assert ended is not None
    assert ended[0] >= 2
    for _ in range(6):
        assert await backend.read(get) == b"v"
        await backend.write(put)
    assert backend.stats["reconnects"] >= 1


async def test_a_crashed_database_answers_unavailable_then_recovers(own_server: PgServer) -> None:
    backend = await PostgresBackend.open(own_server.url(), pool_size=4, timeout=1)
    try:

        async def bump(txn: Txn) -> int:
            value = int(await txn.get("counter_db", b"n") or b"0") + 1
            await txn.put("counter_db", b"n", b"%d" % value)
            return value

        async def get(txn: Txn) -> bytes | None:
            return await txn.get("counter_db", b"n")

        assert [await backend.write(bump) for _ in range(3)] == [1, 2, 3]
        await asyncio.to_thread(own_server.crash)  # pg_ctl stop -m immediate
        for step in (bump, get):
            started = time.monotonic()
            with pytest.raises(StoreUnavailable) as down:
                await backend.write(step) if step is bump else await backend.read(step)
            assert time.monotonic() - started < 5  # bounded by the pool timeout
            assert down.value.code.status == 503
            assert down.value.headers["Retry-After"].isdigit()
        await asyncio.to_thread(own_server.start)
        # no reopen: the same backend works again once the pool has reconnected
        deadline = time.monotonic() + 30
        while True:
            try:
                value = await backend.write(bump)
                break
            except StoreUnavailable:
                assert time.monotonic() < deadline, "no recovery within 30 s"
                await asyncio.sleep(0.2)
        assert value == 4  # what committed before the crash is there, once
        assert await backend.read(get) == b"4"
    finally:
        await backend.close()
