"""HTTP benchmarks of the example app under hypercorn, next to a bare route on the same server.

Set-up goes through the public API only: root registers with the printed root invite and
logs in with TOTP, issues invite tokens for the OPAQUE accounts and seed-003 invitations.
The benchmark client uses a cheap Argon2id KSF (t=1, m=1 MiB, p=1): the KSF is the
client's own cost and the server never runs it, so it would only take CPU from the server
the client shares two cores with."""

from __future__ import annotations

import asyncio
import base64
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyotp

from invite_auth.opaque import (
    KE2,
    Argon2idKSF,
    ClientLoginState,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
    generate_ke1,
    generate_ke3,
)
from invite_auth.sealing import SealedBundle, open_bundle, sealing_public_key

from .loadgen import ADDRESSES, Connection, Job, RunResult, closed_loop, encode, median
from .server import Server

CLIENT_KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = b"bench password, not a secret"
LOGIN_PASSWORD = "bench password 1234"
# Login starts that are never finished count as failures (50 per account per hour).
STARTS_PER_ACCOUNT = 40


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pad_json(n: int) -> bytes:
    head, tail = b'{"pad":"', b'"}'
    return head + b"x" * max(0, n - len(head) - len(tail)) + tail


@dataclass
class Account:
    name: str
    totp: pyotp.TOTP
    last_step: int = -(10**9)
    starts: int = 0


@dataclass
class Config:
    rounds: int
    get_seconds: float
    bare_seconds: float
    concurrency: int
    start_count: int
    login_count: int
    accept_count: int
    accept_concurrency: int
    health_rounds: int
    health_seconds: float
    scaling_rounds: int
    scaling_seconds: float

    @classmethod
    def full(cls) -> Config:
        return cls(9, 1.5, 1.0, 64, 250, 30, 20, 16, 4, 3.0, 5, 1.5)

    @classmethod
    def quick(cls) -> Config:
        return cls(3, 0.6, 0.5, 64, 120, 12, 8, 8, 2, 2.0, 2, 0.6)


@dataclass
class World:
    """What set-up made: root's token, accounts, invitations, invite tokens."""

    root_token: str
    start_pool: list[Account]
    login_pool: list[Account]
    shown: list[str]  # outstanding invitations for GET /api/invite/{id}
    to_accept: list[str]
    health_tokens: list[tuple[str, str]] = field(default_factory=list)
    health_invitations: list[str] = field(default_factory=list)


