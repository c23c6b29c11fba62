"""A full, vanished or failing store answers 503 problem+json and loses nothing (issue 14,
item 6); the data files are private (item 4).

Real LMDB throughout: tiny maps, a real full disk (a small tmpfs), a real stale reader
(a process that had a read transaction open, SIGKILLed), a data folder really deleted."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from quart_invite_auth.store.kv import Txn
from quart_invite_auth.store.lmdb_backend import LmdbBackend

from .conftest import Clock, make_app

PASSWORD = "correct-horse-battery-staple"
ROOT = Path(__file__).resolve().parents[2]
SMALL = 256 * 1024  # LMDB's map: 64 pages of 4 KiB


async def setup(client: TestClientProtocol) -> None:
    response = await client.post(
        "/api/setup", json={"name": "Andrea", "password": PASSWORD}, scheme="https"
    )
    assert response.status_code == 200


async def invitations_until_refused(client: TestClientProtocol, most: int) -> tuple[list[str], Any]:
    """Create invitations until one is refused (or `most` are made)."""
    made: list[str] = []
    for _ in range(most):
        response = await client.post("/api/invite", json={}, scheme="https")
        if response.status_code != 200:
            return made, response
        made.append((await response.get_json())["id"])
    return made, None


async def expect_503(response: Any) -> dict[str, Any]:
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = await response.get_json()
    assert body["code"] == "store_unavailable"
    assert int(response.headers["Retry-After"]) > 0
    return body


async def all_shown(client: TestClientProtocol, ids: list[str]) -> bool:
    for invitation in ids:
        if (await client.get(f"/api/invite/{invitation}")).status_code != 200:
            return False
    return True


# -- the map ---------------------------------------------------------------------------


async def test_a_full_map_grows_and_the_write_goes_through(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(
        data_dir, clock, map_size=SMALL, max_map_size=64 * SMALL, max_outstanding_invitations=10**6
    )
    async with app.test_app():
        client = app.test_client()
        await setup(client)
        made, refused = await invitations_until_refused(client, 600)
        assert refused is None
        backend: Any = auth.context.store.backend
        assert backend.map_size() > SMALL  # it grew, and every write went through
        assert await all_shown(client, made)


async def test_a_store_full_at_its_maximum_answers_503_and_writes_nothing(
    data_dir: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    app, auth = make_app(
        data_dir, clock, map_size=SMALL, max_map_size=SMALL, max_outstanding_invitations=10**6
    )
    async with app.test_app():
        client = app.test_client()
        await setup(client)
        with caplog.at_level(logging.ERROR, logger="quart_invite_auth"):
            made, refused = await invitations_until_refused(client, 5000)
        assert refused is not None, "the map never filled"
        await expect_503(refused)
        assert "full" in caplog.text
        # nothing half-written: exactly the invitations that were answered 200 exist, and
        # the issuer's quota entry counts exactly those
        counts = await auth.context.store.entry_counts()
        assert counts["invitation_db"] == len(made) + 1
        assert await all_shown(client, made)
        # reads go on; so do writes that fit in the pages freed by deletions
        assert (await client.get(f"/api/invite/{made[0]}")).status_code == 200


def _grow_in_another_process(data_dir: Path, size: int) -> None:
    code = f"""
import lmdb, os
env = lmdb.open({str(data_dir)!r}, max_dbs=20, map_size={size})
db = env.open_db(b"audit_db")
for i in range(400):
    with env.begin(write=True) as txn:
        txn.put(b"\\x00other-process-%06d" % i, os.urandom(1500), db=db)
env.close()
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


async def test_a_map_grown_by_another_process_is_adopted(data_dir: Path) -> None:
    backend = LmdbBackend(data_dir, map_size=SMALL, max_map_size=SMALL)
    try:
        _grow_in_another_process(data_dir, 16 * SMALL)

        async def count(txn: Txn) -> int:
            return await txn.count("audit_db")

        async def put(txn: Txn) -> None:
            await txn.put("audit_db", b"\x01this-process", b"x")

        # LMDB tells this process the map was resized: it adopts the size, and goes on
        assert await backend.read(count) == 400
        await backend.write(put)
        assert await backend.read(count) == 401
        assert backend.map_size() == 16 * SMALL
    finally:
        await backend.close()


# -- a full disk -----------------------------------------------------------------------


@contextlib.contextmanager
def small_filesystem(path: Path, size: str) -> Iterator[Path]:
    """A real filesystem of `size` (tmpfs), mounted at `path` for the block."""
    if os.geteuid() != 0:
        raise RuntimeError("the full-disk test mounts a small tmpfs: run it as root (as CI does)")
    path.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


