"""The same flows on each store, in the same run: LMDB, PostgreSQL behind one app server,
PostgreSQL behind two app servers (each with its own data folder, one database), and
optionally LMDB as served by another checkout (`--baseline DIR`, e.g. the commit before a
change, unpacked with `git archive`), so a change's cost on LMDB is a ratio measured here.

Every target gets its own world (accounts, invitations) set up through its own API. In
each round the targets run each flow in turn, in a rotating order; figures are medians
over rounds. PostgreSQL runs with its durable defaults (fsync on), as LMDB commits
durably too; its own CPU (postmaster and backends) is metered apart from the app
servers'."""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.pg import PgServer, start_server
from tests.pg import cpu_seconds as pg_cpu_seconds

from . import server, web
from .loadgen import RunResult, closed_loop, median

FLOWS = (
    "GET /api/invite/{id}",
    "POST /accounts/login/start",
    "full login (start + finish with TOTP)",
)
COUNTERS = ("reads", "writes", "retries", "reconnects", "unavailable")


@dataclass
class Target:
    label: str
    servers: list[server.Server]
    world: web.World | None = None
    database: PgServer | None = None
    results: dict[str, list[RunResult]] = field(default_factory=dict)
    db_cpu: dict[str, list[float]] = field(default_factory=dict)
    # PostgreSQL step counters during each flow's measured runs, summed over servers
    counters: dict[str, dict[str, int]] = field(default_factory=dict)

    def med(self, flow: str, metric: Callable[[RunResult], float]) -> float:
        return median([metric(r) for r in self.results.get(flow, [])])


@dataclass
class Stores:
    targets: list[Target] = field(default_factory=list)
    baseline: str = ""


def store_counters(target: Target) -> dict[str, int]:
    total = dict.fromkeys(COUNTERS, 0)
    if target.database is None:
        return total
    for s in target.servers:
        with urllib.request.urlopen(s.url + "/bench/store-stats", timeout=10) as response:
            for key, value in json.load(response).items():
                total[key] = total.get(key, 0) + int(value)
    return total


async def run_flow(target: Target, flow: str, cfg: web.Config) -> RunResult:
    world = target.world
    assert world is not None
    c = cfg.concurrency
    if flow == FLOWS[0]:
        return await closed_loop(
            target.servers, web.get_invite_jobs(world), concurrency=c, duration=cfg.get_seconds
        )
    if flow == FLOWS[1]:
        jobs = web.login_start_jobs(world, cfg.start_count)
        return await closed_loop(target.servers, jobs, concurrency=c)
    return await closed_loop(
        target.servers, await web.full_login_jobs(world, cfg.login_count), concurrency=c
    )