class Api:
    """Client-side flows on one connection."""

    def __init__(self, conn: Connection, server: Server) -> None:
        self.conn = conn
        self.server = server

    async def call(
        self, method: str, path: str, body: Any = None, *, token: str | None = None
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        raw = encode(method, path, body, headers)
        try:
            reply = await self.conn.call(raw)
        except (asyncio.IncompleteReadError, ConnectionError):
            # hypercorn closes keep-alive connections idle for 5 s: reconnect once
            await self.conn.close()
            self.conn = await Connection.open(self.server, ADDRESSES.take())
            reply = await self.conn.call(raw)
        expected = 201 if path.endswith("/registration/finish") else 200
        return reply.expect(expected).json()

    async def register(self, invite_token: str, account: str) -> Account:
        request, state = create_registration_request(PASSWORD)
        started = await self.call(
            "POST",
            "/accounts/registration/start",
            {
                "invite_token": invite_token,
                "account": account,
                "registration_request": b64e(request.to_bytes()),
            },
        )
        response = RegistrationResponse.from_bytes(b64d(started["registration_response"]))
        record, export_key = finalize_registration_request(state, response, ksf=CLIENT_KSF)
        finished = await self.call(
            "POST",
            "/accounts/registration/finish",
            {
                "registration_id": started["registration_id"],
                "registration_record": b64e(record.to_bytes()),
                "sealing_public_key": b64e(sealing_public_key(export_key)),
            },
        )
        sealed = finished["sealed_mfa"]
        opened = open_bundle(
            export_key,
            account,
            SealedBundle(
                b64d(sealed["ephemeral_public_key"]),
                b64d(sealed["nonce"]),
                b64d(sealed["ciphertext"]),
            ),
        )
        return Account(account, pyotp.TOTP(opened["totp_secret"]))

    async def login(self, account: Account, step: int) -> str:
        ke1, state = generate_ke1(PASSWORD)
        started = await self.call(
            "POST", "/accounts/login/start", {"account": account.name, "ke1": b64e(ke1.to_bytes())}
        )
        ke3 = generate_ke3(state, KE2.from_bytes(b64d(started["ke2"])), ksf=CLIENT_KSF).ke3
        finished = await self.call(
            "POST",
            "/accounts/login/finish",
            {
                "login_id": started["login_id"],
                "ke3": b64e(ke3.to_bytes()),
                "totp_code": account.totp.generate_otp(step),
            },
        )
        return str(finished["access_token"])

    async def invite_token(self, root: str, account: str) -> str:
        path = f"/accounts/invite?domain={account}.bench.example&account={account}"
        return str((await self.call("GET", path, token=root))["invite_token"])

    async def invitation(self, root: str) -> str:
        return str((await self.call("POST", "/api/invite", {}, token=root))["id"])


def next_step(account: Account, now: float | None = None) -> int | None:
    """A TOTP step the server accepts now and has not seen: later than the last one used,
    the current one or the next. Never the previous one: preparing a run may wait for the
    next step, and a job prepared before that wait would then be two steps behind."""
    now = time.time() if now is None else now
    current = int(now // 30)
    step = max(account.last_step + 1, current)
    return step if step <= current + 1 else None


async def open_api(server: Server) -> Api:
    return Api(await Connection.open(server, ADDRESSES.take()), server)


async def gather_limited(
    server: Server, count: int, limit: int, make: Callable[[int], Any]
) -> list[Any]:
    semaphore = asyncio.Semaphore(limit)
    results: list[Any] = [None] * count
    apis = [await open_api(server) for _ in range(limit)]
    free = list(apis)

    async def one(i: int) -> None:
        async with semaphore:
            api = free.pop()
            try:
                results[i] = await make(i)(api)
            finally:
                free.append(api)

    await asyncio.gather(*(one(i) for i in range(count)))
    for api in apis:
        await api.conn.close()
    return results


async def set_up(server: Server, cfg: Config, log: Callable[[str], None]) -> World:
    invite = server.root_invite()
    if invite is None:
        raise RuntimeError("the server printed no root invite")
    api = await open_api(server)
    root = await api.register(invite, "root")
    root_token = await api.login(root, int(time.time() // 30))

    start_accounts = math.ceil((cfg.rounds + 1) * cfg.start_count / STARTS_PER_ACCOUNT)
    login_accounts = math.ceil((cfg.rounds + 1) * cfg.login_count / 2)  # 2 steps a window
    total = start_accounts + login_accounts
    log(f"  set-up: registering {total} OPAQUE accounts through the API")
    started = time.perf_counter()
    tokens = [await api.invite_token(root_token, f"bench{i}") for i in range(total)]

    def register(i: int) -> Callable[[Api], Any]:
        return lambda a: a.register(tokens[i], f"bench{i}")

    accounts: list[Account] = await gather_limited(server, total, 4, register)
    log(f"  set-up: {total} registrations took {time.perf_counter() - started:.1f} s")
    shown = [await api.invitation(root_token) for _ in range(64)]
    to_accept = [
        await api.invitation(root_token)
        for _ in range((cfg.rounds + 1) * cfg.accept_count + cfg.accept_concurrency)
    ]
    health_tokens = []
    for i in range(25 * cfg.health_rounds):
        name = f"health{i}"
        health_tokens.append((await api.invite_token(root_token, name), name))
    health_invitations = [await api.invitation(root_token) for _ in range(40 * cfg.health_rounds)]
    await api.conn.close()
    return World(
        root_token,
        accounts[:start_accounts],
        accounts[start_accounts:],
        shown,
        to_accept,
        health_tokens,
        health_invitations,
    )


# ---------------------------------------------------------------------------------------
# Jobs


def get_invite_jobs(world: World) -> Callable[[], Job | None]:
    requests = [encode("GET", f"/api/invite/{i}") for i in world.shown]
    counter = iter(range(10**12))

    def jobs() -> Job:
        raw = requests[next(counter) % len(requests)]

        async def job(conn: Connection) -> None:
            (await conn.call(raw)).expect(200)

        return job

    return jobs


def bare_jobs(sizes: list[tuple[int, int]]) -> Callable[[], Job | None]:
    """A job of one bare request per (request body size, response body size); 0 = GET."""
    raws = [
        encode("POST", f"/bench/bare/{out}", pad_json(into))
        if into
        else encode("GET", f"/bench/bare/{out}")
        for into, out in sizes
    ]

    def jobs() -> Job:
        async def job(conn: Connection) -> None:
            for raw in raws:
                (await conn.call(raw)).expect(200)

        return job

    return jobs


def counted(jobs: list[Job]) -> Callable[[], Job | None]:
    queue = list(reversed(jobs))
    return lambda: queue.pop() if queue else None


def login_start_jobs(world: World, count: int) -> Callable[[], Job | None]:
    prepared: list[Job] = []
    for _ in range(count):
        account = min(world.start_pool, key=lambda a: a.starts)
        if account.starts >= STARTS_PER_ACCOUNT:
            raise RuntimeError("login-start accounts exhausted")
        account.starts += 1
        ke1, _ = generate_ke1(PASSWORD)
        raw = encode(
            "POST", "/accounts/login/start", {"account": account.name, "ke1": b64e(ke1.to_bytes())}
        )

        async def job(conn: Connection, raw: bytes = raw) -> None:
            (await conn.call(raw)).expect(200)

        prepared.append(job)
    return counted(prepared)


async def full_login_jobs(world: World, count: int) -> Callable[[], Job | None]:
    """Start + finish with TOTP. KE1 is made beforehand; KE3 (with the cheap KSF) is the
    client's work inside the timed flow."""
    prepared: list[Job] = []
    pool = world.login_pool
    # An account logs in at most once per run: two of its logins in flight at once, with
    # steps s and s + 1, may finish in either order, and s after s + 1 is a replay.
    used: set[str] = set()
    while len(prepared) < count:
        now = time.time()
        found = False
        for account in pool:
            step = next_step(account, now)
            if step is None or (account.name in used and len(used) < len(pool)):
                continue
            used.add(account.name)
            account.last_step = step
            found = True
            ke1, state = generate_ke1(PASSWORD)
            start = encode(
                "POST",
                "/accounts/login/start",
                {"account": account.name, "ke1": b64e(ke1.to_bytes())},
            )
            prepared.append(_full_login(start, state, account.totp.generate_otp(step)))
            if len(prepared) == count:
                break
        if not found:  # every account has used its steps: wait for the next one
            await asyncio.sleep(30.5 - time.time() % 30)
    return counted(prepared)


def _full_login(start: bytes, state: ClientLoginState, code: str) -> Job:
    async def job(conn: Connection) -> None:
        started = (await conn.call(start)).expect(200).json()
        ke3 = generate_ke3(state, KE2.from_bytes(b64d(started["ke2"])), ksf=CLIENT_KSF).ke3
        body = {"login_id": started["login_id"], "ke3": b64e(ke3.to_bytes()), "totp_code": code}
        (await conn.call(encode("POST", "/accounts/login/finish", body))).expect(200)

    return job


def accept_jobs(invitations: list[str], count: int | None) -> Callable[[], Job | None]:
    def jobs() -> Job | None:
        nonlocal count
        if not invitations or count == 0:
            return None
        if count is not None:
            count -= 1
        invitation = invitations.pop()
        raw = encode(
            "POST",
            f"/api/invite/{invitation}",
            {"name": f"u-{uuid.uuid4().hex[:20]}", "password": LOGIN_PASSWORD},
        )

        async def job(conn: Connection) -> None:
            (await conn.call(raw)).expect(200)

        return job

    return jobs


# ---------------------------------------------------------------------------------------
# Measurements


@dataclass
class Pair:
    name: str
    target: list[RunResult] = field(default_factory=list)
    bare: list[RunResult] = field(default_factory=list)
    bare_shape: str = ""

    @property
    def ratios(self) -> list[float]:
        return [t.throughput / b.throughput for t, b in zip(self.target, self.bare, strict=True)]

    def med(self, side: str, metric: Callable[[RunResult], float]) -> float:
        return median([metric(r) for r in (self.target if side == "target" else self.bare)])

    def errors(self) -> tuple[int, str]:
        runs = self.target + self.bare
        return sum(r.errors for r in runs), next((r.first_error for r in runs if r.errors), "")


async def sizes_of(server: Server, world: World) -> dict[str, list[tuple[int, int]]]:
    """Request/response body sizes of each measured flow, for its bare twin."""
    api = await open_api(server)
    conn = api.conn
    shown = await conn.call(encode("GET", f"/api/invite/{world.shown[0]}"))
    ke1, state = generate_ke1(PASSWORD)
    account = world.login_pool[0]
    step = next_step(account)
    assert step is not None
    account.last_step = step
    start_body = {"account": account.name, "ke1": b64e(ke1.to_bytes())}
    start_raw = encode("POST", "/accounts/login/start", start_body)
    started = await conn.call(start_raw)
    ke3 = generate_ke3(state, KE2.from_bytes(b64d(started.json()["ke2"])), ksf=CLIENT_KSF).ke3
    finish_body = {
        "login_id": started.json()["login_id"],
        "ke3": b64e(ke3.to_bytes()),
        "totp_code": account.totp.generate_otp(step),
    }
    finished = await conn.call(encode("POST", "/accounts/login/finish", finish_body))
    accept_body = {"name": f"u-{uuid.uuid4().hex[:20]}", "password": LOGIN_PASSWORD}
    accepted = await conn.call(encode("POST", f"/api/invite/{world.to_accept.pop()}", accept_body))
    await conn.close()
    for reply in (shown, started, finished, accepted):
        reply.expect(200)

    def size(body: dict[str, Any]) -> int:
        return len(encode("POST", "/", body).split(b"\r\n\r\n", 1)[1])

    return {
        "get": [(0, len(shown.body))],
        "start": [(size(start_body), len(started.body))],
        "login": [
            (size(start_body), len(started.body)),
            (size(finish_body), len(finished.body)),
        ],
        "accept": [(size(accept_body), len(accepted.body))],
    }


async def measure_pairs(
    server: Server, world: World, cfg: Config, log: Callable[[str], None]
) -> list[Pair]:
    sizes = await sizes_of(server, world)
    c = cfg.concurrency
    pairs = []

    async def run_pair(
        name: str,
        shape: list[tuple[int, int]],
        target: Callable[[], Any],
        concurrency: int,
    ) -> None:
        pair = Pair(name, bare_shape=" + ".join(f"{i}B in/{o}B out" for i, o in shape))
        bare = bare_jobs(shape)
        # warm-up, not recorded
        await closed_loop(server, bare, concurrency=concurrency, duration=0.3)
        for r in range(cfg.rounds):
            log(f"  {name}: round {r + 1}/{cfg.rounds}")
            order = ("bare", "target") if r % 2 == 0 else ("target", "bare")
            for side in order:
                if side == "bare":
                    pair.bare.append(
                        await closed_loop(
                            server, bare, concurrency=concurrency, duration=cfg.bare_seconds
                        )
                    )
                else:
                    pair.target.append(await target())
        pairs.append(pair)

    get_jobs = get_invite_jobs(world)
    await closed_loop(server, get_jobs, concurrency=c, duration=0.3)
    await run_pair(
        "GET /api/invite/{id}",
        sizes["get"],
        lambda: closed_loop(server, get_jobs, concurrency=c, duration=cfg.get_seconds),
        c,
    )
    await closed_loop(server, login_start_jobs(world, 40), concurrency=c)
    await run_pair(
        "POST /accounts/login/start",
        sizes["start"],
        lambda: closed_loop(server, login_start_jobs(world, cfg.start_count), concurrency=c),
        c,
    )

    async def full_login() -> RunResult:
        return await closed_loop(
            server, await full_login_jobs(world, cfg.login_count), concurrency=c
        )

    await closed_loop(server, await full_login_jobs(world, 10), concurrency=c)
    await run_pair("full login (start + finish with TOTP)", sizes["login"], full_login, c)

    ac = cfg.accept_concurrency
    await closed_loop(server, accept_jobs(world.to_accept, ac), concurrency=ac)
    await run_pair(
        "POST /api/invite/{id} (accept, Argon2id t=3 m=64MiB p=4)",
        sizes["accept"],
        lambda: closed_loop(server, accept_jobs(world.to_accept, cfg.accept_count), concurrency=ac),
        ac,
    )
    return pairs


@dataclass
class Health:
    idle_invite: list[RunResult] = field(default_factory=list)
    busy_invite: list[RunResult] = field(default_factory=list)
    idle_bare: list[RunResult] = field(default_factory=list)
    busy_bare: list[RunResult] = field(default_factory=list)
    registrations: int = 0
    accepts: int = 0
    background_errors: int = 0
    background_seconds: float = 0.0


async def invite_size(server: Server, world: World) -> int:
    conn = await Connection.open(server, ADDRESSES.take())
    reply = await conn.call(encode("GET", f"/api/invite/{world.shown[0]}"))
    await conn.close()
    return len(reply.expect(200).body)


async def _probe(server: Server, raw: bytes, seconds: float) -> RunResult:
    """One request at a time, 10 ms apart: latency without queueing behind our own load."""
    issued = 0
    limit = int(seconds / 0.012)

    def jobs() -> Job | None:
        nonlocal issued
        if issued >= limit:
            return None
        issued += 1

        async def job(conn: Connection) -> None:
            (await conn.call(raw)).expect(200)
            await asyncio.sleep(0.01)

        return job

    result = await closed_loop(server, jobs, concurrency=1, duration=seconds)
    # the pause is not latency
    result.latencies = [max(0.0, x - 0.01) for x in result.latencies]
    return result


async def measure_health(
    server: Server, world: World, cfg: Config, log: Callable[[str], None]
) -> Health:
    health = Health()
    invite_raw = encode("GET", f"/api/invite/{world.shown[0]}")
    bare_raw = encode("GET", f"/bench/bare/{await invite_size(server, world)}")

    async def background(stop: asyncio.Event) -> None:
        async def registrations() -> None:
            api = await open_api(server)
            while not stop.is_set() and world.health_tokens:
                token, name = world.health_tokens.pop()
                try:
                    await api.register(token, name)
                    health.registrations += 1
                except Exception:
                    health.background_errors += 1
            await api.conn.close()

        async def accepts() -> None:
            conn = await Connection.open(server, ADDRESSES.take())
            jobs = accept_jobs(world.health_invitations, None)
            while not stop.is_set():
                job = jobs()
                if job is None:
                    break
                try:
                    await job(conn)
                    health.accepts += 1
                except Exception:
                    health.background_errors += 1
            await conn.close()

        await asyncio.gather(registrations(), registrations(), accepts(), accepts())

    for r in range(cfg.health_rounds):
        log(f"  event-loop health: round {r + 1}/{cfg.health_rounds}")
        for busy in (False, True) if r % 2 == 0 else (True, False):
            stop = asyncio.Event()
            load = asyncio.create_task(background(stop)) if busy else None
            if load is not None:
                await asyncio.sleep(0.5)  # let the background reach its steady state
            started = time.perf_counter()
            invite, bare = await asyncio.gather(
                _probe(server, invite_raw, cfg.health_seconds),
                _probe(server, bare_raw, cfg.health_seconds),
            )
            if load is not None:
                health.background_seconds += time.perf_counter() - started
                stop.set()
                await load
                health.busy_invite.append(invite)
                health.busy_bare.append(bare)
            else:
                health.idle_invite.append(invite)
                health.idle_bare.append(bare)
    return health


@dataclass
class Scaling:
    one: dict[str, list[RunResult]] = field(default_factory=dict)
    two: dict[str, list[RunResult]] = field(default_factory=dict)


async def measure_scaling(
    one: Server, two: Server, world: World, cfg: Config, log: Callable[[str], None]
) -> Scaling:
    scaling = Scaling()
    sizes = await invite_size(one, world)
    loads: dict[str, Callable[[], Job | None]] = {
        "GET /api/invite/{id}": get_invite_jobs(world),
        f"bare GET ({sizes} B)": bare_jobs([(0, sizes)]),
    }
    c = cfg.concurrency
    for server in (one, two):  # warm-up
        for jobs in loads.values():
            await closed_loop(server, jobs, concurrency=c, duration=0.3)
    for r in range(cfg.scaling_rounds):
        log(f"  scaling: round {r + 1}/{cfg.scaling_rounds}")
        for name, jobs in loads.items():
            for server in (one, two) if r % 2 == 0 else (two, one):
                result = await closed_loop(
                    server, jobs, concurrency=c, duration=cfg.scaling_seconds
                )
                (scaling.one if server is one else scaling.two).setdefault(name, []).append(result)
    return scaling
