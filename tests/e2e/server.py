"""Start the example host app under hypercorn on 127.0.0.1 for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
INVITE_RE = re.compile(r"One-time root invite \(account 'root'\):\s*(\S+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def root_invite(self) -> str:
        match = INVITE_RE.search(self.log())
        assert match, f"no root invite printed:\n{self.log()}"
        return match.group(1)

    def kill(self) -> None:
        """SIGKILL the whole process group: no chance to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def start(
    data_dir: Path,
    *,
    workers: int = 1,
    secret: str,
    port: int | None = None,
    env: dict[str, str] | None = None,
    database_url: str | None = None,
    database_schema: str | None = None,
) -> Server:
    """Start the example app; with `database_url` its store is that PostgreSQL database
    (in `database_schema`), and `data_dir` only holds its development files."""
    port = port or free_port()
    env = dict(env or {})
    if database_url is not None:
        env["INVITE_AUTH_DATABASE_URL"] = database_url
    if database_schema is not None:
        env["INVITE_AUTH_DATABASE_SCHEMA"] = database_schema
    log_path = data_dir.parent / f"server-{port}-{time.monotonic_ns()}.log"
    full_env = {
        **os.environ,
        "INVITE_AUTH_DATA_DIR": str(data_dir),
        "INVITE_AUTH_SECRET_KEY": secret,
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hypercorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "examples.app:app",
        ],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.log()}")
        try:
            if httpx.get(server.url + "/", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"server did not start:\n{server.log()}")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@contextmanager
def running(data_dir: Path, **kwargs: object) -> Iterator[Server]:
    server = start(data_dir, **kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        stop(server)
