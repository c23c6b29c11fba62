"""Shared test helpers: vector loading, a replaying random source, full flows."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from invite_auth.opaque import (
    KE1,
    KE2,
    KSF,
    ClientLoginState,
    IdentityKSF,
    RegistrationRecord,
    ServerLoginState,
    ServerSetup,
    create_registration_request,
    create_registration_response,
    finalize_registration_request,
    generate_ke1,
    generate_ke2,
)

VECTORS_DIR = Path(__file__).resolve().parent.parent / "vectors"


def load_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS_DIR / name).read_text())
    return data


def opaque_vectors() -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = load_json("opaque-ristretto255-sha512.json")["vectors"]
    return vectors


def h(value: str) -> bytes:
    return bytes.fromhex(value)


class ReplayRandom:
    """A RandomSource that hands out prepared values in order and checks that
    the code asks for exactly those (same kind, same length, none left)."""

    def __init__(
        self, *, scalars: Sequence[bytes] = (), byte_strings: Sequence[bytes] = ()
    ) -> None:
        self._scalars = deque(scalars)
        self._bytes = deque(byte_strings)

    def random_bytes(self, n: int) -> bytes:
        assert self._bytes, "unexpected random_bytes() call"
        value = self._bytes.popleft()
        assert len(value) == n, f"random_bytes({n}) but the next value has {len(value)} bytes"
        return value

    def random_scalar(self) -> bytes:
        assert self._scalars, "unexpected random_scalar() call"
        return self._scalars.popleft()

    def assert_exhausted(self) -> None:
        assert not self._scalars, "prepared scalars were not used"
        assert not self._bytes, "prepared random bytes were not used"


@dataclass(frozen=True)
class Registered:
    setup: ServerSetup
    credential_identifier: bytes
    password: bytes
    record: RegistrationRecord
    export_key: bytes


def register(
    setup: ServerSetup,
    credential_identifier: bytes,
    password: bytes,
    *,
    ksf: KSF | None = None,
    client_identity: bytes | None = None,
    server_identity: bytes | None = None,
) -> Registered:
    request, state = create_registration_request(password)
    response = create_registration_response(setup, request, credential_identifier)
    record, export_key = finalize_registration_request(
        state,
        response,
        ksf=IdentityKSF() if ksf is None else ksf,
        client_identity=client_identity,
        server_identity=server_identity,
    )
    return Registered(setup, credential_identifier, password, record, export_key)


@dataclass(frozen=True)
class LoginInFlight:
    """A login stopped after KE2, to be finished (or tampered with) by a test."""

    registered: Registered
    ke1: KE1
    client_state: ClientLoginState
    ke2: KE2
    server_state: ServerLoginState


def start_login(registered: Registered, password: bytes | None = None) -> LoginInFlight:
    ke1, client_state = generate_ke1(registered.password if password is None else password)
    ke2, server_state = generate_ke2(
        registered.setup, registered.record, registered.credential_identifier, ke1
    )
    return LoginInFlight(registered, ke1, client_state, ke2, server_state)


@cache
def shared_setup() -> ServerSetup:
    """One server setup reused by tests that do not care which one."""
    return ServerSetup.generate()


@cache
def shared_registration() -> Registered:
    return register(shared_setup(), b"alice@example.org", b"correct horse battery staple")
