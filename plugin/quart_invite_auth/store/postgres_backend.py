"""The PostgreSQL backend: the only code that knows PostgreSQL.

Several app servers share one database; each store step (`core.Store`) is one database
transaction, run over a pooled asyncio connection (psycopg 3 + psycopg-pool), so no
request blocks the event loop for a round trip.

Isolation, and why: strict two-phase locking on keys. A step is generic code over
get/put/insert/delete/range/count, and many of its guarantees rest on reading that
something is absent (an unused name, no account yet, an invite not yet taken) and then
writing it. A write step therefore takes, before it touches a key, an exclusive lock on
that key (a transaction-scoped advisory lock on a 64-bit hash of schema, table and key),
and keeps every lock until it commits or rolls back. A lock on a key works whether or not
the row exists, so it covers "absent, then written" as well as read-modify-write. A range
or count in a write step locks the whole table (exclusive), against every key lock of it
(taken shared on the table). Steps that touch the same key run one after the other, as
under LMDB's single writer; the others run side by side. Each operation is one statement
(a PL/pgSQL function per table and operation, see postgres_schema) that takes the lock
and then reads from a fresh snapshot under READ COMMITTED, so it sees what the previous
holder committed.

SERIALIZABLE was tried first and measured: PostgreSQL checks it per index page, and
nearly every step reads a key that is not there yet and then writes it (a counter for a
new address, a new name), so concurrent steps on unrelated keys of one page were refused
in cascades; under the benchmark's login-start load it ran 2-4 retries per write and
could exhaust any bound on them. With key locks, steps on one hot key (the per-address
failure counter every login start rewrites) wait in turn instead of failing and
retrying, and steps on different keys never meet. A deadlock (two steps locking the same
keys in opposite orders) is detected by PostgreSQL after `deadlock_timeout`; the step
that lost runs again (steps are pure functions of what they read, kv.py), a bounded
number of times with jittered, growing pauses. `stats` counts the retries.

A step refused by the domain (a `ProblemError`: invite used, name taken, ...) rolls back:
what it read was committed data under its locks, so the refusal stands.

Read-only steps take no locks: REPEATABLE READ READ ONLY, one consistent snapshot (a
single statement is one by itself, and saves BEGIN/COMMIT). Their answers (show an
invitation, fetch a pending login) are never the last word: every decision is taken
again in the write step that acts on it.

A lost connection or an unreachable database raises `StoreUnavailable` (503 with
Retry-After). A step whose connection broke before COMMIT was sent is tried again on
another connection (nothing of it was kept); one that broke during COMMIT is not, since
its outcome is unknown. The pool replaces broken connections by itself and grows back
when the database returns, so servers recover without a restart.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from typing import Any, TypeVar

import psycopg
from psycopg import AsyncConnection
from psycopg.errors import DeadlockDetected, SerializationFailure
from psycopg.pq import TransactionStatus
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from ..errors import ProblemError
from .kv import TABLES, Step, StoreStartupError, StoreUnavailable
from .postgres_schema import SchemaTooNew, current_version, migrate, quote

T = TypeVar("T")
log = logging.getLogger("quart_invite_auth.postgres")

# Bounded retries of a step that lost a deadlock: the pause before attempt n is uniform
# in [0, min(CAP, BASE * 2**n)] ("full jitter"), so steps that collided spread out.
MAX_ATTEMPTS = 10
BACKOFF_BASE = 0.002
BACKOFF_CAP = 0.1

# Explicit: a server whose default isolation is higher would add its own refusals.
_BEGIN_WRITE = "BEGIN ISOLATION LEVEL READ COMMITTED"
_BEGIN_READ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"


def _lock_id(*parts: bytes) -> int:
    """A 64-bit advisory lock id (signed, as PostgreSQL's bigint) for a table or a key.
    Two keys that happen to share one only wait for each other needlessly."""
    digest = hashlib.blake2b(b"\x00".join(parts), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class _Statements:
    """The SQL of every Txn operation for every table, composed once."""

    def __init__(self, schema: str) -> None:
        name = quote(schema)
        self.table_lock = {t: _lock_id(schema.encode(), t.encode()) for t in TABLES}
        # write steps: the locked operations (postgres_schema), one statement each
        self.locked_get: dict[str, str] = {}
        self.locked_put: dict[str, str] = {}
        self.locked_insert: dict[str, str] = {}
        self.locked_delete: dict[str, str] = {}
        # read steps, and write steps that hold their table's exclusive lock
        self.get: dict[str, str] = {}
        self.count: dict[str, str] = {}
        # (table, bounded above, descending) -> query; LIMIT NULL means no limit
        self.range: dict[tuple[str, bool, bool], str] = {}
        for table in TABLES:
            t = f"{name}.{table}"
            self.locked_get[table] = f"SELECT {name}.get_{table}(%s, %s, %b)"
            self.locked_put[table] = f"SELECT {name}.put_{table}(%s, %s, %b, %b)"
            self.locked_insert[table] = f"SELECT {name}.insert_{table}(%s, %s, %b, %b)"
            self.locked_delete[table] = f"SELECT {name}.delete_{table}(%s, %s, %b)"
            self.get[table] = f"SELECT value FROM {t} WHERE key = %b"
            self.count[table] = f"SELECT count(*) FROM {t}"
            for bounded in (False, True):
                for descending in (False, True):
                    upper = " AND key < %b" if bounded else ""
                    order = "DESC" if descending else "ASC"
                    self.range[table, bounded, descending] = (
                        f"SELECT key, value FROM {t} WHERE key >= %b{upper}"
                        f" ORDER BY key {order} LIMIT %s"
                    )
        self.lock_table = "SELECT pg_advisory_xact_lock(%s)"


class _NeedsTransaction(Exception):
    """A read step issued a second statement outside a transaction: run it in one."""


class PostgresTxn:
    """One transaction on one connection.

    In a write step every key operation takes the key's lock first (see above); a range or
    count takes its table's exclusive lock. `single` marks a read step tried without
    BEGIN/COMMIT: one statement is its own consistent snapshot, which saves two round trips
    for the many reads that look up one key; a second statement raises `_NeedsTransaction`
    and the step runs again inside a transaction (a step is a pure function of what it
    reads)."""

    __slots__ = ("_conn", "_locked_tables", "_schema", "_single", "_sql", "_statements", "_write")

    def __init__(
        self,
        conn: AsyncConnection[Any],
        sql: _Statements,
        schema: bytes,
        *,
        write: bool,
        single: bool = False,
    ) -> None:
        self._conn = conn
        self._sql = sql
        self._schema = schema
        self._write = write
        self._single = single
        self._statements = 0
        self._locked_tables: set[str] = set()

    async def _execute(self, query: str, params: tuple[object, ...] = ()) -> Any:
        if self._single:
            self._statements += 1
            if self._statements > 1:
                raise _NeedsTransaction
        return await self._conn.execute(query, params, binary=True)

    def _locks(self, table: str, key: bytes) -> tuple[int, int]:
        return self._sql.table_lock[table], _lock_id(self._schema, table.encode(), key)

    async def _scalar(self, query: str, params: tuple[object, ...]) -> Any:
        cursor = await self._execute(query, params)
        row = await cursor.fetchone()
        return None if row is None else row[0]

    async def get(self, table: str, key: bytes) -> bytes | None:
        if self._write:
            value = await self._scalar(self._sql.locked_get[table], (*self._locks(table, key), key))
        else:
            value = await self._scalar(self._sql.get[table], (key,))
        return None if value is None else bytes(value)

    async def put(self, table: str, key: bytes, value: bytes) -> None:
        assert self._write, "a read step cannot write"
        await self._execute(self._sql.locked_put[table], (*self._locks(table, key), key, value))

    async def insert(self, table: str, key: bytes, value: bytes) -> bool:
        assert self._write, "a read step cannot write"
        params = (*self._locks(table, key), key, value)
        return bool(await self._scalar(self._sql.locked_insert[table], params))

    async def delete(self, table: str, key: bytes) -> bool:
        assert self._write, "a read step cannot write"
        params = (*self._locks(table, key), key)
        return bool(await self._scalar(self._sql.locked_delete[table], params))

    async def _whole_table(self, table: str) -> None:
        """In a write step, hold `table` still: no other step may touch any of its keys
        until this one ends (phantoms included)."""
        if self._write and table not in self._locked_tables:
            await self._execute(self._sql.lock_table, (self._sql.table_lock[table],))
            self._locked_tables.add(table)

    async def range(
        self,
        table: str,
        start: bytes = b"",
        stop: bytes | None = None,
        *,
        limit: int | None = None,
        reverse: bool = False,
    ) -> list[tuple[bytes, bytes]]:
        if limit is not None and limit <= 0:
            return []
        await self._whole_table(table)
        query = self._sql.range[table, stop is not None, reverse]
        params: tuple[object, ...] = (start, limit) if stop is None else (start, stop, limit)
        cursor = await self._execute(query, params)
        return [(bytes(key), bytes(value)) for key, value in await cursor.fetchall()]

    async def count(self, table: str) -> int:
        await self._whole_table(table)
        return int(await self._scalar(self._sql.count[table], ()))


def _retryable(exc: BaseException) -> bool:
    """A deadlock (or a serialization failure, which a server-side setting could cause):
    the transaction was rolled back whole."""
    return isinstance(exc, SerializationFailure | DeadlockDetected)


def _unavailable(exc: BaseException) -> bool:
    """The database cannot take the step now: down, restarting, unreachable, full."""
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError | PoolTimeout)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


async def _configure(conn: AsyncConnection[Any]) -> None:
    # Every statement of every table is prepared once per connection (psycopg's default
    # cache of 100 would keep evicting some).
    conn.prepared_max = 8 * len(TABLES)


class PostgresBackend:
    def __init__(
        self,
        url: str,
        *,
        schema: str = "invite_auth",
        pool_size: int = 10,
        timeout: float = 5.0,
    ) -> None:
        quote(schema)  # refuse a bad name before anything connects
        self.url = url
        self.schema = schema
        self._timeout = timeout
        # A step whose connection broke before it committed is tried on other connections:
        # after a database restart every idle one in the pool may be dead.
        self._connection_attempts = pool_size + 1
        self._sql = _Statements(schema)
        self._schema_bytes = schema.encode()
        kwargs: dict[str, Any] = {"autocommit": True}
        given = psycopg.conninfo.conninfo_to_dict(url)
        defaults = {
            "connect_timeout": max(1, round(timeout)),
            "application_name": "invite-auth",  # for operators' pg_stat_activity
            # A database host that vanishes without closing its connections (a network
            # partition, a powered-off machine) is noticed in about half a minute, not
            # after the kernel's two hours: the step fails with 503 instead of hanging.
            "keepalives": 1,
            "keepalives_idle": 15,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        }
        kwargs.update({k: v for k, v in defaults.items() if k not in given})
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            url,
            kwargs=kwargs,
            min_size=min(2, pool_size),
            max_size=pool_size,
            open=False,
            configure=_configure,
            timeout=timeout,
            # While the database is away the pool retries with growing pauses; giving up
            # after a while lets the next request start a fresh, immediate attempt, so a
            # database that comes back is found within seconds.
            reconnect_timeout=max(10.0, 2 * timeout),
            name="invite-auth",
        )
        self._checking: asyncio.Task[None] | None = None
        # Read steps (by their code) seen to issue more than one statement.
        self._multi_statement: set[object] = set()
        # Outcomes since start, for operators and the benchmark (per process).
        self.stats = {"reads": 0, "writes": 0, "retries": 0, "reconnects": 0, "unavailable": 0}

    @classmethod
    async def open(cls, url: str, **options: Any) -> PostgresBackend:
        """Connect, and bring the schema up to date; one clear line if that fails."""
        backend = cls(url, **options)
        try:
            # One plain connection first: its error says why (refused, no such database,
            # authentication), where the pool would only report a timeout.
            await migrate_database(url, backend.schema, connect_timeout=backend._timeout)
            await backend._pool.open(wait=True, timeout=backend._timeout)
        except BaseException as exc:
            await backend._pool.close()
            _startup_failed(url, exc)
            raise
        return backend

    async def version(self) -> int:
        async with self._pool.connection() as conn:
            return await current_version(conn, self.schema)

    # -- running steps -------------------------------------------------------------------

    async def read(self, step: Step[T], *, offload: bool = False) -> T:
        self.stats["reads"] += 1
        return await self._run(step, write=False)

    async def write(self, step: Step[T], *, offload: bool = False) -> T:
        # `offload` needs nothing here: the driver never blocks the event loop.
        self.stats["writes"] += 1
        return await self._run(step, write=True)

    async def _run(self, step: Step[T], *, write: bool) -> T:
        lost, broken = 0, 0  # deadlocks lost, connections found broken
        while True:
            committing = [False]
            try:
                return await self._attempt(step, write, committing)
            except ProblemError:
                raise
            except Exception as exc:
                if _retryable(exc):
                    lost += 1
                    if lost >= MAX_ATTEMPTS:
                        self.stats["unavailable"] += 1
                        raise StoreUnavailable("the database is too busy (deadlocks)") from exc
                    self.stats["retries"] += 1
                    pause = min(BACKOFF_CAP, BACKOFF_BASE * 2**lost)
                    await asyncio.sleep(random.uniform(0, pause))  # noqa: S311
                    continue
                if not _unavailable(exc):
                    raise
                self._check_pool()
                broken += 1
                gone = isinstance(exc, PoolTimeout) or broken >= self._connection_attempts
                if committing[0] or gone:
                    self.stats["unavailable"] += 1
                    detail = (
                        "the database connection was lost while committing; the outcome is unknown"
                        if committing[0]
                        else "the database is unavailable"
                    )
                    raise StoreUnavailable(detail) from exc
                self.stats["reconnects"] += 1

    async def _attempt(self, step: Step[T], write: bool, committing: list[bool]) -> T:
        async with self._pool.connection() as conn:
            try:
                if write:
                    return await self._write_transaction(conn, step, committing)
                return await self._read_transaction(conn, step)
            except BaseException:
                await _abandon(conn)
                raise

    async def _read_transaction(self, conn: AsyncConnection[Any], step: Step[T]) -> T:
        code = getattr(step, "__code__", None)
        if code not in self._multi_statement:
            try:
                return await step(self._txn(conn, write=False, single=True))
            except _NeedsTransaction:
                self._multi_statement.add(code)
        await conn.execute(_BEGIN_READ)
        result = await step(self._txn(conn, write=False))
        await conn.execute("COMMIT")
        return result

    async def _write_transaction(
        self, conn: AsyncConnection[Any], step: Step[T], committing: list[bool]
    ) -> T:
        await conn.execute(_BEGIN_WRITE)
        result = await step(self._txn(conn, write=True))
        committing[0] = True
        await conn.execute("COMMIT")
        return result

    def _txn(self, conn: AsyncConnection[Any], *, write: bool, single: bool = False) -> PostgresTxn:
        return PostgresTxn(conn, self._sql, self._schema_bytes, write=write, single=single)

    def _check_pool(self) -> None:
        """A connection broke: test the idle ones in the background (after a database
        restart they are all dead), so the next steps get working connections."""
        if self._checking is None or self._checking.done():
            self._checking = asyncio.get_running_loop().create_task(self._pool.check())

    async def check(self) -> None:
        await self._pool.check()

    async def close(self) -> None:
        if self._checking is not None:
            self._checking.cancel()
        await self._pool.close()


async def _abandon(conn: AsyncConnection[Any]) -> None:
    """Leave a connection whose step failed idle (rolled back), or broken for the pool
    to discard."""
    try:
        if conn.info.transaction_status != TransactionStatus.IDLE and not conn.broken:
            await conn.execute("ROLLBACK")
    except psycopg.Error:
        pass


def _startup_failed(url: str, exc: BaseException) -> None:
    if isinstance(exc, psycopg.Error | PoolTimeout | OSError | SchemaTooNew):
        raise StoreStartupError(
            f"invite-auth cannot use the PostgreSQL database at {redact(url)}: {_describe(exc)}"
        ) from None


async def migrate_database(
    url: str, schema: str = "invite_auth", *, connect_timeout: float = 5.0
) -> tuple[int, int]:
    """Bring the schema up to date (at start-up, and `quart invite-auth migrate`):
    (version before, version after)."""
    try:
        async with await AsyncConnection.connect(
            url, autocommit=True, connect_timeout=max(1, round(connect_timeout))
        ) as conn:
            return await migrate(conn, schema)
    except BaseException as exc:
        _startup_failed(url, exc)
        raise


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "<an unparsable URL>"
    host = info.get("host", "localhost")
    port = info.get("port", "5432")
    database = info.get("dbname", info.get("user", ""))
    return f"{host}:{port}/{database}"
