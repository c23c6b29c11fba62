"""What a storage backend provides: transactions over named tables of bytes to bytes.

Every domain step of the store (`store.Store`) is one coroutine over a `Txn`, written
once; a backend runs it as one transaction. LMDB runs it with its single writer, so a
step never meets another; PostgreSQL locks each key a step touches until it commits, and
runs a step again when it lost a deadlock, so a step must be a pure function of what it
reads and its arguments, and must await nothing but its transaction (the LMDB backend
drives a step to completion without an event loop, which is what lets it run one in a
thread).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from ..errors import ErrorCode, ProblemError

T = TypeVar("T")


class StoreUnavailable(ProblemError):
    """The store cannot take the operation now (full, failing, unreachable, replaced).

    Raised by a backend with nothing written; answered 503 with `Retry-After`."""

    def __init__(self, detail: str, *, retry_after: int = 5) -> None:
        super().__init__(
            ErrorCode.STORE_UNAVAILABLE, detail, headers={"Retry-After": str(retry_after)}
        )


# The seed's databases (invite_db, state_db, account_db, recovery_db) and the indexes and
# logs the rest of the product needs. A backend keeps one table for each.
TABLES = (
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
    # Secondary indexes, each under its own key prefix (see store.core): what an account
    # owns (its sessions, its outstanding invitations), found without a scan.
    "index_db",
)


class Txn(Protocol):
    """One transaction. Keys are 1 to 511 bytes (LMDB's limits, kept everywhere)."""

    async def get(self, table: str, key: bytes) -> bytes | None: ...

    async def put(self, table: str, key: bytes, value: bytes) -> None: ...

    async def insert(self, table: str, key: bytes, value: bytes) -> bool:
        """Put only if the key is absent; False (nothing written) if it was there."""
        ...

    async def delete(self, table: str, key: bytes) -> bool: ...

    async def range(
        self,
        table: str,
        start: bytes = b"",
        stop: bytes | None = None,
        *,
        limit: int | None = None,
        reverse: bool = False,
    ) -> list[tuple[bytes, bytes]]:
        """Items with start <= key < stop in key order (descending if `reverse`)."""
        ...

    async def count(self, table: str) -> int: ...


Step = Callable[[Txn], Awaitable[T]]


class Backend(Protocol):
    async def read(self, step: Step[T], *, offload: bool = False) -> T:
        """Run `step` in a read-only transaction: one consistent snapshot. `offload`
        marks a long scan that the event loop must not wait through."""
        ...

    async def write(self, step: Step[T], *, offload: bool = False) -> T:
        """Run `step` in one write transaction: all of it is committed, or none.

        `offload` asks that the loop not wait through the commit's disk flush (for hot
        paths); a backend that never blocks the loop may ignore it."""
        ...

    async def check(self) -> None:
        """Cheap health checks for the sweep (stale readers, a replaced data file)."""
        ...

    async def close(self) -> None: ...


class StoreStartupError(RuntimeError):
    """The store cannot be opened (e.g. the database is unreachable); the message is one
    clear line for an operator."""


def prefix_end(prefix: bytes) -> bytes | None:
    """The first key after every key that starts with `prefix` (None: no such key)."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])
