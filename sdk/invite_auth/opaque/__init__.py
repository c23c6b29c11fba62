"""OPAQUE-3DH (RFC 9807) over ristretto255-SHA512, with the RFC 9497 OPRF.

Configuration: OPRF ristretto255-SHA512, HKDF-SHA512, HMAC-SHA512, SHA-512,
3DH over ristretto255; the KSF and context are the application's choice
(Argon2idKSF and an empty context interoperate with @serenity-kit/opaque).

Registration::

    request, reg_state = create_registration_request(password)
    response = create_registration_response(setup, request, credential_identifier)
    record, export_key = finalize_registration_request(reg_state, response, ksf=ksf)

Login::

    ke1, client_state = generate_ke1(password)
    ke2, server_state = generate_ke2(setup, record, credential_identifier, ke1)
    ke3, session_key, export_key = generate_ke3(client_state, ke2, ksf=ksf)
    session_key = server_finish(server_state, ke3)

Only depends on pysodium (libsodium >= 1.0.18), argon2-cffi and the stdlib."""

from __future__ import annotations

from .client import (
    LoginFinish,
    LoginStart,
    RegistrationFinish,
    RegistrationStart,
    create_registration_request,
    finalize_registration_request,
    generate_ke1,
    generate_ke3,
)
from .constants import Nh, Nm, Nn, Noe, Nok, Npk, Nseed, Nsk, Nx
from .credentials import CleartextCredentials
from .errors import (
    AuthenticationError,
    ClientAuthenticationError,
    DeriveKeyPairError,
    EnvelopeRecoveryError,
    InvalidInputError,
    MalformedMessageError,
    OpaqueError,
    ServerAuthenticationError,
)
from .ksf import KSF, Argon2idKSF, IdentityKSF
from .messages import (
    KE1,
    KE2,
    KE3,
    AuthRequest,
    AuthResponse,
    CredentialRequest,
    CredentialResponse,
    Envelope,
    RegistrationRecord,
    RegistrationRequest,
    RegistrationResponse,
)
from .rng import RandomSource, SystemRandomSource
from .server import (
    ServerLoginStart,
    create_registration_response,
    fake_registration_record,
    generate_ke2,
    server_finish,
)
from .setup import ServerSetup
from .state import ClientLoginState, ClientRegistrationState, ServerLoginState

__all__ = [
    "KE1",
    "KE2",
    "KE3",
    "KSF",
    "Argon2idKSF",
    "AuthRequest",
    "AuthResponse",
    "AuthenticationError",
    "CleartextCredentials",
    "ClientAuthenticationError",
    "ClientLoginState",
    "ClientRegistrationState",
    "CredentialRequest",
    "CredentialResponse",
    "DeriveKeyPairError",
    "Envelope",
    "EnvelopeRecoveryError",
    "IdentityKSF",
    "InvalidInputError",
    "LoginFinish",
    "LoginStart",
    "MalformedMessageError",
    "Nh",
    "Nm",
    "Nn",
    "Noe",
    "Nok",
    "Npk",
    "Nseed",
    "Nsk",
    "Nx",
    "OpaqueError",
    "RandomSource",
    "RegistrationFinish",
    "RegistrationRecord",
    "RegistrationRequest",
    "RegistrationResponse",
    "RegistrationStart",
    "ServerAuthenticationError",
    "ServerLoginStart",
    "ServerLoginState",
    "ServerSetup",
    "SystemRandomSource",
    "create_registration_request",
    "create_registration_response",
    "fake_registration_record",
    "finalize_registration_request",
    "generate_ke1",
    "generate_ke2",
    "generate_ke3",
    "server_finish",
]