async def test_a_full_disk_answers_503_and_writes_nothing(tmp_path: Path, clock: Clock) -> None:
    with small_filesystem(tmp_path / "disk", "1m") as disk:
        app, auth = make_app(
            disk / "data",
            clock,
            map_size=64 << 20,  # far more than the disk has
            max_outstanding_invitations=10**6,
        )
        async with app.test_app():
            client = app.test_client()
            await setup(client)
            made, refused = await invitations_until_refused(client, 20_000)
            assert refused is not None, "the disk never filled"
            body = await expect_503(refused)
            assert "disk" in body["detail"]
            counts = await auth.context.store.entry_counts()
            assert counts["invitation_db"] == len(made) + 1
            assert await all_shown(client, made)


# -- stale readers ---------------------------------------------------------------------


def _start_reader(data_dir: Path) -> subprocess.Popen[str]:
    """Another process with a read transaction open (as `quart invite-auth purge` has
    while it scans), which we then SIGKILL: its reader slot stays behind."""
    code = f"""
import lmdb, sys, time
env = lmdb.open({str(data_dir)!r}, max_dbs=20, readonly=True, lock=True)
txn = env.begin()
print("reading", flush=True)
time.sleep(600)
"""
    reader = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None
    assert reader.stdout.readline().strip() == "reading"
    return reader


async def churn(backend: Any, rounds: int) -> list[int]:
    """Write and delete 400 records of 2 KiB, `rounds` times; the file size after each."""

    async def put(txn: Txn) -> None:
        for i in range(400):
            await txn.put("counter_db", b"churn-%04d" % i, os.urandom(2048))

    async def delete(txn: Txn) -> None:
        for i in range(400):
            await txn.delete("counter_db", b"churn-%04d" % i)

    sizes = []
    for _ in range(rounds):
        await backend.write(put)
        await backend.write(delete)
        sizes.append(os.stat(backend._path / "data.mdb").st_size)
    return sizes


async def test_the_sweep_clears_the_reader_of_a_killed_process(
    data_dir: Path, clock: Clock
) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        backend = auth.context.store.backend
        await churn(backend, 2)
        reader = _start_reader(data_dir)
        await churn(backend, 1)  # pages freed from now on are pinned by its snapshot
        os.kill(reader.pid, signal.SIGKILL)
        reader.wait(timeout=30)
        await backend.check()  # what the sweep runs every purge_interval
        sizes = await churn(backend, 6)
    # freed pages are reused again: the file stops growing
    assert sizes[-1] == sizes[1], sizes


# -- the data folder vanishes ------------------------------------------------------------


@pytest.mark.parametrize("how", ["deleted", "replaced"])
async def test_a_data_folder_removed_while_serving_refuses_writes(
    data_dir: Path, clock: Clock, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    app, _auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        await setup(client)
        before = await client.post("/api/invite", json={}, scheme="https")
        assert before.status_code == 200
        if how == "deleted":
            shutil.rmtree(data_dir)
        else:  # copied aside and back: the same bytes, but another file
            aside = data_dir.with_name(f"aside-{uuid.uuid4().hex}")
            shutil.copytree(data_dir, aside)
            shutil.rmtree(data_dir)
            aside.rename(data_dir)
        with caplog.at_level(logging.CRITICAL, logger="quart_invite_auth"):
            after = await client.post("/api/invite", json={}, scheme="https")
            await expect_503(after)
            assert any(r.levelno == logging.CRITICAL for r in caplog.records)
            again = await client.post("/api/invite", json={}, scheme="https")
            await expect_503(again)  # until restart
        assert sum(r.levelno == logging.CRITICAL for r in caplog.records) == 1


async def test_the_sweep_notices_a_deleted_data_folder(
    data_dir: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        shutil.rmtree(data_dir)
        with caplog.at_level(logging.CRITICAL, logger="quart_invite_auth"):
            await auth.context.store.backend.check()
        assert "deleted or replaced" in caplog.text


# -- private files -----------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_data_folder_is_private(data_dir: Path, clock: Clock) -> None:
    app, _auth = make_app(data_dir, clock)
    async with app.test_app():
        pass
    assert mode(data_dir) == 0o700
    for name in ("data.mdb", "lock.mdb"):
        assert mode(data_dir / name) == 0o600


async def test_an_open_data_folder_of_an_earlier_version_is_tightened(
    data_dir: Path, clock: Clock
) -> None:
    secret = secrets.token_hex(32)
    app, _auth = make_app(data_dir, clock, secret_key=secret)
    async with app.test_app():
        pass
    for name in ("data.mdb", "lock.mdb"):
        os.chmod(data_dir / name, 0o644)  # as earlier versions left them
    os.chmod(data_dir, 0o755)
    app, _auth = make_app(data_dir, clock, secret_key=secret)
    async with app.test_app():
        pass
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "data.mdb") == 0o600


def test_the_example_apps_development_secret_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "example-data"
    env = {k: v for k, v in os.environ.items() if k != "INVITE_AUTH_SECRET_KEY"}
    subprocess.run(
        [sys.executable, "-c", "import examples.app"],
        cwd=ROOT,
        env={**env, "INVITE_AUTH_DATA_DIR": str(folder)},
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert mode(folder) == 0o700
    assert mode(folder / "DEVELOPMENT-SECRET-KEY") == 0o600