async def measure(
    cfg: web.Config, log: Callable[[str], None], baseline: Path | None, tmp: Path
) -> Stores:
    stores = Stores(baseline=str(baseline or ""))
    secret = secrets.token_hex(32)
    log("stores: starting PostgreSQL (Debian's binaries, durable defaults)")
    # its own directory: as root, the `postgres` user must be able to reach it
    pg_dir = Path(tempfile.mkdtemp(prefix="invite-auth-bench-pg-"))
    database = start_server(pg_dir, durable=True)
    try:
        url = database.create_database("bench")

        def pg_env(schema: str) -> dict[str, str]:
            return {"INVITE_AUTH_DATABASE_URL": url, "INVITE_AUTH_DATABASE_SCHEMA": schema}

        targets = [Target("LMDB", [server.start(tmp / "lmdb" / "data", secret=secret)])]
        if baseline is not None:
            targets.append(
                Target(
                    "LMDB, baseline checkout",
                    [server.start(tmp / "base" / "data", secret=secret, root=baseline)],
                )
            )
        targets.append(
            Target(
                "PostgreSQL, 1 app server",
                [server.start(tmp / "pg1" / "data", secret=secret, env=pg_env("one"))],
                database=database,
            )
        )
        two = [server.start(tmp / "pg2" / "data", secret=secret, env=pg_env("two"))]
        two.append(server.start(tmp / "pg2b" / "data", secret=secret, env=pg_env("two")))
        targets.append(Target("PostgreSQL, 2 app servers", two, database=database))
        stores.targets = targets
        try:
            for target in targets:
                log(f"stores: setting up {target.label}")
                target.world = await web.set_up(target.servers[0], cfg, log)
                for flow in FLOWS:  # warm-up, not recorded (set_up left room for it)
                    await run_flow(target, flow, cfg)
            for r in range(cfg.rounds):
                log(f"  stores: round {r + 1}/{cfg.rounds}")
                for flow in FLOWS:
                    order = targets[r % len(targets) :] + targets[: r % len(targets)]
                    for target in order:
                        before = store_counters(target)
                        db0 = pg_cpu_seconds(database)
                        result = await run_flow(target, flow, cfg)
                        db1 = pg_cpu_seconds(database)
                        after = store_counters(target)
                        target.results.setdefault(flow, []).append(result)
                        if target.database is not None:
                            target.db_cpu.setdefault(flow, []).append(
                                (db1 - db0) / max(1, result.completed)
                            )
                            sums = target.counters.setdefault(flow, dict.fromkeys(COUNTERS, 0))
                            for key in COUNTERS:
                                sums[key] += after.get(key, 0) - before.get(key, 0)
        finally:
            for target in targets:
                for s in target.servers:
                    s.stop()
    finally:
        database.stop()
        shutil.rmtree(pg_dir, ignore_errors=True)
    return stores


def ratio(a: Target, b: Target, flow: str) -> float:
    """Median over rounds of a's throughput / b's, round by round."""
    pairs = zip(a.results.get(flow, []), b.results.get(flow, []), strict=False)
    return median([x.throughput / y.throughput for x, y in pairs if y.throughput])


def render(stores: Stores) -> list[str]:
    def ms(x: float) -> str:
        return "-" if x != x else f"{x * 1e3:.1f}"

    lmdb = stores.targets[0]
    header = [
        "flow",
        "store",
        "flows/s",
        "vs LMDB",
        "p50 / p99 ms",
        "app CPU ms/flow",
        "PostgreSQL CPU ms/flow",
        "retries / write",
        "errors",
    ]
    rows = []
    for flow in FLOWS:
        for t in stores.targets:
            counts = t.counters.get(flow)
            retries = (
                f"{counts['retries'] / counts['writes']:.3f} ({counts['retries']} of "
                f"{counts['writes']}; 503: {counts['unavailable']})"
                if counts and counts["writes"]
                else "-"
            )
            runs = t.results.get(flow, [])
            errors = sum(r.errors for r in runs)
            first = next((r.first_error for r in runs if r.errors), "")
            rows.append(
                [
                    flow,
                    t.label,
                    f"{t.med(flow, lambda r: r.throughput):.0f}",
                    "1" if t is lmdb else f"{ratio(t, lmdb, flow):.2f}",
                    f"{ms(t.med(flow, lambda r: r.percentile(50)))} / "
                    f"{ms(t.med(flow, lambda r: r.percentile(99)))}",
                    f"{t.med(flow, lambda r: r.server_cpu_per_job) * 1e3:.2f}",
                    "-" if t.database is None else f"{median(t.db_cpu[flow]) * 1e3:.2f}",
                    retries,
                    str(errors) + (f" ({first[:60]})" if errors else ""),
                ]
            )
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def baseline_verdicts(stores: Stores) -> list[tuple[str, float]]:
    """(flow, LMDB here / LMDB baseline) when a baseline was measured."""
    base = next((t for t in stores.targets if t.label == "LMDB, baseline checkout"), None)
    if base is None:
        return []
    return [(flow, ratio(stores.targets[0], base, flow)) for flow in FLOWS]
