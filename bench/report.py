"""The table printed by `python -m bench` and written to BENCHMARKS.md."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata

import pysodium

from . import notes, stores
from .loadgen import RunResult, median
from .protocol import OpResult
from .web import Config, Health, Pair, Scaling


@dataclass
class Report:
    quick: bool
    config: Config
    protocol: list[OpResult] = field(default_factory=list)
    suite_note: str = ""
    breakdown: dict[str, list[tuple[str, float, int]]] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)
    health: Health | None = None
    scaling: Scaling | None = None
    stores: stores.Stores | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Target:
    key: str
    what: str
    bound: str
    measured: str
    met: bool | None


def duration(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:
        return "-"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def ms(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds * 1e3:.1f}"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> list[tuple[str, str]]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return [
        ("date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("platform", platform.platform()),
        ("CPU", f"{cpu_model()}, {os.cpu_count()} logical cores"),
        ("load average at the end", " ".join(f"{x:.2f}" for x in load)),
        ("python", f"{platform.python_implementation()} {sys.version.split()[0]}"),
        ("libsodium", pysodium.sodium.sodium_version_string().decode()),
        (
            "packages",
            ", ".join(
                f"{p} {version(p)}"
                for p in (
                    "invite-auth",
                    "pysodium",
                    "argon2-cffi",
                    "opaque-snake",
                    "quart",
                    "hypercorn",
                    "lmdb",
                    "psycopg",
                    "psycopg-pool",
                    "pydantic",
                )
            ),
        ),
        ("opaque-ke", "4.1.0-pre.1 (inside opaque-snake 0.1.1, from its SBOM)"),
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _find(ops: list[OpResult], name: str) -> OpResult | None:
    return next((o for o in ops if o.name == name), None)


def targets(data: Report) -> list[Target]:
    out: list[Target] = []
    ke2 = _find(data.protocol, "generate_ke2 (KE2)")
    if ke2 is not None and ke2.ratio is not None:
        out.append(
            Target("ke2", "server-side KE2 vs opaque-ke", "≤ 1.3x", f"{ke2.ratio:.2f}x", ke2.met)
        )
    for name in ("create_registration_request (blind)", "generate_ke1"):
        op = _find(data.protocol, name)
        if op is not None and op.ratio is not None:
            out.append(
                Target(
                    "client",
                    f"client {name} vs opaque-ke",
                    "≤ 1.5x",
                    f"{op.ratio:.2f}x",
                    op.met,
                )
            )
    if data.protocol:
        out.append(
            Target(
                "client-finish",
                "client finalize_registration_request / generate_ke3 without KSF vs opaque-ke",
                "≤ 1.5x",
                "not measurable: opaque-snake always runs its Argon2id (see method)",
                None,
            )
        )
    by_name = {p.name: p for p in data.pairs}
    get = by_name.get("GET /api/invite/{id}")
    if get is not None:
        ratio = median(get.ratios)
        out.append(
            Target(
                "get",
                "GET /api/invite/{id} throughput vs bare route",
                "≥ 0.80",
                f"{ratio:.2f}",
                ratio >= 0.8,
            )
        )
    start = by_name.get("POST /accounts/login/start")
    wire = _find(data.protocol, "generate_ke2, bytes in/out (parse KE1 + record, serialize KE2)")
    if start is not None and wire is not None:
        per_start = median([1 / r.throughput for r in start.target])
        per_bare = median([1 / r.throughput for r in start.bare])
        bound = per_bare + wire.ours
        out.append(
            Target(
                "start",
                "login start time per request (1/throughput) vs bare + KE2 crypto",
                f"≤ 1.25 x ({duration(per_bare)} + {duration(wire.ours)})"
                f" = {duration(1.25 * bound)}",
                f"{duration(per_start)} = {per_start / bound:.2f} x (bare + crypto)",
                per_start <= 1.25 * bound,
            )
        )
        cpu_start = start.med("target", lambda r: r.server_cpu_per_job)
        cpu_bare = start.med("bare", lambda r: r.server_cpu_per_job)
        cpu_bound = cpu_bare + wire.ours
        out.append(
            Target(
                "start-cpu",
                "login start server CPU per request vs bare + KE2 crypto (same bound, on CPU)",
                f"≤ {duration(1.25 * cpu_bound)}",
                f"{duration(cpu_start)} = {cpu_start / cpu_bound:.2f} x (bare + crypto)",
                cpu_start <= 1.25 * cpu_bound,
            )
        )
    if data.stores is not None:
        for flow, ratio in stores.baseline_verdicts(data.stores):
            out.append(
                Target(
                    "lmdb-baseline",
                    f"{flow} throughput on LMDB vs the baseline checkout",
                    "≥ 0.95",
                    f"{ratio:.3f}",
                    ratio >= 0.95,
                )
            )
    if data.health is not None and data.health.idle_invite:
        h = data.health
        ratio = median(
            [
                b.percentile(99) / i.percentile(99)
                for b, i in zip(h.busy_invite, h.idle_invite, strict=True)
            ]
        )
        out.append(
            Target(
                "health",
                "p99 of GET /api/invite/{id} under Argon2 load vs idle",
                "≤ 2x",
                f"{ratio:.2f}x",
                ratio <= 2,
            )
        )
    return out


def _verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "**missed**")


def render(data: Report) -> str:
    cfg = data.config
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench{' --quick' if data.quick else ''}` "
        f"(`tox -e bench`) in {data.seconds:.0f} s. Not part of CI's pass/fail. "
        "Every comparison is a ratio of two things measured in the same run, in alternating "
        "rounds, reported as the median over rounds.",
        "",
        "## Machine and versions",
        "",
    ]
    lines += _table(["", ""], [[k, v] for k, v in machine()])
    lines += ["", "## Targets", ""]
    lines += _table(
        ["target", "bound", "measured", "verdict"],
        [[t.what, t.bound, t.measured, _verdict(t.met)] for t in targets(data)],
    )
    if data.protocol:
        lines += ["", "## Protocol: our OPAQUE core against opaque-ke", ""]
        lines += [data.suite_note + ".", ""]
        lines += _table(
            ["side", "operation", "ours", "opaque-ke", "ours / opaque-ke"],
            [
                [
                    o.side,
                    o.name,
                    duration(o.ours),
                    duration(o.theirs),
                    "-" if o.ratio is None else f"{o.ratio:.2f}x",
                ]
                for o in data.protocol
            ],
        )
        lines += ["", "Where one call of ours goes (cProfile, share of the call's time):", ""]
        for op, rows in data.breakdown.items():
            parts = ", ".join(
                f"{group} {share:.0%}" + (f" ({calls} calls)" if calls else "")
                for group, share, calls in rows
            )
            lines.append(f"- `{op}`: {parts}")
    if data.pairs:
        lines += ["", "## HTTP: the example app under hypercorn (1 worker)", ""]
        lines += _table(
            [
                "flow",
                "flows/s",
                "bare flows/s",
                "ratio",
                "p50 / p99 ms",
                "bare p50 / p99 ms",
                "server CPU ms/flow",
                "bare CPU ms/flow",
                "client CPU ms/flow",
                "errors",
            ],
            [_pair_row(p) for p in data.pairs],
        )
        lines += [
            "",
            "Bare twins (same server, no work, same body sizes): "
            + "; ".join(f"{p.name}: {p.bare_shape}" for p in data.pairs)
            + ".",
        ]
    if data.health is not None and data.health.idle_invite:
        lines += ["", "## Event-loop health", ""]
        lines += _health(data.health)
    if data.scaling is not None and data.scaling.one:
        lines += ["", "## Scaling: 2 workers against 1, same data directory", ""]
        lines += _scaling(data.scaling)
    if data.stores is not None and data.stores.targets:
        lines += ["", "## Stores: LMDB and PostgreSQL, one app server and two", ""]
        lines += stores.render(data.stores)
        lines += ["", *notes.stores(data.stores)]
    lines += ["", "## Method", ""]
    lines += notes.method(cfg, data.quick)
    missed = [t for t in targets(data) if t.met is False or t.key == "client-finish"]
    lines += ["", "## Closing note", ""]
    lines += notes.closing(missed, data)
    return "\n".join(lines) + "\n"


def _pair_row(p: Pair) -> list[str]:
    def m(side: str, f: Callable[[RunResult], float]) -> float:
        return p.med(side, f)

    errors, first = p.errors()
    return [
        p.name,
        f"{m('target', lambda r: r.throughput):.0f}",
        f"{m('bare', lambda r: r.throughput):.0f}",
        f"{median(p.ratios):.3f}",
        f"{ms(m('target', lambda r: r.percentile(50)))} / "
        f"{ms(m('target', lambda r: r.percentile(99)))}",
        f"{ms(m('bare', lambda r: r.percentile(50)))} / "
        f"{ms(m('bare', lambda r: r.percentile(99)))}",
        f"{m('target', lambda r: r.server_cpu_per_job) * 1e3:.2f}",
        f"{m('bare', lambda r: r.server_cpu_per_job) * 1e3:.2f}",
        f"{m('target', lambda r: r.client_cpu_per_job) * 1e3:.2f}",
        str(errors) + (f" ({first[:80]})" if errors else ""),
    ]


def _health(h: Health) -> list[str]:
    def row(name: str, idle: list[RunResult], busy: list[RunResult]) -> list[str]:
        p99_idle = median([r.percentile(99) for r in idle])
        p99_busy = median([r.percentile(99) for r in busy])
        ratio = median(
            [b.percentile(99) / i.percentile(99) for b, i in zip(busy, idle, strict=True)]
        )
        return [
            name,
            ms(median([r.percentile(50) for r in idle])),
            ms(p99_idle),
            ms(median([r.percentile(50) for r in busy])),
            ms(p99_busy),
            f"{ratio:.2f}x",
            ms(max((max(r.latencies, default=0.0) for r in busy), default=float("nan"))),
        ]

    rate = h.background_seconds or float("nan")
    lines = _table(
        [
            "probe",
            "idle p50 ms",
            "idle p99 ms",
            "busy p50 ms",
            "busy p99 ms",
            "p99 busy/idle",
            "busy max ms",
        ],
        [
            row("GET /api/invite/{id}", h.idle_invite, h.busy_invite),
            row("bare GET, same size", h.idle_bare, h.busy_bare),
        ],
    )
    samples = sum(len(r.latencies) for r in h.idle_invite + h.busy_invite)
    lines += [
        "",
        f"Background while busy: 2 loops of OPAQUE registrations (server: 10 recovery-code "
        f"Argon2id hashes t=2 m=19MiB p=1 each) and 2 loops of invitation accepts "
        f"(Argon2id t=3 m=64MiB p=4): {h.registrations} registrations "
        f"({h.registrations / rate:.1f}/s) and {h.accepts} accepts ({h.accepts / rate:.1f}/s) "
        f"during the busy rounds, {h.background_errors} errors. {samples} probe samples in all.",
    ]
    return lines


def _scaling(s: Scaling) -> list[str]:
    rows = []
    for name, ones in s.one.items():
        twos = s.two[name]
        ratio = median([t.throughput / o.throughput for t, o in zip(twos, ones, strict=True)])
        rows.append(
            [
                name,
                f"{median([r.throughput for r in ones]):.0f}",
                f"{median([r.throughput for r in twos]):.0f}",
                f"{ratio:.2f}x",
                f"{ms(median([r.percentile(99) for r in ones]))} / "
                f"{ms(median([r.percentile(99) for r in twos]))}",
                str(sum(r.errors for r in ones + twos)),
            ]
        )
    return _table(
        ["request", "1 worker req/s", "2 workers req/s", "2w / 1w", "p99 ms 1w / 2w", "errors"],
        rows,
    )
