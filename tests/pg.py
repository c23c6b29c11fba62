"""A throwaway PostgreSQL server for the tests, run with Debian's own binaries.

No system service: `initdb` into a temporary directory, `pg_ctl start` on a free loopback
port with the socket in that directory, `pg_ctl stop` at the end. As root (CI machines),
the server runs as the `postgres` user, which owns the directory. Debian's `postgresql`
package is installed when its binaries are missing (tests/system.py).

Only the standard library here: tests/conftest.py imports this for every test run,
including the SDK-only one without the server packages.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .system import ensure_debian_packages

LIB = Path("/usr/lib/postgresql")


def binaries() -> Path:
    """The newest installed PostgreSQL's bin directory, installing Debian's when none is."""

    def newest() -> Path | None:
        found = sorted(
            (p for p in LIB.glob("*/bin") if (p / "initdb").exists()),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        )
        return found[-1] if found else None

    if newest() is None:
        ensure_debian_packages({str(LIB / "15" / "bin" / "initdb"): "postgresql"})
    bin_dir = newest()
    if bin_dir is None:
        raise RuntimeError("Debian's postgresql package installed no initdb under " + str(LIB))
    return bin_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PgServer:
    """One local PostgreSQL cluster in `directory`, listening on 127.0.0.1:`port`."""

    directory: Path
    port: int
    bin_dir: Path
    # False for tests: no flush to disk. The benchmarks keep PostgreSQL's durable default.
    durable: bool = False

    @property
    def data(self) -> Path:
        return self.directory / "cluster"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            _as_owner([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args]),
            check=check,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        options += " -c max_connections=200"
        if not self.durable:
            # Test data is thrown away: no flush to disk (a `stop -m immediate` crash of
            # the server still loses nothing, the kernel keeps the written pages).
            options += " -c fsync=off -c full_page_writes=off"
        started = self._pg_ctl("-o", options, "-l", str(self.directory / "log"), "-w", "start")
        if started.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed:\n{self.log()}")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "stop", check=False)

    def crash(self) -> None:
        """`pg_ctl stop -m immediate`: every server process quits at once, no checkpoint."""
        self.stop("immediate")

    def log(self) -> str:
        path = self.directory / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [
                str(self.bin_dir / "psql"),
                "-X",
                "-qAt",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
                self.url(database),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server(directory: Path, *, durable: bool = False) -> PgServer:
    """initdb and start a cluster in `directory` (created; must not hold one yet). As
    root, every parent of `directory` must let other users through (e.g. under /tmp)."""
    bin_dir = binaries()
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
        directory.chmod(0o700)
    server = PgServer(directory, free_port(), bin_dir, durable)
    subprocess.run(
        _as_owner(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(server.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=300,
    )
    try:
        server.start()
    except BaseException:
        server.stop("immediate")  # pg_ctl may give up waiting on a server that did start
        raise
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            server.psql("SELECT 1")
            return server
        except subprocess.CalledProcessError:
            time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not come up:\n{server.log()}")


def cpu_seconds(server: PgServer) -> float:
    """User + system CPU of the server: the postmaster and its children (all backends)."""
    pid_file = server.data / "postmaster.pid"
    postmaster = int(pid_file.read_text().split()[0])
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        # fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
        if int(entry) == postmaster or int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")
