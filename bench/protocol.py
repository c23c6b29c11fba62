"""Our OPAQUE core (invite_auth.opaque) against opaque-ke (through opaque-snake), in-process.

Both run OPAQUE-3DH with ristretto255 and SHA-512. opaque-snake fixes opaque-ke's default
cipher suite, whose KSF is Argon2id with the `argon2` crate's defaults (t=2, m=19456 KiB,
p=1, zero salt, 64-byte output); `check_same_suite` proves in every run that a record made
by our client with those parameters lets opaque-ke's client log in to opaque-ke's server.

Each operation is timed on inputs prepared beforehand (single-use states are made fresh,
outside the timed part). A round times a batch of calls of ours and of theirs, in
alternating order; the figures are medians over rounds of the per-call time and of the
per-round ratio ours/theirs."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import opaque_snake as ok
import pysodium

from invite_auth.opaque import (
    KE1,
    KE2,
    KE3,
    Argon2idKSF,
    IdentityKSF,
    RegistrationRecord,
    RegistrationResponse,
    ServerLoginState,
    ServerSetup,
    create_registration_request,
    create_registration_response,
    finalize_registration_request,
    generate_ke1,
    generate_ke2,
    generate_ke3,
    server_finish,
)

PASSWORD = "correct horse battery staple"
PW = PASSWORD.encode()
USER = "L-benchmark-user"
CID = USER.encode()
# opaque-ke's default KSF (argon2 crate `Argon2::default()`), run by argon2-cffi.
OPAQUE_KE_KSF = Argon2idKSF(time_cost=2, memory_cost=19456, parallelism=1)
IDENTITY = IdentityKSF()

# prepare(n) does the untimed set-up and returns a runner that makes n calls.
Prepare = Callable[[int], Callable[[], object]]
VAR_MULT = "ristretto255 scalar mult, variable base (pysodium)"
BASE_MULT = "ristretto255 scalar mult, base point (pysodium)"
FROM_HASH = "ristretto255 from_hash, hash-to-group (pysodium)"


@dataclass(frozen=True)
class OpResult:
    side: str
    name: str
    ours: float  # seconds per call, median over rounds
    theirs: float | None
    ratio: float | None  # median over rounds of ours/theirs
    target: float | None  # the bound on the ratio, where there is one
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target


def repeat(n: int, call: Callable[[], object]) -> Callable[[], object]:
    def run() -> None:
        for _ in range(n):
            call()

    return run


def each(fn: Callable[..., object], args_list: list[tuple[Any, ...]]) -> Callable[[], object]:
    """Call fn(*args) for each prepared args."""

    def run() -> None:
        for args in args_list:
            fn(*args)

    return run


def per_call(prepare: Prepare, n: int) -> float:
    runner = prepare(n)
    gc.collect()
    started = time.perf_counter_ns()
    runner()
    return (time.perf_counter_ns() - started) / 1e9 / n


class Fixtures:
    """One registration and login of each implementation, to answer from."""

    def __init__(self) -> None:
        self.setup = ServerSetup.generate()
        request, reg_state = create_registration_request(PW)
        self.reg_request = request
        self.reg_state = reg_state
        self.reg_response = create_registration_response(self.setup, request, CID)
        self.record, _ = finalize_registration_request(reg_state, self.reg_response, ksf=IDENTITY)
        self.record_bytes = self.record.to_bytes()
        self.ke1, _ = generate_ke1(PW)
        self.ke1_bytes = self.ke1.to_bytes()
        self.k = pysodium.crypto_core_ristretto255_scalar_random()
        self.point = pysodium.crypto_scalarmult_ristretto255_base(self.k)
        self.h64 = bytes(range(64))

        self.server = ok.OpaqueServer()
        self.client = ok.OpaqueClient()
        request_k, state_k = self.client.start_registration(PASSWORD)
        self.k_reg_request = request_k
        self.k_reg_response = self.server.create_registration_response(request_k, USER)
        result = self.client.finish_registration(self.k_reg_response, state_k, PASSWORD)
        self.k_upload = result.upload
        self.k_upload_bytes = result.upload.to_bytes()
        self.k_file = self.server.finish_registration(result.upload)
        self.k_file_bytes = self.k_file.to_bytes()
        self.k_ke1, _ = self.client.start_login(PASSWORD)
        self.k_ke1_bytes = self.k_ke1.to_bytes()


def check_same_suite(f: Fixtures) -> str:
    """Our client registers at opaque-ke's server with opaque-ke's KSF; opaque-ke logs in."""
    request, state = create_registration_request(PW)
    response = f.server.create_registration_response(
        ok.RegistrationRequest.from_bytes(request.to_bytes()), "interop"
    )
    record, export_key = finalize_registration_request(
        state, RegistrationResponse.from_bytes(response.to_bytes()), ksf=OPAQUE_KE_KSF
    )
    password_file = f.server.finish_registration(
        ok.RegistrationUpload.from_bytes(record.to_bytes())
    )
    ke1, client_state = f.client.start_login(PASSWORD)
    ke2, server_state = f.server.create_credential_response(ke1, "interop", password_file)
    result = f.client.finish_login(ke2, client_state, PASSWORD)
    f.server.finish_login(result.finalization, server_state)
    same_export_key = result.session_keys.export_key == export_key
    if not same_export_key:
        raise AssertionError("opaque-ke recovered a different export_key")
    return (
        "verified in this run: a record made by our client (Argon2id t=2, m=19456 KiB, p=1) "
        "lets opaque-ke's client log in to opaque-ke's server, with the same export_key"
    )


def operations(f: Fixtures) -> list[tuple[str, str, Prepare, Prepare | None, int, float | None]]:
    """(side, name, ours, theirs, calls per batch, target)."""
    s, c = f.server, f.client

    def ours_ke2_wire() -> bytes:
        ke1 = KE1.from_bytes(f.ke1_bytes)
        record = RegistrationRecord.from_bytes(f.record_bytes)
        return generate_ke2(f.setup, record, CID, ke1).ke2.to_bytes()

    def theirs_ke2_wire() -> bytes:
        ke1 = ok.CredentialRequest.from_bytes(f.k_ke1_bytes)
        password_file = ok.PasswordFile.from_bytes(f.k_file_bytes)
        return s.create_credential_response(ke1, USER, password_file)[0].to_bytes()

    def ours_server_finish(n: int) -> Callable[[], object]:
        pairs: list[tuple[ServerLoginState, KE3]] = []
        for _ in range(n):
            ke1, client_state = generate_ke1(PW)
            ke2, server_state = generate_ke2(f.setup, f.record, CID, ke1)
            pairs.append((server_state, generate_ke3(client_state, ke2, ksf=IDENTITY).ke3))
        return each(server_finish, pairs)

    def theirs_server_finish(n: int) -> Callable[[], object]:
        pairs = []
        for _ in range(n):
            ke1, client_state = c.start_login(PASSWORD)
            ke2, server_state = s.create_credential_response(ke1, USER, f.k_file)
            pairs.append((c.finish_login(ke2, client_state, PASSWORD).finalization, server_state))
        return each(s.finish_login, pairs)

    def ours_finalize(ksf: IdentityKSF | Argon2idKSF) -> Prepare:
        def prepare(n: int) -> Callable[[], object]:
            pairs = []
            for _ in range(n):
                request, state = create_registration_request(PW)
                pairs.append((state, create_registration_response(f.setup, request, CID)))
            return each(partial(finalize_registration_request, ksf=ksf), pairs)

        return prepare

    def theirs_finalize(n: int) -> Callable[[], object]:
        pairs = []
        for _ in range(n):
            request, state = c.start_registration(PASSWORD)
            pairs.append((s.create_registration_response(request, USER), state))
        return each(c.finish_registration, [(*p, PASSWORD) for p in pairs])

    def ours_ke3(ksf: IdentityKSF | Argon2idKSF) -> Prepare:
        record = f.record
        if isinstance(ksf, Argon2idKSF):
            request, state = create_registration_request(PW)
            response = create_registration_response(f.setup, request, CID)
            record, _ = finalize_registration_request(state, response, ksf=ksf)

        def prepare(n: int) -> Callable[[], object]:
            pairs: list[tuple[object, KE2]] = []
            for _ in range(n):
                ke1, client_state = generate_ke1(PW)
                pairs.append((client_state, generate_ke2(f.setup, record, CID, ke1).ke2))
            return each(partial(generate_ke3, ksf=ksf), pairs)

        return prepare

    def theirs_ke3(n: int) -> Callable[[], object]:
        pairs = []
        for _ in range(n):
            ke1, client_state = c.start_login(PASSWORD)
            pairs.append((s.create_credential_response(ke1, USER, f.k_file)[0], client_state))
        return each(c.finish_login, [(*p, PASSWORD) for p in pairs])

    def ksf_alone(n: int) -> Callable[[], object]:
        return repeat(n, lambda: OPAQUE_KE_KSF.stretch(bytes(64)))

    fast = 60
    return [
        (
            "server",
            "create_registration_response",
            lambda n: repeat(n, lambda: create_registration_response(f.setup, f.reg_request, CID)),
            lambda n: repeat(n, lambda: s.create_registration_response(f.k_reg_request, USER)),
            fast,
            None,
        ),
        (
            "server",
            "registration record -> stored password file (bytes in/out)",
            lambda n: repeat(n, lambda: RegistrationRecord.from_bytes(f.record_bytes).to_bytes()),
            lambda n: repeat(
                n,
                lambda: s.finish_registration(
                    ok.RegistrationUpload.from_bytes(f.k_upload_bytes)
                ).to_bytes(),
            ),
            fast,
            None,
        ),
        (
            "server",
            "generate_ke2 (KE2)",
            lambda n: repeat(n, lambda: generate_ke2(f.setup, f.record, CID, f.ke1)),
            lambda n: repeat(n, lambda: s.create_credential_response(f.k_ke1, USER, f.k_file)),
            fast,
            1.3,
        ),
        (
            "server",
            "generate_ke2, bytes in/out (parse KE1 + record, serialize KE2)",
            lambda n: repeat(n, ours_ke2_wire),
            lambda n: repeat(n, theirs_ke2_wire),
            fast,
            None,
        ),
        ("server", "server_finish (KE3 check)", ours_server_finish, theirs_server_finish, 10, None),
        (
            "client",
            "create_registration_request (blind)",
            lambda n: repeat(n, lambda: create_registration_request(PW)),
            lambda n: repeat(n, lambda: c.start_registration(PASSWORD)),
            fast,
            1.5,
        ),
        (
            "client",
            "generate_ke1",
            lambda n: repeat(n, lambda: generate_ke1(PW)),
            lambda n: repeat(n, lambda: c.start_login(PASSWORD)),
            fast,
            1.5,
        ),
        (
            "client",
            "finalize_registration_request, both with Argon2id t=2 m=19MiB p=1",
            ours_finalize(OPAQUE_KE_KSF),
            theirs_finalize,
            2,
            None,
        ),
        (
            "client",
            "generate_ke3, both with Argon2id t=2 m=19MiB p=1",
            ours_ke3(OPAQUE_KE_KSF),
            theirs_ke3,
            2,
            None,
        ),
        ("client", "Argon2id t=2 m=19MiB p=1 alone (argon2-cffi)", ksf_alone, None, 2, None),
        (
            "client",
            "finalize_registration_request without KSF (ours: IdentityKSF)",
            ours_finalize(IDENTITY),
            None,
            fast,
            None,
        ),
        (
            "client",
            "generate_ke3 without KSF (ours: IdentityKSF)",
            ours_ke3(IDENTITY),
            None,
            fast,
            None,
        ),
        # The group backend alone, so the closing note can say what the calls above owe to
        # it on this machine (its speed differs between CPUs more than Rust's does).
        (
            "libsodium",
            VAR_MULT,
            lambda n: repeat(n, lambda: pysodium.crypto_scalarmult_ristretto255(f.k, f.point)),
            None,
            fast,
            None,
        ),
        (
            "libsodium",
            BASE_MULT,
            lambda n: repeat(n, lambda: pysodium.crypto_scalarmult_ristretto255_base(f.k)),
            None,
            fast,
            None,
        ),
        (
            "libsodium",
            FROM_HASH,
            lambda n: repeat(n, lambda: pysodium.crypto_core_ristretto255_from_hash(f.h64)),
            None,
            fast,
            None,
        ),
    ]


def run(rounds: int, log: Callable[[str], None] = print) -> tuple[list[OpResult], str]:
    f = Fixtures()
    suite_note = check_same_suite(f)
    ops = operations(f)
    ours_t: dict[str, list[float]] = {}
    theirs_t: dict[str, list[float]] = {}
    ratios: dict[str, list[float]] = {}
    for _side, name, ours, theirs, _n, _target in ops:  # warm-up: imports, caches
        per_call(ours, 1)
        if theirs is not None:
            per_call(theirs, 1)
        ours_t[name], theirs_t[name], ratios[name] = [], [], []
    for r in range(rounds):
        log(f"  protocol round {r + 1}/{rounds}")
        for _side, name, ours, theirs, n, _target in ops:
            if theirs is None:
                ours_t[name].append(per_call(ours, n))
                continue
            if r % 2 == 0:
                a = per_call(ours, n)
                b = per_call(theirs, n)
            else:
                b = per_call(theirs, n)
                a = per_call(ours, n)
            ours_t[name].append(a)
            theirs_t[name].append(b)
            ratios[name].append(a / b)

    results: list[OpResult] = []
    for side, name, _ours, theirs, _n, target in ops:
        results.append(
            OpResult(
                side,
                name,
                statistics.median(ours_t[name]),
                statistics.median(theirs_t[name]) if theirs is not None else None,
                statistics.median(ratios[name]) if theirs is not None else None,
                target,
            )
        )
    return results, suite_note


# Where the time of one call goes, by primitive (cProfile; its overhead inflates the
# Python share, so read the split, not the absolute figures).
_GROUPS = {
    "crypto_scalarmult_ristretto255": "libsodium scalar mult, variable base",
    "crypto_scalarmult_ristretto255_base": "libsodium scalar mult, base point",
    "crypto_core_ristretto255_from_hash": "libsodium hash-to-group",
    "crypto_core_ristretto255_is_valid_point": "libsodium point validation",
}


def breakdown(call: Callable[[], object], n: int = 300) -> list[tuple[str, float, int]]:
    """[(group, share of the call's time, calls per operation)], largest first."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        call()
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = 0.0
    groups: dict[str, tuple[float, int]] = {}
    for (filename, _line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.items():
        total += tottime
        group = None
        seconds = tottime
        if "pysodium" in filename and func != "wrapper":
            group = _GROUPS.get(func, "libsodium, other (scalar ops, random)")
            seconds = cumtime
        elif func.startswith("<built-in method _hashlib") or "hmac" in filename:
            group = "HMAC / SHA-512 (hashlib)"
            seconds = tottime
        if group is not None:
            spent, calls = groups.get(group, (0.0, 0))
            groups[group] = (spent + seconds, calls + ncalls)
    named = sum(s for s, _ in groups.values())
    rows = [(g, s / total, c // n) for g, (s, c) in groups.items()]
    rows.append(
        ("Python: parsing, checks, HKDF plumbing, ctypes marshalling", 1 - named / total, 0)
    )
    return sorted(rows, key=lambda r: -r[1])


def profiles() -> dict[str, list[tuple[str, float, int]]]:
    f = Fixtures()
    return {
        "generate_ke2": breakdown(lambda: generate_ke2(f.setup, f.record, CID, f.ke1)),
        "create_registration_request": breakdown(lambda: create_registration_request(PW)),
        "generate_ke1": breakdown(lambda: generate_ke1(PW)),
    }
