"""The prose of BENCHMARKS.md: the method, and for each missed target where the time goes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report, Target
    from .web import Config


def method(cfg: Config, quick: bool) -> list[str]:
    return [
        "- **Protocol.** Both implementations run in this process, on inputs prepared "
        "beforehand; single-use states (opaque-ke's are consumed by use) are made fresh "
        "outside the timed part. A round times a batch of calls of ours and of opaque-ke's, "
        "in alternating order; the table gives the median over "
        f"{5 if quick else 15} rounds of the time per call and of the per-round ratio. "
        "Server operations take parsed messages and return message objects, except the rows "
        "marked bytes in/out.",
        "- **KSF.** opaque-snake 0.1.1 exposes opaque-ke's default suite only: ristretto255, "
        "SHA-512, 3DH, and Argon2id with the `argon2` crate's defaults (t=2, m=19456 KiB, "
        "p=1), the same construction as ours (zero salt, 64-byte output, applied to the OPRF "
        "output); the run checks this by interoperating. It offers no identity KSF, so its "
        "client finish steps always include its Argon2id. The client steps that involve no "
        "KSF (blind, KE1) are compared directly. For the finish steps the table compares "
        "both sides with the same Argon2id parameters (ours through argon2-cffi), and gives "
        "ours alone with `IdentityKSF`. Subtracting a separately measured Argon2id from "
        "opaque-ke's figure does not work: the two Argon2 implementations differ by several "
        "milliseconds, more than the whole non-KSF part (a fraction of a millisecond).",
        "- **HTTP.** `bench/app.py` is `examples.app:app` plus `GET|POST /bench/bare/<n>`, "
        "which does no work and answers a JSON body of n bytes (a POST reads its body "
        "first). It runs under `hypercorn --workers 1` on 127.0.0.1, with a fresh LMDB "
        "directory and the default settings (durable LMDB commits, Argon2id t=3 m=64MiB "
        "p=4 for seed-003 passwords: that cost is real and reported as such). Each flow is "
        "paired with a bare twin of the same request and response body sizes (a full login "
        "is two bare requests); rounds alternate twin and flow "
        f"({cfg.rounds} rounds each; duration rounds of {cfg.get_seconds} s for "
        f"GET, {cfg.start_count} login starts, {cfg.login_count} full logins and "
        f"{cfg.accept_count} accepts per round; bare rounds {cfg.bare_seconds} s). "
        "Figures are medians over rounds; the ratio is the median of the per-round ratios.",
        f"- **Load generator.** A closed loop of {cfg.concurrency} keep-alive connections "
        f"({cfg.accept_concurrency} for accepts), each with one request in flight, written "
        "on raw asyncio streams (`bench/loadgen.py`): httpx costs more CPU per request than "
        "the server's bare route. Client and server share the same 2 cores; the client's CPU "
        "per flow is in the table (for a full login it includes computing KE3 with a cheap "
        "client KSF, Argon2id t=1 m=1MiB p=1: the KSF is the client's choice and never "
        "runs on the server; KE1s are made before the round). Server CPU per flow is "
        "read from /proc for all of the server's processes. Connections use fresh "
        "loopback source addresses (127.1.x.y), and login starts rotate over many accounts, "
        "so the per-address and per-account failure counters (an unfinished login start "
        "counts as a failure) never trip: the limiter still runs on every request. TOTP "
        "codes are never reused, as the server requires.",
        "- **Event-loop health.** Two probes, one request at a time 10 ms apart, one on "
        "`GET /api/invite/{id}` and one on a bare GET of the same size; idle rounds and busy "
        "rounds alternate, busy meaning 2 loops of OPAQUE registrations and 2 loops of "
        f"invitation accepts running against the same server ({cfg.health_rounds} rounds "
        f"of {cfg.health_seconds} s each). p99 per round, median over rounds.",
        "- **Scaling.** A second hypercorn with `--workers 2` on the same data directory runs "
        "beside the first; rounds alternate between them for `GET /api/invite/{id}` and the "
        f"bare GET ({cfg.scaling_rounds} rounds of {cfg.scaling_seconds} s).",
        "- **Profiles** behind the closing note: cProfile splits in the protocol section "
        "(made in every run), and `py-spy record` of the server under each load, taken by "
        "hand (see the note).",
    ]


def closing(missed: list[Target], data: Report) -> list[str]:
    if not missed:
        return ["Every target is met in this run."]
    out: list[str] = []
    for target in missed:
        text = NOTES.get(target.key)
        if text:
            out += [f"- **{target.what}** ({target.measured}). {text}", ""]
    return out


NOTES: dict[str, str] = {}
