"""Serializable states, ServerSetup, and the key stretching functions."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invite_auth.opaque import (
    Argon2idKSF,
    ClientLoginState,
    ClientRegistrationState,
    EnvelopeRecoveryError,
    IdentityKSF,
    InvalidInputError,
    MalformedMessageError,
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
from invite_auth.opaque.ksf import derive_randomized_password

from .helpers import register, shared_setup

CHEAP_ARGON2 = Argon2idKSF(time_cost=1, memory_cost=64, parallelism=1)


@settings(max_examples=25, deadline=None)
@given(password=st.binary(max_size=100), credential_identifier=st.binary(max_size=30))
def test_flow_through_serialized_states(password: bytes, credential_identifier: bytes) -> None:
    """Every state goes through bytes between steps, as across HTTP requests."""
    setup = ServerSetup.from_bytes(shared_setup().to_bytes())
    request, reg_state = create_registration_request(password)
    reg_state = ClientRegistrationState.from_bytes(reg_state.to_bytes())
    response = create_registration_response(setup, request, credential_identifier)
    record, registration_export_key = finalize_registration_request(
        reg_state, response, ksf=IdentityKSF()
    )

    ke1, client_state = generate_ke1(password)
    restored_client = ClientLoginState.from_bytes(client_state.to_bytes())
    assert restored_client == client_state
    ke2, server_state = generate_ke2(setup, record, credential_identifier, ke1)
    restored_server = ServerLoginState.from_bytes(server_state.to_bytes())
    assert restored_server == server_state
    ke3, session_key, export_key = generate_ke3(restored_client, ke2, ksf=IdentityKSF())
    assert server_finish(restored_server, ke3) == session_key
    assert export_key == registration_export_key


def test_state_encodings() -> None:
    _request, reg_state = create_registration_request(b"hunter2")
    assert reg_state.to_bytes() == reg_state.blind + b"hunter2"
    ke1, login_state = generate_ke1(b"hunter2")
    encoded = login_state.to_bytes()
    assert encoded[64:160] == ke1.to_bytes()
    assert encoded[160:] == b"hunter2"
    server_state = ServerLoginState(b"\x01" * 64, b"\x02" * 64)
    assert server_state.to_bytes() == b"\x01" * 64 + b"\x02" * 64  # expected_client_mac || key
    assert ServerLoginState.SIZE == 128


def test_state_reprs_hide_secrets() -> None:
    _, reg_state = create_registration_request(b"hunter2")
    _, login_state = generate_ke1(b"hunter2")
    for state in (reg_state, login_state, ServerLoginState(b"\xaa" * 64, b"\xbb" * 64)):
        text = repr(state)
        assert "hunter2" not in text
        assert "aaaa" not in text
        assert "bbbb" not in text
    setup = shared_setup()
    assert setup.oprf_seed.hex() not in repr(setup)
    assert setup.server_private_key.hex() not in repr(setup)
    assert setup.server_public_key.hex() in repr(setup)


def test_bad_states_are_malformed() -> None:
    with pytest.raises(MalformedMessageError):
        ClientRegistrationState.from_bytes(b"\xff" * 40)  # blind not canonical
    with pytest.raises(MalformedMessageError):
        ClientRegistrationState.from_bytes(bytes(31))
    with pytest.raises(MalformedMessageError):
        ClientRegistrationState.from_bytes(bytes(32 + 2**16))
    _, login_state = generate_ke1(b"pw")
    encoded = login_state.to_bytes()
    with pytest.raises(MalformedMessageError):
        ClientLoginState.from_bytes(encoded[:32] + bytes(32) + encoded[64:])  # zero secret
    with pytest.raises(MalformedMessageError):
        ClientLoginState.from_bytes(encoded[:64] + bytes(96) + encoded[160:])  # bad KE1
    with pytest.raises(MalformedMessageError):
        ServerLoginState.from_bytes(bytes(127))


def test_server_setup_round_trip_and_validation() -> None:
    setup = ServerSetup.generate()
    assert len(setup.to_bytes()) == ServerSetup.SIZE == 96
    restored = ServerSetup.from_bytes(setup.to_bytes())
    assert restored == setup
    assert restored.server_public_key == setup.server_public_key
    assert ServerSetup.generate() != setup
    with pytest.raises(MalformedMessageError):
        ServerSetup.from_bytes(setup.to_bytes()[:-1])
    with pytest.raises(MalformedMessageError):
        ServerSetup.from_bytes(setup.oprf_seed + bytes(32))  # zero private key
    with pytest.raises(MalformedMessageError):
        ServerSetup.from_bytes(setup.oprf_seed + b"\xff" * 32)  # not reduced


def test_server_setup_generate_uses_the_given_source() -> None:
    class Fixed:
        def random_bytes(self, n: int) -> bytes:
            return bytes([1]) * n

        def random_scalar(self) -> bytes:
            return (5).to_bytes(32, "little")

    first, second = ServerSetup.generate(rng=Fixed()), ServerSetup.generate(rng=Fixed())
    assert first == second
    assert first.oprf_seed == bytes([1]) * 64


def test_argon2id_default_parameters() -> None:
    ksf = Argon2idKSF()
    assert (ksf.time_cost, ksf.memory_cost, ksf.parallelism) == (3, 65536, 4)
    started = time.perf_counter()
    out = ksf.stretch(b"\x01" * 64)
    elapsed = time.perf_counter() - started
    assert len(out) == 64
    assert out != b"\x01" * 64
    assert ksf.stretch(b"\x01" * 64) == out
    assert elapsed > 0.01  # really did 64 MiB of work, not a no-op


def test_argon2id_output_depends_on_parameters_and_input() -> None:
    base = CHEAP_ARGON2.stretch(b"x")
    assert CHEAP_ARGON2.stretch(b"y") != base
    assert Argon2idKSF(time_cost=2, memory_cost=64, parallelism=1).stretch(b"x") != base
    assert Argon2idKSF(time_cost=1, memory_cost=128, parallelism=1).stretch(b"x") != base
    assert IdentityKSF().stretch(b"x") == b"x"
    assert derive_randomized_password(b"x" * 64, CHEAP_ARGON2) != derive_randomized_password(
        b"x" * 64, IdentityKSF()
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"time_cost": 0},
        {"memory_cost": 0},
        {"parallelism": 0},
        {"memory_cost": 16, "parallelism": 4},  # below 8 * p KiB
        {"time_cost": 1.5},
        {"memory_cost": 2**32},
    ],
)
def test_argon2id_parameters_are_validated(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        Argon2idKSF(**kwargs)  # type: ignore[arg-type]


def test_login_with_argon2_and_ksf_mismatch() -> None:
    registered = register(shared_setup(), b"argon", b"pw", ksf=CHEAP_ARGON2)
    ke1, client_state = generate_ke1(b"pw")
    ke2, server_state = generate_ke2(shared_setup(), registered.record, b"argon", ke1)
    ke3, session_key, export_key = generate_ke3(client_state, ke2, ksf=CHEAP_ARGON2)
    assert server_finish(server_state, ke3) == session_key
    assert export_key == registered.export_key
    # Other KSF parameters at login act like a wrong password.
    for other in (IdentityKSF(), Argon2idKSF(time_cost=2, memory_cost=64, parallelism=1)):
        with pytest.raises(EnvelopeRecoveryError):
            generate_ke3(client_state, ke2, ksf=other)
