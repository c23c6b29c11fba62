"""Whole registration + login flows, property-based (hypothesis), identity KSF."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invite_auth.opaque import (
    KE3,
    ClientAuthenticationError,
    EnvelopeRecoveryError,
    IdentityKSF,
    ServerAuthenticationError,
    ServerSetup,
    generate_ke1,
    generate_ke2,
    generate_ke3,
    server_finish,
)

from .helpers import register, shared_setup, start_login

passwords = st.binary(max_size=128)
identifiers = st.binary(max_size=64)
identities = st.none() | st.binary(min_size=1, max_size=48)
contexts = st.binary(max_size=48)

FLOW_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@FLOW_SETTINGS
@given(
    password=passwords,
    credential_identifier=identifiers,
    client_identity=identities,
    server_identity=identities,
    context=contexts,
)
def test_register_then_login_agrees_on_keys(
    password: bytes,
    credential_identifier: bytes,
    client_identity: bytes | None,
    server_identity: bytes | None,
    context: bytes,
) -> None:
    setup = shared_setup()
    registered = register(
        setup,
        credential_identifier,
        password,
        client_identity=client_identity,
        server_identity=server_identity,
    )
    ke1, client_state = generate_ke1(password)
    ke2, server_state = generate_ke2(
        setup,
        registered.record,
        credential_identifier,
        ke1,
        context=context,
        client_identity=client_identity,
        server_identity=server_identity,
    )
    ke3, client_session_key, export_key = generate_ke3(
        client_state,
        ke2,
        ksf=IdentityKSF(),
        context=context,
        client_identity=client_identity,
        server_identity=server_identity,
    )
    server_session_key = server_finish(server_state, ke3)
    assert client_session_key == server_session_key
    assert len(client_session_key) == 64
    assert export_key == registered.export_key
    assert len(export_key) == 64


@FLOW_SETTINGS
@given(password=passwords, wrong=passwords, forged_mac=st.binary(min_size=64, max_size=64))
def test_wrong_password_fails_on_both_sides(
    password: bytes, wrong: bytes, forged_mac: bytes
) -> None:
    if wrong == password:
        wrong = password + b"!"
    registered = register(shared_setup(), b"user", password)
    login = start_login(registered, wrong)
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(login.client_state, login.ke2, ksf=IdentityKSF())
    # A client without the password has no KE3 to send but a guess.
    with pytest.raises(ClientAuthenticationError):
        server_finish(login.server_state, KE3(forged_mac))


def test_two_logins_give_different_session_keys() -> None:
    registered = register(shared_setup(), b"user", b"pw")
    keys = []
    for _ in range(2):
        login = start_login(registered)
        ke3, session_key, _ = generate_ke3(login.client_state, login.ke2, ksf=IdentityKSF())
        assert server_finish(login.server_state, ke3) == session_key
        keys.append(session_key)
    assert keys[0] != keys[1]


def test_ke3_from_another_session_is_rejected() -> None:
    registered = register(shared_setup(), b"user", b"pw")
    first, second = start_login(registered), start_login(registered)
    ke3_first, _, _ = generate_ke3(first.client_state, first.ke2, ksf=IdentityKSF())
    with pytest.raises(ClientAuthenticationError):
        server_finish(second.server_state, ke3_first)


def test_ke2_for_another_ke1_is_rejected() -> None:
    registered = register(shared_setup(), b"user", b"pw")
    first, second = start_login(registered), start_login(registered)
    # Same password and record, but KE2 answers another client's KE1 (the OPRF
    # blind differs, so the envelope does not open).
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(first.client_state, second.ke2, ksf=IdentityKSF())


def test_same_record_other_server_key_fails() -> None:
    registered = register(shared_setup(), b"user", b"pw")
    other = ServerSetup(shared_setup().oprf_seed, ServerSetup.generate().server_private_key)
    ke1, client_state = generate_ke1(b"pw")
    ke2, _ = generate_ke2(other, registered.record, b"user", ke1)
    # The unmasked server key differs from the one the envelope binds.
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(client_state, ke2, ksf=IdentityKSF())


def test_other_credential_identifier_fails() -> None:
    registered = register(shared_setup(), b"user", b"pw")
    ke1, client_state = generate_ke1(b"pw")
    ke2, _ = generate_ke2(shared_setup(), registered.record, b"someone else", ke1)
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(client_state, ke2, ksf=IdentityKSF())


def test_context_mismatch_fails_server_authentication() -> None:
    registered = register(shared_setup(), b"user", b"pw")
    ke1, client_state = generate_ke1(b"pw")
    ke2, _ = generate_ke2(shared_setup(), registered.record, b"user", ke1, context=b"app-v1")
    with pytest.raises(ServerAuthenticationError):
        generate_ke3(client_state, ke2, ksf=IdentityKSF(), context=b"app-v2")


def test_client_identity_differs_from_registration() -> None:
    registered = register(shared_setup(), b"user", b"pw", client_identity=b"alice")
    ke1, client_state = generate_ke1(b"pw")
    ke2, _ = generate_ke2(shared_setup(), registered.record, b"user", ke1, client_identity=b"alice")
    # The envelope tag binds client_identity: the client must give it again.
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(client_state, ke2, ksf=IdentityKSF())


def test_server_names_another_client_identity() -> None:
    registered = register(shared_setup(), b"user", b"pw", client_identity=b"alice")
    ke1, client_state = generate_ke1(b"pw")
    ke2, _ = generate_ke2(
        shared_setup(), registered.record, b"user", ke1, client_identity=b"mallory"
    )
    # The envelope opens (the client uses its own identity) but the transcripts differ.
    with pytest.raises(ServerAuthenticationError):
        generate_ke3(client_state, ke2, ksf=IdentityKSF(), client_identity=b"alice")
