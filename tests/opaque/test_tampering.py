"""Every single-bit change to a message either fails to decode
(MalformedMessageError) or makes the login fail with an AuthenticationError;
nothing else (no bare ValueError from libsodium) escapes.

The deterministic tests flip every bit of one flow's messages; the hypothesis
test flips a random bit in fresh random flows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invite_auth.opaque import (
    KE2,
    KE3,
    AuthenticationError,
    ClientAuthenticationError,
    EnvelopeRecoveryError,
    IdentityKSF,
    MalformedMessageError,
    OpaqueError,
    RegistrationRecord,
    RegistrationResponse,
    ServerAuthenticationError,
    create_registration_request,
    create_registration_response,
    finalize_registration_request,
    generate_ke1,
    generate_ke2,
    generate_ke3,
    server_finish,
)

from .helpers import (
    LoginInFlight,
    Registered,
    register,
    shared_registration,
    shared_setup,
    start_login,
)

KSF = IdentityKSF()
EXPECTED = (MalformedMessageError, AuthenticationError)


def flip(data: bytes, bit: int) -> bytes:
    buf = bytearray(data)
    buf[bit // 8] ^= 1 << (bit % 8)
    return bytes(buf)


def all_flips(data: bytes) -> Iterator[bytes]:
    for bit in range(8 * len(data)):
        yield flip(data, bit)


def fails_with_our_errors(step: Callable[[], object]) -> type[OpaqueError]:
    """Run `step`; it must raise, and only one of the expected error types."""
    with pytest.raises(OpaqueError) as info:
        step()
    assert isinstance(info.value, EXPECTED), repr(info.value)
    return type(info.value)


# Each step decodes one tampered message and runs the protocol on to the point
# where the tampering has to be noticed.


def login_with_record(registered: Registered, record_bytes: bytes) -> None:
    record = RegistrationRecord.from_bytes(record_bytes)
    ke1, client_state = generate_ke1(registered.password)
    ke2, server_state = generate_ke2(
        registered.setup, record, registered.credential_identifier, ke1
    )
    ke3, _, _ = generate_ke3(client_state, ke2, ksf=KSF)
    server_finish(server_state, ke3)


def register_with_flipped_response_then_login(registered: Registered, bit: int) -> None:
    request, state = create_registration_request(registered.password)
    response = create_registration_response(
        registered.setup, request, registered.credential_identifier
    )
    tampered = RegistrationResponse.from_bytes(flip(response.to_bytes(), bit))
    record, _ = finalize_registration_request(state, tampered, ksf=KSF)
    login_with_record(registered, record.to_bytes())


def login_with_ke2(login: LoginInFlight, ke2_bytes: bytes) -> None:
    ke3, _, _ = generate_ke3(login.client_state, KE2.from_bytes(ke2_bytes), ksf=KSF)
    server_finish(login.server_state, ke3)


def login_with_ke3(login: LoginInFlight, ke3_bytes: bytes) -> None:
    server_finish(login.server_state, KE3.from_bytes(ke3_bytes))


def test_every_bit_of_registration_response() -> None:
    registered = shared_registration()
    kinds = {
        fails_with_our_errors(partial(register_with_flipped_response_then_login, registered, bit))
        for bit in range(8 * RegistrationResponse.SIZE)
    }
    # Some flips give an invalid element; the others a record that cannot log in.
    assert kinds == {MalformedMessageError, EnvelopeRecoveryError}


def test_every_bit_of_registration_record() -> None:
    registered = shared_registration()
    kinds = {
        fails_with_our_errors(partial(login_with_record, registered, tampered))
        for tampered in all_flips(registered.record.to_bytes())
    }
    # client_public_key: undecodable or a wrong 3DH key (server MAC fails);
    # masking_key and envelope: the envelope does not open.
    assert kinds == {MalformedMessageError, ServerAuthenticationError, EnvelopeRecoveryError}


def test_every_bit_of_ke2() -> None:
    login = start_login(shared_registration())
    kinds = {
        fails_with_our_errors(partial(login_with_ke2, login, tampered))
        for tampered in all_flips(login.ke2.to_bytes())
    }
    assert kinds == {MalformedMessageError, ServerAuthenticationError, EnvelopeRecoveryError}


def test_every_bit_of_ke3() -> None:
    login = start_login(shared_registration())
    ke3, session_key, _ = generate_ke3(login.client_state, login.ke2, ksf=KSF)
    kinds = {
        fails_with_our_errors(partial(login_with_ke3, login, tampered))
        for tampered in all_flips(ke3.to_bytes())
    }
    assert kinds == {ClientAuthenticationError}
    # Rejected attempts do not disturb the state: the genuine KE3 still verifies.
    assert server_finish(login.server_state, ke3) == session_key


@settings(max_examples=40, deadline=None)
@given(
    password=st.binary(max_size=64),
    credential_identifier=st.binary(max_size=32),
    which=st.sampled_from(["registration_response", "record", "ke2", "ke3"]),
    position=st.integers(min_value=0, max_value=10_000),
)
def test_random_bit_flip_in_random_flow(
    password: bytes, credential_identifier: bytes, which: str, position: int
) -> None:
    registered = register(shared_setup(), credential_identifier, password)
    login = start_login(registered)
    step: Callable[[], object]
    if which == "registration_response":
        bit = position % (8 * RegistrationResponse.SIZE)
        step = partial(register_with_flipped_response_then_login, registered, bit)
    elif which == "record":
        original = registered.record.to_bytes()
        tampered = flip(original, position % (8 * len(original)))
        step = partial(login_with_record, registered, tampered)
    elif which == "ke2":
        original = login.ke2.to_bytes()
        tampered = flip(original, position % (8 * len(original)))
        step = partial(login_with_ke2, login, tampered)
    else:
        ke3, _, _ = generate_ke3(login.client_state, login.ke2, ksf=KSF)
        original = ke3.to_bytes()
        tampered = flip(original, position % (8 * len(original)))
        step = partial(login_with_ke3, login, tampered)
    fails_with_our_errors(step)
