"""The LMDB backend: the only code that knows LMDB.

One LMDB environment in a directory, one named database per table. Writers are
serialized by LMDB itself (across the worker processes that share the directory), so a
step runs once, inside one write transaction, and sees nothing change under it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import lmdb

from .kv import TABLES, Step, Txn

T = TypeVar("T")


def run_to_completion(step: Step[T], txn: Txn) -> T:
    """Run a store step that awaits only LMDB (which never suspends) without a loop."""
    coroutine = step(txn)
    assert isinstance(coroutine, Coroutine)
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a store step awaited something other than its transaction")


class LmdbTxn:
    __slots__ = ("_dbs", "_txn")

    def __init__(self, txn: Any, dbs: dict[str, Any]) -> None:
        self._txn = txn
        self._dbs = dbs

    async def get(self, table: str, key: bytes) -> bytes | None:
        value = self._txn.get(key, db=self._dbs[table])
        return None if value is None else bytes(value)

    async def put(self, table: str, key: bytes, value: bytes) -> None:
        self._txn.put(key, value, db=self._dbs[table])

    async def insert(self, table: str, key: bytes, value: bytes) -> bool:
        return bool(self._txn.put(key, value, db=self._dbs[table], overwrite=False))

    async def delete(self, table: str, key: bytes) -> bool:
        return bool(self._txn.delete(key, db=self._dbs[table]))

    async def range(
        self,
        table: str,
        start: bytes = b"",
        stop: bytes | None = None,
        *,
        limit: int | None = None,
        reverse: bool = False,
    ) -> list[tuple[bytes, bytes]]:
        cursor = self._txn.cursor(db=self._dbs[table])
        found: list[tuple[bytes, bytes]] = []
        if limit is not None and limit <= 0:
            return found
        if not reverse:
            if not cursor.set_range(start):
                return found
            for key, value in cursor:
                if stop is not None and key >= stop:
                    break
                found.append((bytes(key), bytes(value)))
                if limit is not None and len(found) >= limit:
                    break
            return found
        # Descending: from the last key below `stop` down to `start`.
        if stop is None:
            positioned = cursor.last()
        elif cursor.set_range(stop):
            positioned = cursor.prev()
        else:
            positioned = cursor.last()
        if not positioned:
            return found
        for key, value in cursor.iterprev():
            if key < start:
                break
            found.append((bytes(key), bytes(value)))
            if limit is not None and len(found) >= limit:
                break
        return found

    async def count(self, table: str) -> int:
        return int(self._txn.stat(self._dbs[table])["entries"])


class LmdbBackend:
    def __init__(self, path: str | os.PathLike[str], *, map_size: int) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        self._env = lmdb.open(
            os.fspath(path), max_dbs=len(TABLES) + 1, map_size=map_size, max_readers=256
        )
        # open_db takes the write lock even for existing databases: once, at start-up.
        with self._env.begin(write=True) as txn:
            self._dbs = {name: self._env.open_db(name.encode(), txn=txn) for name in TABLES}

    def _read_sync(self, step: Step[T]) -> T:
        with self._env.begin(write=False, buffers=False) as txn:
            return run_to_completion(step, LmdbTxn(txn, self._dbs))

    def _write_sync(self, step: Step[T]) -> T:
        with self._env.begin(write=True, buffers=False) as txn:
            return run_to_completion(step, LmdbTxn(txn, self._dbs))

    async def read(self, step: Step[T], *, offload: bool = False) -> T:
        if offload:
            return await asyncio.to_thread(self._read_sync, step)
        return self._read_sync(step)

    async def write(self, step: Step[T], *, offload: bool = False) -> T:
        if offload:
            # The durable commit waits on the disk (~0.3 ms): the whole transaction runs
            # in a thread (an LMDB write transaction belongs to the thread that began it).
            return await asyncio.to_thread(self._write_sync, step)
        return self._write_sync(step)

    async def check(self) -> None:
        return None

    async def close(self) -> None:
        self._env.close()
