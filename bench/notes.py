"""The prose of BENCHMARKS.md: the method, and for each missed target where the time goes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report, Target
    from .stores import Stores
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
    seen: set[str] = set()
    measured = backend_notes(data)
    for target in missed:
        text = measured.get(target.key) or NOTES.get(target.key)
        if text and target.key not in seen:
            seen.add(target.key)
            out += [f"- **{target.what}** ({target.measured}). {text}", ""]
    out.append(SCALING)
    return out


def backend_notes(data: Report) -> dict[str, str]:
    """The notes that quote this run's figures for libsodium's group operations."""
    from .protocol import BASE_MULT, FROM_HASH, VAR_MULT

    us = {o.name: o.ours * 1e6 for o in data.protocol}
    theirs = {o.name: o.theirs * 1e6 for o in data.protocol if o.theirs is not None}
    needed = (VAR_MULT, BASE_MULT, FROM_HASH, "generate_ke2 (KE2)", "generate_ke1")
    if not all(name in us for name in needed):
        return {}
    var, base, from_hash = us[VAR_MULT], us[BASE_MULT], us[FROM_HASH]
    ke2, their_ke2 = us["generate_ke2 (KE2)"], theirs.get("generate_ke2 (KE2)", float("nan"))
    blind = theirs.get("create_registration_request (blind)", float("nan"))
    return {
        "ke2": (
            "Where the time goes: KE2 makes four variable-base scalar multiplications (OPRF "
            "evaluation and the three 3DH products), and libsodium 1.0.18 takes "
            f"{var:.0f} us for one on this machine (the libsodium rows above): {4 * var:.0f} "
            f"us of our {ke2:.0f} us, against {their_ke2:.0f} us for opaque-ke's whole KE2. "
            f"One base-point multiplication ({base:.0f} us) for the ephemeral key, two point "
            "validations in the message constructors, ~10 HMAC-SHA512 and Python glue (HKDF "
            "labels, dataclasses) are the rest (cProfile split above). Already applied after "
            "the first profile: `server.derive_oprf_key` derives the scalar alone (the OPRF "
            "public key was an unused base-point multiplication) and "
            "`key_exchange.diffie_hellman` no longer re-decodes points the messages validated "
            "when they were built. libsodium's portable arithmetic is also what varies most "
            "between CPUs, so this ratio does too; calling libsodium without pysodium's "
            "wrapper saves under 10 us per call, so only a faster group backend closes the "
            "rest."
        ),
        "client": (
            f"Blinding is one hash-to-group ({from_hash:.0f} us in libsodium's from_hash) and "
            f"one variable-base scalar multiplication ({var:.0f} us), plus the point "
            "validation in the message constructor; KE1 adds a base-point multiplication "
            f"({base:.0f} us) for the ephemeral key. opaque-ke does the whole blind in "
            f"{blind:.0f} us. Already applied: the hash-to-group output is only checked "
            "against the identity (libsodium's map always yields a canonical point), not "
            "fully re-decoded. The rest is the speed of libsodium's group arithmetic against "
            "curve25519-dalek's, which only a faster backend closes. For a user it is "
            "invisible: the client's Argon2id (~100 ms by default) is three orders of "
            "magnitude larger."
        ),
    }


SCALING = (
    "Scaling has no target. One worker already keeps about one core busy (server CPU "
    "per GET times its rate, in the tables), the load generator and the loopback TCP "
    "stack take most of the other, and client and server share those 2 cores: a second "
    "worker has little idle CPU to use. Both servers share one LMDB environment "
    "without errors."
)

NOTES: dict[str, str] = {
    "client-finish": (
        "opaque-snake offers no identity KSF, so opaque-ke's client finish steps cannot be "
        "timed without its Argon2id, and subtracting an Argon2id timed elsewhere does not "
        "work (see the method). With the same Argon2id parameters on both sides the totals "
        "are in the table: their difference is almost entirely argon2-cffi (libargon2) "
        "against the Rust `argon2` crate. Ours without any KSF is in the table too: it is "
        "well under 1% of a login with the default KSF."
    ),
    "get": (
        "py-spy of the server under this load: the handler (two LMDB reads, record "
        "decoding, the response model) is about an eighth of the event loop's time; the "
        "rest is hypercorn, h11 and Quart's per-request machinery, which the bare route "
        "pays too. Building the response dict directly instead of through the pydantic "
        "model, and decoding only the issuer's name, would close the remainder."
    ),
    "start": (
        "Per login start the server does, besides the bare route's work: KE2 (the bytes "
        "in/out row of the protocol table), the fake record that keeps unknown names "
        "indistinguishable (made for known names too, so that the time does not tell), the "
        "principal lookup (decrypting the sealed record), the failure-counter check and "
        "update, sealing the pending state, and one durable LMDB commit (fdatasync). "
        "Already applied after the first profile: the commit runs in a worker thread, so "
        "the loop serves other requests while the disk syncs, and failure counters are "
        "packed float64s instead of JSON lists (a busy address's counter cost ~40 us per "
        "read as JSON); throughput rose ~20%. The thread hand-off, the request and response "
        "models and the sealed-record decoding are the rest. What would close it: keep the "
        "short-lived state (pending logins, failure counters) in a second LMDB environment "
        "opened with `sync=False`, synced by the sweep timer (a crash would then lose only "
        "logins in flight and the last moments' counts), and cache the decoded principal "
        "record per worker for the seconds between a login's start and finish."
    ),
    "start-cpu": "",
    "health": (
        "Already applied after the first profile (where the ratio was ~9x): Argon2id runs "
        "on a pool of cores - 1 threads (`services/slow.py`), ten steps nicer than the "
        "event loop, so a burst of accepts and registrations queues instead of taking "
        "every core. The bare route on the same server is still slowed about as much as "
        "the invitation lookup (table above), so what remains is not our handlers: the "
        "probe's requests wait for a core that the load generator's own client work and "
        "the kernel's loopback TCP share with the server on this 2-core machine. A "
        "machine where the clients do not share the server's cores would show less; a "
        "niceness of 19 measured ~2.4x here, at the cost of starving Argon2 whenever "
        "anything else on the host is busy."
    ),
}


def stores(data: Stores) -> list[str]:
    base = (
        f" The baseline checkout ({data.baseline}) serves the same flows on LMDB with its own "
        "code, on the same machine, in the same rounds."
        if data.baseline
        else ""
    )
    return [
        "Each store serves the same three flows with its own world, set up through its own "
        "API; in each round every target runs each flow once, in a rotating order, and the "
        "table gives medians over rounds (vs LMDB: the median of the per-round throughput "
        "ratios). The two PostgreSQL app servers have their own data folders and share one "
        "database; the load generator spreads its connections over both. PostgreSQL runs "
        "with its durable defaults on the same two cores; its CPU is the postmaster and its "
        "backends, apart from the app servers'. Retries are write steps that lost a "
        "deadlock and ran again (counted by the app servers); a 503 would be a step that "
        "ran out of retries or connections." + base
    ]
