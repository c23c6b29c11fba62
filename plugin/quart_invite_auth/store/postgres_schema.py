"""The PostgreSQL schema: recorded migrations, applied once, by whichever server gets there first.

Everything lives in one PostgreSQL schema (`invite_auth` unless configured), so the
tables, named after the seed's databases (invite_db, state_db, ...), never meet a host
app's own. `schema_version` records each applied migration. Migrations are history:
never edit one that has shipped; add the next.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from .kv import TABLES

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# Stands for the quoted schema name in migration statements.
SCHEMA = "@schema@"

# Tables whose rows are rewritten in place again and again (counters, sessions touched on
# use, principals whose last TOTP step moves): room on each page keeps those updates
# "HOT" (no new index entry, less to vacuum).
_UPDATED_IN_PLACE = {"counter_db": 70, "session_db": 70, "account_db": 80, "recovery_db": 80}

# The tables of the first release: kv.TABLES as it was then (not imported: history).
_V1_TABLES = (
    "meta",
    "invite_db",
    "state_db",
    "account_db",
    "recovery_db",
    "name_db",
    "domain_db",
    "role_db",
    "invitation_db",
    "session_db",
    "counter_db",
    "audit_db",
)


def _table(name: str) -> str:
    fill = _UPDATED_IN_PLACE.get(name)
    options = f" WITH (fillfactor = {fill})" if fill else ""
    # Keys keep LMDB's limits (1 to 511 bytes) so that both backends refuse the same keys.
    return (
        f"CREATE TABLE {name} (key bytea PRIMARY KEY CHECK (octet_length(key) BETWEEN 1 AND 511),"
        f" value bytea NOT NULL){options}"
    )


def _locked_operations(name: str) -> tuple[str, ...]:
    """The four operations of a write step on table `name`, each taking its key's lock
    first (and the table's lock, shared) and only then touching the row.

    They are PL/pgSQL functions because a VOLATILE function's statements each take a
    fresh snapshot: the row is read after the lock is granted, so it is the value the
    previous holder committed. A plain statement would read from a snapshot taken before
    it waited for the lock (see postgres_backend). A function body is resolved when it
    runs, with the caller's search path: it names its table with the schema."""
    lock = "PERFORM pg_advisory_xact_lock_shared(tl), pg_advisory_xact_lock(kl);"
    head = "LANGUAGE plpgsql VOLATILE AS $$ BEGIN " + lock
    return (
        f"CREATE FUNCTION get_{name}(tl bigint, kl bigint, k bytea) RETURNS bytea {head}"
        f" RETURN (SELECT value FROM {SCHEMA}.{name} WHERE key = k); END $$",
        f"CREATE FUNCTION put_{name}(tl bigint, kl bigint, k bytea, v bytea) RETURNS void"
        f" {head} INSERT INTO {SCHEMA}.{name} (key, value) VALUES (k, v)"
        " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value; END $$",
        f"CREATE FUNCTION insert_{name}(tl bigint, kl bigint, k bytea, v bytea)"
        f" RETURNS boolean {head} INSERT INTO {SCHEMA}.{name} (key, value) VALUES (k, v)"
        " ON CONFLICT (key) DO NOTHING; RETURN FOUND; END $$",
        f"CREATE FUNCTION delete_{name}(tl bigint, kl bigint, k bytea) RETURNS boolean"
        f" {head} DELETE FROM {SCHEMA}.{name} WHERE key = k; RETURN FOUND; END $$",
    )


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS = (
    Migration(
        1,
        "one key-value table per store table, and its locked operations",
        tuple(_table(name) for name in _V1_TABLES)
        + tuple(f for name in _V1_TABLES for f in _locked_operations(name)),
    ),
    Migration(
        2,
        "index_db: what an account owns (sessions, invitations), found without a scan",
        (_table("index_db"), *_locked_operations("index_db")),
    ),
)
LATEST = MIGRATIONS[-1].version


def quote(schema: str) -> str:
    """The schema as a quoted identifier; only plain lower-case names are accepted."""
    if not _IDENTIFIER.fullmatch(schema):
        raise ValueError(
            f"INVITE_AUTH_DATABASE_SCHEMA must be a plain lower-case identifier, not {schema!r}"
        )
    return f'"{schema}"'


def _lock_id(schema: str) -> int:
    # One advisory lock per schema: servers starting together migrate one at a time.
    return 0x1A7E_0000_0000 + zlib.crc32(schema.encode())


class SchemaTooNew(RuntimeError):
    pass


async def current_version(conn: AsyncConnection[Any], schema: str) -> int:
    """The applied version (0: not created yet). `conn` is in autocommit mode."""
    cursor = await conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (f"{quote(schema)}.schema_version",)
    )
    row = await cursor.fetchone()
    if row is None or not row[0]:
        return 0
    cursor = await conn.execute(
        f"SELECT coalesce(max(version), 0) FROM {quote(schema)}.schema_version"
    )
    row = await cursor.fetchone()
    return int(row[0]) if row is not None else 0


async def migrate(conn: AsyncConnection[Any], schema: str) -> tuple[int, int]:
    """Apply the missing migrations in one transaction; (version before, version after).

    DDL is transactional in PostgreSQL: a migration is applied whole or not at all. The
    transaction-scoped advisory lock makes concurrent starts wait for the first one,
    which they then find done."""
    name = quote(schema)
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_id(schema),))
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {name}.schema_version ("
            " version integer PRIMARY KEY, description text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        before = await current_version(conn, schema)
        if before > LATEST:
            raise SchemaTooNew(
                f"the PostgreSQL schema {schema!r} is at version {before}, newer than this "
                f"invite-auth knows ({LATEST}): upgrade invite-auth"
            )
        await conn.execute(f"SET LOCAL search_path TO {name}")
        for migration in MIGRATIONS:
            if migration.version <= before:
                continue
            for statement in migration.statements:
                await conn.execute(statement.replace(SCHEMA, name))
            await conn.execute(
                "INSERT INTO schema_version (version, description) VALUES (%s, %s)",
                (migration.version, migration.description),
            )
    missing = await missing_tables(conn, schema)
    if missing:
        raise RuntimeError(f"store tables without a migration: {missing} (add one)")
    return before, LATEST


async def missing_tables(conn: AsyncConnection[Any], schema: str) -> list[str]:
    cursor = await conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
    )
    present = {str(row[0]) for row in await cursor.fetchall()}
    return [table for table in TABLES if table not in present]
