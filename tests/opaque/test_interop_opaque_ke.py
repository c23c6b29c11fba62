"""Interoperability with opaque-ke (Rust, via the opaque-snake bindings), both directions.

opaque-snake fixes its KSF to Argon2id with the argon2 crate's defaults (t=2, m=19456 KiB,
p=1) over the same 16-byte zero salt; with those parameters our client and opaque-ke's
derive the same envelope and export key from the same password.
"""

from __future__ import annotations

import opaque_snake as ke
import pytest

from invite_auth.opaque import (
    KE1,
    KE2,
    KE3,
    Argon2idKSF,
    EnvelopeRecoveryError,
    RegistrationRecord,
    RegistrationRequest,
    RegistrationResponse,
    ServerSetup,
    create_registration_request,
    create_registration_response,
    finalize_registration_request,
    generate_ke1,
    generate_ke2,
    generate_ke3,
    server_finish,
)

OPAQUE_KE_KSF = Argon2idKSF(time_cost=2, memory_cost=19456, parallelism=1)
PASSWORD = "correct horse battery staple"


def register_with_opaque_ke_client(setup: ServerSetup, credential_id: bytes) -> tuple[bytes, bytes]:
    """opaque-ke as the client, our code as the server; returns (record, export key)."""
    client = ke.OpaqueClient()
    request, state = client.start_registration(PASSWORD)
    response = create_registration_response(
        setup, RegistrationRequest.from_bytes(request.to_bytes()), credential_id
    )
    result = client.finish_registration(
        ke.RegistrationResponse.from_bytes(response.to_bytes()), state, PASSWORD
    )
    return result.upload.to_bytes(), bytes(result.export_key)


def test_opaque_ke_client_registers_and_logs_in_with_our_server() -> None:
    setup = ServerSetup.generate()
    record_bytes, export_key = register_with_opaque_ke_client(setup, b"Lalice")
    record = RegistrationRecord.from_bytes(record_bytes)
    client = ke.OpaqueClient()
    ke1, client_state = client.start_login(PASSWORD)
    ke2, server_state = generate_ke2(setup, record, b"Lalice", KE1.from_bytes(ke1.to_bytes()))
    login = client.finish_login(
        ke.CredentialResponse.from_bytes(ke2.to_bytes()), client_state, PASSWORD
    )
    session_key = server_finish(server_state, KE3.from_bytes(login.finalization.to_bytes()))
    assert bytes(login.session_keys.session_key) == session_key
    assert login.session_keys.export_key == export_key


def test_opaque_ke_client_with_a_wrong_password_is_refused_by_our_server() -> None:
    setup = ServerSetup.generate()
    record_bytes, _ = register_with_opaque_ke_client(setup, b"Lalice")
    client = ke.OpaqueClient()
    ke1, client_state = client.start_login("wrong password")
    ke2, _ = generate_ke2(
        setup,
        RegistrationRecord.from_bytes(record_bytes),
        b"Lalice",
        KE1.from_bytes(ke1.to_bytes()),
    )
    with pytest.raises(ke.AuthenticationError):
        client.finish_login(
            ke.CredentialResponse.from_bytes(ke2.to_bytes()), client_state, "wrong password"
        )


def test_our_client_logs_in_to_a_registration_made_by_opaque_ke() -> None:
    setup = ServerSetup.generate()
    record_bytes, export_key = register_with_opaque_ke_client(setup, b"Lalice")
    record = RegistrationRecord.from_bytes(record_bytes)
    ke1, client_state = generate_ke1(PASSWORD.encode())
    ke2, server_state = generate_ke2(setup, record, b"Lalice", ke1)
    ke3, session_key, our_export_key = generate_ke3(client_state, ke2, ksf=OPAQUE_KE_KSF)
    assert server_finish(server_state, ke3) == session_key
    assert our_export_key == export_key
    # The KSF is part of the credential: other parameters cannot open the envelope.
    ke1, client_state = generate_ke1(PASSWORD.encode())
    ke2, _ = generate_ke2(setup, record, b"Lalice", ke1)
    with pytest.raises(EnvelopeRecoveryError):
        generate_ke3(client_state, ke2, ksf=Argon2idKSF())


def register_with_opaque_ke_server() -> tuple[ke.OpaqueServer, ke.PasswordFile, bytes]:
    """Our client registers "alice" with an opaque-ke server; returns (server, password
    file, export key)."""
    server = ke.OpaqueServer()
    request, reg_state = create_registration_request(PASSWORD.encode())
    response = server.create_registration_response(
        ke.RegistrationRequest.from_bytes(request.to_bytes()), "alice"
    )
    record, export_key = finalize_registration_request(
        reg_state, RegistrationResponse.from_bytes(response.to_bytes()), ksf=OPAQUE_KE_KSF
    )
    password_file = server.finish_registration(ke.RegistrationUpload.from_bytes(record.to_bytes()))
    return server, password_file, export_key


def test_our_client_registers_and_logs_in_with_an_opaque_ke_server() -> None:
    server, password_file, export_key = register_with_opaque_ke_server()
    ke1, client_state = generate_ke1(PASSWORD.encode())
    ke2, server_state = server.create_credential_response(
        ke.CredentialRequest.from_bytes(ke1.to_bytes()), "alice", password_file
    )
    ke3, session_key, login_export_key = generate_ke3(
        client_state, KE2.from_bytes(ke2.to_bytes()), ksf=OPAQUE_KE_KSF
    )
    keys = server.finish_login(ke.CredentialFinalization.from_bytes(ke3.to_bytes()), server_state)
    assert bytes(keys.session_key) == session_key
    assert login_export_key == export_key


def test_a_bad_ke3_from_our_client_is_refused_by_opaque_ke() -> None:
    server, password_file, _ = register_with_opaque_ke_server()
    ke1, _ = generate_ke1(PASSWORD.encode())
    _, server_state = server.create_credential_response(
        ke.CredentialRequest.from_bytes(ke1.to_bytes()), "alice", password_file
    )
    with pytest.raises(ke.AuthenticationError):
        server.finish_login(ke.CredentialFinalization.from_bytes(bytes(64)), server_state)
