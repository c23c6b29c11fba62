"""The backend contract (kv.Txn / kv.Backend): the same answers from LMDB and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading

import pytest

from quart_invite_auth.errors import ErrorCode, ProblemError
from quart_invite_auth.store.kv import TABLES, Backend, Step, Txn, prefix_end

from .conftest import Place

KEYS = [b"\x00", b"a", b"a\x00", b"a\xff", b"ab", b"b", b"ba", b"\xff", b"\xff\xff"]


async def fill(backend: Backend, table: str = "meta") -> None:
    async def step(txn: Txn) -> None:
        for i, key in enumerate(KEYS):
            await txn.put(table, key, b"v%d" % i)

    await backend.write(step)


def expected(
    start: bytes = b"", stop: bytes | None = None, limit: int | None = None, reverse: bool = False
) -> list[bytes]:
    keys = sorted(k for k in KEYS if k >= start and (stop is None or k < stop))
    if reverse:
        keys.reverse()
    return keys if limit is None else keys[: max(0, limit)]


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("limit", [None, 0, 1, 3, 100])
@pytest.mark.parametrize(
    ("start", "stop"),
    [
        (b"", None),
        (b"a", None),
        (b"a", b"b"),
        (b"a", prefix_end(b"a")),
        (b"a\x00", b"ab"),
        (b"b", b"b"),  # empty: stop == start
        (b"c", b"a"),  # empty: stop < start
        (b"\xff", None),
        (b"zz", None),
        (b"", b"\x00"),
    ],
)
async def test_range_matches_sorted_bytes(
    backend: Backend,
    start: bytes,
    stop: bytes | None,
    limit: int | None,
    reverse: bool,
) -> None:
    await fill(backend)

    async def step(txn: Txn) -> list[tuple[bytes, bytes]]:
        return await txn.range("meta", start, stop, limit=limit, reverse=reverse)

    found = await backend.read(step)
    assert [key for key, _ in found] == expected(start, stop, limit, reverse)
    assert all(value == b"v%d" % KEYS.index(key) for key, value in found)


def test_prefix_end() -> None:
    assert prefix_end(b"a") == b"b"
    assert prefix_end(b"a\xff") == b"b"
    assert prefix_end(b"\xff\xff") is None
    assert prefix_end(b"") is None


async def test_get_put_insert_delete_count(backend: Backend) -> None:
    async def step(txn: Txn) -> list[object]:
        seen: list[object] = [await txn.get("invite_db", b"k")]
        await txn.put("invite_db", b"k", b"one")
        seen.append(await txn.get("invite_db", b"k"))  # a step sees its own writes
        await txn.put("invite_db", b"k", b"two")  # put overwrites
        seen.append(await txn.insert("invite_db", b"k", b"three"))  # present: refused
        seen.append(await txn.get("invite_db", b"k"))
        seen.append(await txn.insert("invite_db", b"j", b"new"))
        seen.append(await txn.count("invite_db"))
        seen.append(await txn.delete("invite_db", b"j"))
        seen.append(await txn.delete("invite_db", b"j"))  # already gone
        seen.append(await txn.count("invite_db"))
        return seen

    assert await backend.write(step) == [None, b"one", False, b"two", True, 2, True, False, 1]

    async def after(txn: Txn) -> tuple[bytes | None, int]:
        return await txn.get("invite_db", b"k"), await txn.count("invite_db")

    assert await backend.read(after) == (b"two", 1)


async def test_tables_are_separate_and_values_are_bytes(backend: Backend) -> None:
    value = bytes(range(256)) * 40  # every byte value, 10 KiB

    async def step(txn: Txn) -> None:
        for table in TABLES:
            await txn.put(table, b"same key", table.encode() + value)
        await txn.put("meta", b"empty", b"")
        await txn.put("meta", b"k" * 511, b"longest key")

    await backend.write(step)

    async def read(txn: Txn) -> list[bytes | None]:
        return [await txn.get(table, b"same key") for table in TABLES] + [
            await txn.get("meta", b"empty"),
            await txn.get("meta", b"k" * 511),
        ]

    assert await backend.read(read) == [t.encode() + value for t in TABLES] + [b"", b"longest key"]


@pytest.mark.parametrize("error", [RuntimeError("bug"), ProblemError(ErrorCode.INVITE_USED)])
async def test_a_step_that_raises_writes_nothing(backend: Backend, error: Exception) -> None:
    await fill(backend)

    async def step(txn: Txn) -> None:
        await txn.put("meta", b"new", b"x")
        await txn.delete("meta", b"a")
        await txn.put("meta", b"b", b"changed")
        await txn.insert("invite_db", b"other table", b"x")
        raise error

    with pytest.raises(type(error)):
        await backend.write(step)

    async def read(txn: Txn) -> tuple[list[tuple[bytes, bytes]], int]:
        return await txn.range("meta"), await txn.count("invite_db")

    items, invites = await backend.read(read)
    assert [k for k, _ in items] == sorted(KEYS)
    assert dict(items)[b"b"] == b"v%d" % KEYS.index(b"b")
    assert invites == 0


async def test_a_read_is_one_snapshot(place: Place, backend: Backend) -> None:
    """A read step sees one state: all or none of a write that commits while it runs."""
    await fill(backend)
    reading, written = threading.Event(), threading.Event()

    async def step(txn: Txn) -> tuple[bytes | None, bytes | None]:
        first = await txn.get("meta", b"a")
        reading.set()
        if place.kind == "lmdb":
            written.wait(10)  # in the read's own thread (LMDB steps never suspend)
        else:
            await asyncio.to_thread(written.wait, 10)  # a PostgreSQL step may suspend
        return first, await txn.get("meta", b"b")

    async def write(txn: Txn) -> None:
        await txn.put("meta", b"a", b"new a")
        await txn.put("meta", b"b", b"new b")

    read = asyncio.ensure_future(backend.read(step, offload=True))
    await asyncio.to_thread(reading.wait, 10)
    await backend.write(write)
    written.set()
    # never half of each (a PostgreSQL read may run again, whole, after the write)
    assert await read in [(b"v1", b"v5"), (b"new a", b"new b")]

    async def after(txn: Txn) -> tuple[bytes | None, bytes | None]:
        return await txn.get("meta", b"a"), await txn.get("meta", b"b")

    assert await backend.read(after) == (b"new a", b"new b")


async def test_concurrent_increments_are_exact(backend: Backend) -> None:
    """Read-modify-write of one hot key from many concurrent steps loses no update."""

    async def bump(txn: Txn) -> None:
        value = await txn.get("counter_db", b"hot")
        await txn.put("counter_db", b"hot", b"%d" % (int(value or b"0") + 1))

    await asyncio.gather(*(backend.write(bump, offload=True) for _ in range(40)))

    async def read(txn: Txn) -> bytes | None:
        return await txn.get("counter_db", b"hot")

    assert await backend.read(read) == b"40"


async def test_write_skew_is_prevented(backend: Backend) -> None:
    """Two steps that each read the other's key and write their own (the classic write
    skew): serial execution lets at most one of them see the other key absent."""
    outcomes: list[bool] = []

    def claim(mine: bytes, other: bytes) -> Step[bool]:
        async def step(txn: Txn) -> bool:
            if await txn.get("name_db", other) is not None:
                return False
            await txn.put("name_db", mine, b"taken")
            return True

        return step

    for round_ in range(10):
        a, b = b"a%d" % round_, b"b%d" % round_
        results = await asyncio.gather(
            backend.write(claim(a, b), offload=True),
            backend.write(claim(b, a), offload=True),
        )
        outcomes += results
        assert results.count(True) == 1, results
    assert outcomes.count(True) == 10
