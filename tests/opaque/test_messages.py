"""Decoding: garbage of any length gives MalformedMessageError and nothing else;
valid encodings round-trip exactly."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invite_auth.opaque import (
    KE1,
    KE2,
    KE3,
    AuthRequest,
    AuthResponse,
    ClientLoginState,
    ClientRegistrationState,
    CredentialRequest,
    CredentialResponse,
    Envelope,
    MalformedMessageError,
    RegistrationRecord,
    RegistrationRequest,
    RegistrationResponse,
    ServerLoginState,
    ServerSetup,
    create_registration_request,
    create_registration_response,
)

from .helpers import shared_registration, start_login

FIXED_SIZE: dict[type[Any], int] = {
    Envelope: 96,
    RegistrationRequest: 32,
    RegistrationResponse: 64,
    RegistrationRecord: 192,
    CredentialRequest: 32,
    CredentialResponse: 192,
    AuthRequest: 64,
    AuthResponse: 128,
    KE1: 96,
    KE2: 320,
    KE3: 64,
    ServerLoginState: 128,
    ServerSetup: 96,
}
VARIABLE_SIZE: dict[type[Any], int] = {  # minimum size; the password follows
    ClientRegistrationState: 32,
    ClientLoginState: 160,
}
ALL_TYPES = [*FIXED_SIZE, *VARIABLE_SIZE]


@pytest.mark.parametrize("cls", list(FIXED_SIZE), ids=lambda c: c.__name__)
def test_declared_sizes(cls: type[Any]) -> None:
    assert FIXED_SIZE[cls] == cls.SIZE


@st.composite
def garbage(draw: st.DrawFn) -> tuple[type[Any], bytes]:
    cls = draw(st.sampled_from(ALL_TYPES))
    size = FIXED_SIZE.get(cls) or VARIABLE_SIZE[cls]
    # Mostly lengths that pass the length check, so the content checks run too.
    data = draw(
        st.binary(min_size=size, max_size=size)
        | st.binary(min_size=size, max_size=size + 40)
        | st.binary(max_size=2 * size + 8)
    )
    return cls, data


@settings(max_examples=400, deadline=None)
@given(case=garbage())
def test_garbage_raises_only_malformed(case: tuple[type[Any], bytes]) -> None:
    cls, data = case
    try:
        decoded = cls.from_bytes(data)
    except MalformedMessageError:
        return
    # Whatever decodes re-encodes to the same bytes (one encoding per value).
    assert decoded.to_bytes() == data


@pytest.mark.parametrize("cls", ALL_TYPES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("length", [0, 1, 31, 33, 1000])
def test_wrong_lengths(cls: type[Any], length: int) -> None:
    assert FIXED_SIZE.get(cls) != length
    data = bytes([0x11]) * length
    if cls in VARIABLE_SIZE and length >= VARIABLE_SIZE[cls]:
        data = bytes(length)  # long enough: must fail on the zero scalar instead
    with pytest.raises(MalformedMessageError):
        cls.from_bytes(data)


def test_from_bytes_rejects_non_bytes() -> None:
    with pytest.raises(TypeError):
        KE3.from_bytes("00" * 64)  # type: ignore[arg-type]


def test_bytearray_and_memoryview_are_accepted() -> None:
    ke3 = KE3(bytes(range(64)))
    assert KE3.from_bytes(bytearray(ke3.to_bytes())) == ke3
    assert KE3.from_bytes(memoryview(ke3.to_bytes())) == ke3


def test_real_messages_round_trip() -> None:
    registered = shared_registration()
    request, _ = create_registration_request(b"pw")
    response = create_registration_response(registered.setup, request, b"id")
    login = start_login(registered)
    for message in (
        request,
        response,
        registered.record,
        registered.record.envelope,
        login.ke1,
        login.ke1.credential_request,
        login.ke1.auth_request,
        login.ke2,
        login.ke2.credential_response,
        login.ke2.auth_response,
    ):
        encoded = message.to_bytes()
        assert len(encoded) == type(message).SIZE
        assert type(message).from_bytes(encoded) == message


def test_identity_element_is_rejected_in_every_element_field() -> None:
    login = start_login(shared_registration())
    ke1 = login.ke1.to_bytes()
    with pytest.raises(MalformedMessageError, match="identity"):
        KE1.from_bytes(bytes(32) + ke1[32:])  # blinded_message
    with pytest.raises(MalformedMessageError, match="identity"):
        KE1.from_bytes(ke1[:64] + bytes(32))  # client_public_keyshare
    ke2 = login.ke2.to_bytes()
    with pytest.raises(MalformedMessageError, match="identity"):
        KE2.from_bytes(bytes(32) + ke2[32:])  # evaluated_message
    with pytest.raises(MalformedMessageError, match="identity"):
        KE2.from_bytes(ke2[:224] + bytes(32) + ke2[256:])  # server_public_keyshare
    record = shared_registration().record.to_bytes()
    with pytest.raises(MalformedMessageError, match="identity"):
        RegistrationRecord.from_bytes(bytes(32) + record[32:])
    with pytest.raises(MalformedMessageError, match="identity"):
        RegistrationResponse.from_bytes(bytes(64))


def test_constructors_validate_too() -> None:
    with pytest.raises(MalformedMessageError):
        RegistrationRequest(bytes(32))
    with pytest.raises(MalformedMessageError):
        KE3(bytes(63))
    with pytest.raises(TypeError):
        KE1(start_login(shared_registration()).ke1.credential_request, None)  # type: ignore[arg-type]
