"""python -m bench [--quick] [--output BENCHMARKS.md] [--skip-protocol] [--skip-http]
[--skip-stores] [--baseline DIR]"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from pathlib import Path

from . import protocol, report, server, stores, web


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def http_benchmarks(cfg: web.Config, data: report.Report) -> None:
    with tempfile.TemporaryDirectory(prefix="invite-auth-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        secret = secrets.token_hex(32)
        log("starting the example app under hypercorn (1 worker)")
        one = server.start(data_dir, secret=secret, workers=1)
        two: server.Server | None = None
        try:
            world = await web.set_up(one, cfg, log)
            data.pairs = await web.measure_pairs(one, world, cfg, log)
            data.health = await web.measure_health(one, world, cfg, log)
            log("starting a second server with 2 workers on the same data directory")
            two = server.start(data_dir, secret=secret, workers=2)
            data.scaling = await web.measure_scaling(one, two, world, cfg, log)
        finally:
            one.stop()
            if two is not None:
                two.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run (about a minute)")
    parser.add_argument("--output", default="BENCHMARKS.md", help="where to write the report")
    parser.add_argument("--skip-protocol", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-stores", action="store_true")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout (e.g. `git archive <commit> | tar -x -C DIR`) whose LMDB "
        "figures are measured beside this one's",
    )
    args = parser.parse_args()

    cfg = web.Config.quick() if args.quick else web.Config.full()
    data = report.Report(quick=args.quick, config=cfg)
    started = time.perf_counter()
    if not args.skip_protocol:
        log("protocol: our OPAQUE core against opaque-ke (opaque-snake), same process")
        data.protocol, data.suite_note = protocol.run(5 if args.quick else 15, log)
        data.breakdown = protocol.profiles()
    if not args.skip_http:
        asyncio.run(http_benchmarks(cfg, data))
    if not args.skip_stores:
        with tempfile.TemporaryDirectory(prefix="invite-auth-bench-stores-") as tmp:
            baseline = args.baseline.resolve() if args.baseline else None
            data.stores = asyncio.run(stores.measure(cfg, log, baseline, Path(tmp)))
    data.seconds = time.perf_counter() - started
    text = report.render(data)
    print(text)
    Path(args.output).write_text(text)
    log(f"wrote {args.output} ({data.seconds:.0f} s)")


if __name__ == "__main__":
    main()
