"""Median time per OPAQUE operation (invite_auth.opaque), client and server side.

Run: python bench/opaque_ops.py [--rounds N]

Each operation is timed alone, on inputs prepared beforehand, over N calls;
the median is printed. The client steps use the identity KSF so the protocol
cost is visible; the Argon2id KSF (default parameters) is timed separately and
dominates a real client login/registration."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata

import pysodium

from invite_auth.opaque import (
    Argon2idKSF,
    IdentityKSF,
    ServerSetup,
    create_registration_request,
    create_registration_response,
    fake_registration_record,
    finalize_registration_request,
    generate_ke1,
    generate_ke2,
    generate_ke3,
    server_finish,
)


def median_seconds(operation: Callable[[], object], rounds: int) -> float:
    operation()  # warm-up: imports, caches
    samples = []
    for _ in range(rounds):
        started = time.perf_counter_ns()
        operation()
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1e9


def format_duration(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:9.2f} ms"
    return f"{seconds * 1e6:9.1f} us"


def machine_info() -> list[tuple[str, str]]:
    libsodium = pysodium.sodium.sodium_version_string().decode()
    return [
        ("platform", platform.platform()),
        ("machine", f"{platform.machine()} {platform.processor()}".strip()),
        ("cpu count", str(os.cpu_count())),
        ("python", f"{platform.python_implementation()} {sys.version.split()[0]}"),
        ("libsodium", libsodium),
        ("pysodium", metadata.version("pysodium")),
        ("argon2-cffi", metadata.version("argon2-cffi")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="calls per operation")
    parser.add_argument("--argon2-rounds", type=int, default=7, help="calls for the Argon2id KSF")
    args = parser.parse_args()

    ksf = IdentityKSF()
    password = b"correct horse battery staple"
    credential_identifier = b"alice@example.org"
    setup = ServerSetup.generate()

    # One complete flow provides the inputs for every timed step. None of the
    # functions mutates its inputs, so each can be called again on the same ones.
    request, reg_state = create_registration_request(password)
    response = create_registration_response(setup, request, credential_identifier)
    record, _ = finalize_registration_request(reg_state, response, ksf=ksf)
    ke1, client_state = generate_ke1(password)
    ke2, server_state = generate_ke2(setup, record, credential_identifier, ke1)
    ke3, _, _ = generate_ke3(client_state, ke2, ksf=ksf)
    argon2 = Argon2idKSF()

    operations: list[tuple[str, str, Callable[[], object], int]] = [
        (
            "server",
            "create_registration_response",
            lambda: create_registration_response(setup, request, credential_identifier),
            args.rounds,
        ),
        (
            "server",
            "generate_ke2",
            lambda: generate_ke2(setup, record, credential_identifier, ke1),
            args.rounds,
        ),
        (
            "server",
            "generate_ke2 (unknown user: fake_registration_record + generate_ke2)",
            lambda: generate_ke2(setup, fake_registration_record(setup, b"nobody"), b"nobody", ke1),
            args.rounds,
        ),
        ("server", "server_finish", lambda: server_finish(server_state, ke3), args.rounds),
        (
            "client",
            "create_registration_request",
            lambda: create_registration_request(password),
            args.rounds,
        ),
        (
            "client",
            "finalize_registration_request (identity KSF)",
            lambda: finalize_registration_request(reg_state, response, ksf=ksf),
            args.rounds,
        ),
        ("client", "generate_ke1", lambda: generate_ke1(password), args.rounds),
        (
            "client",
            "generate_ke3 (identity KSF)",
            lambda: generate_ke3(client_state, ke2, ksf=ksf),
            args.rounds,
        ),
        (
            "client",
            "Argon2id KSF alone (t=3, m=65536 KiB, p=4)",
            lambda: argon2.stretch(bytes(64)),
            args.argon2_rounds,
        ),
    ]

    print("OPAQUE-3DH ristretto255-SHA512 (invite_auth.opaque): median time per call")
    for key, value in machine_info():
        print(f"  {key:<12} {value}")
    print()
    print(f"  {'side':<7}{'operation':<70}{'median':>12}{'calls':>8}")
    for side, name, operation, rounds in operations:
        seconds = median_seconds(operation, rounds)
        print(f"  {side:<7}{name:<70}{format_duration(seconds):>12}{rounds:>8}")


if __name__ == "__main__":
    main()
