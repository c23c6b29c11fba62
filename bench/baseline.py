"""Login throughput of this checkout against another version of the code, in one run.

    git worktree add /tmp/old 07b9e58
    python -m bench.baseline --baseline /tmp/old [--rounds 7]

Both versions serve the same bench app (bench/app.py of this checkout's harness, the
example app of each checkout) under hypercorn with one worker, side by side on fresh data
directories; each round measures login start and full login (start + finish with TOTP)
on both, in alternating order. Reported: the median flows/s of each, and the median of
the per-round ratios (this / baseline). Not part of CI."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from . import server, web
from .loadgen import RunResult, closed_loop, median


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


Measure = Callable[[server.Server, web.World], Coroutine[Any, Any, RunResult]]


async def compare(baseline: Path, rounds: int, starts_per_round: int, logins_per_round: int) -> str:
    cfg = web.Config.quick()
    cfg.rounds = rounds
    cfg.start_count = starts_per_round
    cfg.login_count = logins_per_round
    c = cfg.concurrency

    async def starts(live: server.Server, world: web.World) -> RunResult:
        return await closed_loop(live, web.login_start_jobs(world, cfg.start_count), concurrency=c)

    async def logins(live: server.Server, world: web.World) -> RunResult:
        jobs = await web.full_login_jobs(world, cfg.login_count)
        return await closed_loop(live, jobs, concurrency=c)

    flows: dict[str, Measure] = {
        "POST /accounts/login/start": starts,
        "full login (start + finish with TOTP)": logins,
    }
    results: dict[tuple[str, str], list[RunResult]] = {}
    with tempfile.TemporaryDirectory(prefix="invite-auth-baseline-") as tmp:
        sides = {"baseline": baseline, "this": server.ROOT}
        servers = {}
        worlds = {}
        try:
            for side, root in sides.items():
                log(f"starting {side} ({root})")
                data_dir = Path(tmp) / side / "data"
                data_dir.parent.mkdir()
                servers[side] = server.start(data_dir, secret=secrets.token_hex(32), root=root)
                worlds[side] = await web.set_up(servers[side], cfg, log)
                # warm-up, not recorded
                await closed_loop(
                    servers[side], web.login_start_jobs(worlds[side], 40), concurrency=c
                )
                await closed_loop(
                    servers[side], await web.full_login_jobs(worlds[side], 10), concurrency=c
                )
            for r in range(rounds):
                order = ("baseline", "this") if r % 2 == 0 else ("this", "baseline")
                for name, measure in flows.items():
                    for side in order:
                        log(f"  round {r + 1}/{rounds}: {name} on {side}")
                        run = await measure(servers[side], worlds[side])
                        if run.errors:
                            raise RuntimeError(f"{side} {name}: {run.first_error}")
                        results.setdefault((name, side), []).append(run)
        finally:
            for live in servers.values():
                live.stop()
    lines = [
        f"Baseline: {baseline}; {rounds} alternating rounds of {starts_per_round} login "
        f"starts and {logins_per_round} full logins, 1 worker each, concurrency {c}.",
        "",
        "| flow | baseline flows/s | this flows/s | this / baseline (median of rounds) "
        "| server CPU ms/flow, baseline / this |",
        "|---|---|---|---|---|",
    ]
    rounds_seen = []
    for name in flows:
        base, this = results[name, "baseline"], results[name, "this"]
        ratios = [t.throughput / b.throughput for t, b in zip(this, base, strict=True)]
        lines.append(
            f"| {name} | {median([r.throughput for r in base]):.0f} | "
            f"{median([r.throughput for r in this]):.0f} | {median(ratios):.3f} | "
            f"{median([r.server_cpu_per_job * 1000 for r in base]):.2f} / "
            f"{median([r.server_cpu_per_job * 1000 for r in this]):.2f} |"
        )
        rounds_seen.append(
            f"- {name}: baseline "
            + ", ".join(f"{r.throughput:.0f}" for r in base)
            + "; this "
            + ", ".join(f"{r.throughput:.0f}" for r in this)
        )
    return "\n".join([*lines, "", "Flows/s in each round:", "", *rounds_seen])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__)
    parser.add_argument("--baseline", required=True, type=Path, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--starts", type=int, default=600, help="login starts per round")
    parser.add_argument("--logins", type=int, default=100, help="full logins per round")
    args = parser.parse_args()
    print(asyncio.run(compare(args.baseline.resolve(), args.rounds, args.starts, args.logins)))


if __name__ == "__main__":
    main()
