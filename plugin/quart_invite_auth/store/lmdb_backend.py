"""The LMDB backend: the only code that knows LMDB.

One LMDB environment in a directory, one named database per table. Writers are
serialized by LMDB itself (across the worker processes that share the directory), so a
step runs once, inside one write transaction, and sees nothing change under it.

Faults become `StoreUnavailable` (503 with Retry-After), logged, with nothing written (a
failed LMDB transaction is aborted whole):

* a full map grows (doubling, up to `max_map_size`) and the write runs again; other
  processes sharing the environment adopt the new size when LMDB tells them;
* beyond the maximum, a full disk, an I/O error: 503;
* the data file deleted or replaced under a running server (its inode checked before
  every write and in the sweep): logged as critical, and 503 for writes until restart,
  since whatever this process wrote would go to a file nobody will open again;
* stale readers left by killed processes (which keep freed pages from being reused, so
  the file grows) are cleared at open and in the sweep.

The directory is created 0700 and the files 0600: they hold the sealed secrets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import lmdb

from .kv import TABLES, Step, StoreUnavailable, Txn

T = TypeVar("T")
log = logging.getLogger("quart_invite_auth")

DATA_FILE = "data.mdb"
LOCK_FILE = "lock.mdb"
# How often a write is tried again after growing the map or adopting another process's
# growth, before giving up (each growth doubles the map, so a few suffice).
_MAX_RETRIES = 8
# Seconds a client should wait after a store fault.
_RETRY_FULL = 30
_RETRY_FAULT = 5


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


class _Resizing:
    """Transactions share it; changing the map size takes it alone.

    LMDB changes the map size only with no transaction open in the process, and this
    process runs transactions on the event loop's thread and on worker threads. Entering
    and leaving costs one uncontended lock each (they run around every transaction); the
    rare resize polls until the open transactions have closed."""

    _POLL = 0.0005

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self._resizing = False

    def enter(self) -> None:
        while True:
            with self._lock:
                if not self._resizing:
                    self._open += 1
                    return
            time.sleep(self._POLL)

    def leave(self) -> None:
        with self._lock:
            self._open -= 1

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        while True:
            with self._lock:
                if not self._resizing:
                    self._resizing = True
                    break
            time.sleep(self._POLL)
        try:
            while True:
                with self._lock:
                    if not self._open:
                        break
                time.sleep(self._POLL)
            yield
        finally:
            with self._lock:
                self._resizing = False


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class LmdbBackend:
    def __init__(
        self, path: str | os.PathLike[str], *, map_size: int, max_map_size: int | None = None
    ) -> None:
        self._path = Path(path)
        self._max_map_size = max(map_size, max_map_size or map_size)
        # 0700 / 0600: created so, and tightened if an earlier version left them open.
        self._path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self._path, 0o700)
        self._env = lmdb.open(
            os.fspath(self._path),
            max_dbs=len(TABLES) + 1,
            map_size=map_size,
            max_readers=256,
            mode=0o600,
        )
        for name in (DATA_FILE, LOCK_FILE):
            with contextlib.suppress(FileNotFoundError):
                os.chmod(self._path / name, 0o600)
        self._resizing = _Resizing()
        self._lost: str | None = None
        # a str, not a Path: it is stat-ed before every write
        self._data_file = os.fspath(self._path / DATA_FILE)
        self._identity = _file_identity(self._data_file)
        self._clear_stale_readers()
        # open_db takes the write lock even for existing databases: once, at start-up.
        with self._env.begin(write=True) as txn:
            self._dbs = {name: self._env.open_db(name.encode(), txn=txn) for name in TABLES}

    # -- transactions ------------------------------------------------------------------

    def _run(self, step: Step[T], *, write: bool) -> T:
        # The hot path: every request runs a few of these. Faults go to _recover.
        if write:
            self._check_file()
        self._resizing.enter()
        try:
            with self._env.begin(write=write, buffers=False) as txn:
                return run_to_completion(step, LmdbTxn(txn, self._dbs))
        except lmdb.Error as exc:
            fault = exc
        finally:
            self._resizing.leave()
        return self._recover(step, write, fault)

    def _recover(self, step: Step[T], write: bool, fault: lmdb.Error) -> T:
        """After a transaction failed (nothing was written): resize and run it again,
        or answer 503."""
        # The size the failed attempt ran in (or, if another thread grew it meanwhile, the
        # grown one: then it grows once more than it had to, within the maximum).
        seen = self.map_size()
        for _ in range(_MAX_RETRIES):
            if isinstance(fault, lmdb.MapResizedError):
                self._adopt_map_size()  # another process grew the map: use its size
            elif isinstance(fault, lmdb.MapFullError):
                self._grow(seen)  # run the step again in a larger map
            elif isinstance(fault, lmdb.DiskError):
                log.error("invite-auth: the disk is full: %s", fault)
                raise StoreUnavailable(
                    "the store's disk is full; nothing was written", retry_after=_RETRY_FULL
                ) from fault
            else:
                # e.g. "mdb_txn_commit: Input/output error", which is also what a full
                # filesystem can give (LMDB leaves the environment usable after it)
                log.error("invite-auth: the store could not write: %s", fault)
                raise StoreUnavailable(
                    "the store could not read or write its disk; nothing was written",
                    retry_after=_RETRY_FAULT,
                ) from fault
            if write:
                self._check_file()
            seen = self.map_size()  # the size this attempt runs in
            self._resizing.enter()
            try:
                with self._env.begin(write=write, buffers=False) as txn:
                    return run_to_completion(step, LmdbTxn(txn, self._dbs))
            except lmdb.Error as exc:
                fault = exc
            finally:
                self._resizing.leave()
        raise StoreUnavailable("the store keeps changing size; try again")

    def _read_sync(self, step: Step[T]) -> T:
        return self._run(step, write=False)

    def _write_sync(self, step: Step[T]) -> T:
        return self._run(step, write=True)

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

    # -- the map -----------------------------------------------------------------------

    def map_size(self) -> int:
        return int(self._env.info()["map_size"])

    def _grow(self, seen: int) -> None:
        with self._resizing.alone():
            current = self.map_size()
            if current > seen:
                return  # another thread grew it since this one found it full
            if current >= self._max_map_size:
                log.error(
                    "invite-auth: the store is full at its maximum size (%d bytes); raise "
                    "INVITE_AUTH_MAX_MAP_SIZE",
                    current,
                )
                raise StoreUnavailable(
                    "the store is full; nothing was written", retry_after=_RETRY_FULL
                )
            grown = min(current * 2, self._max_map_size)
            self._env.set_mapsize(grown)
            log.warning("invite-auth: the store's map grew from %d to %d bytes", current, grown)

    def _adopt_map_size(self) -> None:
        with self._resizing.alone():
            # 0: take the size another process set, recorded in the environment
            self._env.set_mapsize(0)

    # -- health ------------------------------------------------------------------------

    def _check_file(self) -> None:
        """Refuse writes once the data file is gone or another file took its place."""
        if self._lost is None and _file_identity(self._data_file) != self._identity:
            self._lost = f"{self._data_file} was deleted or replaced while serving"
            log.critical(
                "invite-auth: %s; refusing writes until the server restarts (they would go "
                "to a file nobody will open again)",
                self._lost,
            )
        if self._lost is not None:
            raise StoreUnavailable(f"the store is unavailable: {self._lost}", retry_after=60)

    def _clear_stale_readers(self) -> None:
        cleared = self._env.reader_check()
        if cleared:
            log.warning(
                "invite-auth: cleared %d stale reader(s) left by processes that died", cleared
            )

    async def check(self) -> None:
        """Cheap health checks for the sweep: stale readers of dead processes (they keep
        freed pages from being reused), and a data file deleted or replaced."""
        self._clear_stale_readers()
        with contextlib.suppress(StoreUnavailable):
            self._check_file()  # logs (once); writes are refused from now on

    async def close(self) -> None:
        self._env.close()
