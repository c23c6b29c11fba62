"""A small closed-loop HTTP/1.1 load generator on raw asyncio streams.

httpx costs several times more CPU per request than the server's bare route, and client
and server share the same two cores here, so the timed requests go through this client:
requests are pre-encoded bytes, responses are parsed just enough (status, Content-Length
or chunked, Set-Cookie) to be complete. Each of C connections keeps one request in
flight (keep-alive), so C requests are in flight at all times."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .server import Server


class UnexpectedStatus(Exception):
    pass


@dataclass(frozen=True)
class Reply:
    status: int
    head: bytes
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def expect(self, status: int) -> Reply:
        if self.status != status:
            raise UnexpectedStatus(f"{self.status} (expected {status}): {self.body[:300]!r}")
        return self


def encode(
    method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: bench"]
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, server: Server, source: str) -> Connection:
        reader, writer = await asyncio.open_connection(
            server.host, server.port, local_addr=(source, 0)
        )
        return cls(reader, writer)

    async def call(self, raw: bytes) -> Reply:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at >= 0:
            end = lower.index(b"\r\n", at + 2)
            body = await self.reader.readexactly(int(lower[at + 17 : end]))
        elif b"transfer-encoding: chunked" in lower:
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        else:
            body = b""
        return Reply(status, head, body)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


class SourceAddresses:
    """Fresh loopback source addresses (127.1.x.y), so the per-client-address failure
    counter of login start (200 an hour) never trips during a run."""

    def __init__(self) -> None:
        self._next: Iterator[int] = itertools.count(1)

    def take(self) -> str:
        n = next(self._next)
        return f"127.{1 + n // 65000}.{(n % 65000) // 250}.{1 + n % 250}"


ADDRESSES = SourceAddresses()

# A job is one timed unit (one request, or a flow of several) on one connection.
Job = Callable[[Connection], Awaitable[None]]


@dataclass
class RunResult:
    completed: int
    errors: int
    elapsed: float
    latencies: list[float]
    server_cpu: float
    client_cpu: float
    first_error: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return self.completed / self.elapsed if self.elapsed > 0 else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def server_cpu_per_job(self) -> float:
        return self.server_cpu / self.completed if self.completed else float("nan")

    @property
    def client_cpu_per_job(self) -> float:
        return self.client_cpu / self.completed if self.completed else float("nan")


async def closed_loop(
    server: Server | Sequence[Server],
    jobs: Callable[[], Job | None],
    *,
    concurrency: int,
    duration: float | None = None,
) -> RunResult:
    """Run jobs from `jobs()` on `concurrency` connections until it returns None or
    `duration` seconds have passed. Several servers share the connections in turn, and
    their CPU is added up."""
    servers = [server] if isinstance(server, Server) else list(server)
    connections = [
        await Connection.open(servers[i % len(servers)], ADDRESSES.take())
        for i in range(concurrency)
    ]
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = float("inf")

    async def worker(conn: Connection) -> None:
        while time.perf_counter() < stop_at:
            job = jobs()
            if job is None:
                return
            started = time.perf_counter()
            try:
                await job(conn)
            except (UnexpectedStatus, OSError, asyncio.IncompleteReadError) as exc:
                errors.append(repr(exc))
                if not isinstance(exc, UnexpectedStatus):
                    return
                continue
            latencies.append(time.perf_counter() - started)

    cpu0, client0 = sum(s.cpu_seconds() for s in servers), time.process_time()
    started = time.perf_counter()
    if duration is not None:
        stop_at = started + duration
    await asyncio.gather(*(worker(c) for c in connections))
    elapsed = time.perf_counter() - started
    cpu1, client1 = sum(s.cpu_seconds() for s in servers), time.process_time()
    for conn in connections:
        await conn.close()
    return RunResult(
        completed=len(latencies),
        errors=len(errors),
        elapsed=elapsed,
        latencies=latencies,
        server_cpu=cpu1 - cpu0,
        client_cpu=client1 - client0,
        first_error=errors[0] if errors else "",
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
