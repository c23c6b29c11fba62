"""Client side of OPAQUE (RFC 9807 §5.2.1, §5.2.3, §6.2.1, §6.2.3, §6.3.2)."""

from __future__ import annotations

from typing import NamedTuple

from . import oprf
from .constants import Npk
from .credentials import check_identity
from .envelope import (
    RecoverResult,
    credential_response_pad,
    derive_masking_key,
    recover,
    store,
)
from .group import Element, Scalar
from .key_exchange import auth_client_finalize, auth_client_start, check_context
from .ksf import KSF, derive_randomized_password
from .messages import (
    KE1,
    KE2,
    KE3,
    CredentialRequest,
    CredentialResponse,
    Envelope,
    RegistrationRecord,
    RegistrationRequest,
    RegistrationResponse,
)
from .primitives import xor
from .rng import RandomSource, default_random_source
from .state import ClientLoginState, ClientRegistrationState, check_password

__all__ = [
    "LoginFinish",
    "LoginStart",
    "RegistrationFinish",
    "RegistrationStart",
    "create_registration_request",
    "finalize_registration_request",
    "generate_ke1",
    "generate_ke3",
    "recover_credentials",
]


class RegistrationStart(NamedTuple):
    request: RegistrationRequest
    state: ClientRegistrationState


class RegistrationFinish(NamedTuple):
    record: RegistrationRecord
    export_key: bytes


class LoginStart(NamedTuple):
    ke1: KE1
    state: ClientLoginState


class LoginFinish(NamedTuple):
    ke3: KE3
    session_key: bytes
    export_key: bytes


def create_registration_request(
    password: bytes, *, rng: RandomSource | None = None
) -> RegistrationStart:
    """CreateRegistrationRequest: blind the password; keep the state for
    finalize_registration_request."""
    pw = check_password(password)
    blind, blinded_element = oprf.blind(pw, default_random_source(rng))
    return RegistrationStart(
        RegistrationRequest(blinded_element), ClientRegistrationState(pw, blind)
    )


def finalize_registration_request(
    state: ClientRegistrationState,
    response: RegistrationResponse,
    *,
    ksf: KSF,
    server_identity: bytes | None = None,
    client_identity: bytes | None = None,
    rng: RandomSource | None = None,
) -> RegistrationFinish:
    """FinalizeRegistrationRequest: unblind, stretch, build the envelope.

    Returns the record to upload and the export_key. The same KSF (and
    parameters) and identities must be used again at login."""
    check_identity("server_identity", server_identity)
    check_identity("client_identity", client_identity)
    oprf_output = oprf.finalize(
        state.password, Scalar(state.blind), Element(response.evaluated_message)
    )
    randomized_password = derive_randomized_password(oprf_output, ksf)
    stored = store(
        randomized_password,
        response.server_public_key,
        server_identity,
        client_identity,
        default_random_source(rng),
    )
    record = RegistrationRecord(stored.client_public_key, stored.masking_key, stored.envelope)
    return RegistrationFinish(record, stored.export_key)


def generate_ke1(password: bytes, *, rng: RandomSource | None = None) -> LoginStart:
    """GenerateKE1: CreateCredentialRequest + AuthClientStart."""
    pw = check_password(password)
    source = default_random_source(rng)
    blind, blinded_element = oprf.blind(pw, source)
    ke1, client_secret = auth_client_start(CredentialRequest(blinded_element), source)
    return LoginStart(ke1, ClientLoginState(pw, blind, client_secret, ke1))


def recover_credentials(
    password: bytes,
    blind: Scalar,
    response: CredentialResponse,
    server_identity: bytes | None,
    client_identity: bytes | None,
    ksf: KSF,
) -> RecoverResult:
    """RecoverCredentials: unblind, stretch, unmask server_public_key || envelope
    and open the envelope (EnvelopeRecoveryError on a wrong password)."""
    oprf_output = oprf.finalize(password, blind, Element(response.evaluated_message))
    randomized_password = derive_randomized_password(oprf_output, ksf)
    masking_key = derive_masking_key(randomized_password)
    pad = credential_response_pad(masking_key, response.masking_nonce)
    unmasked = xor(pad, response.masked_response)
    server_public_key, envelope = unmasked[:Npk], Envelope.from_bytes(unmasked[Npk:])
    return recover(
        randomized_password, server_public_key, envelope, server_identity, client_identity
    )


def generate_ke3(
    state: ClientLoginState,
    ke2: KE2,
    *,
    ksf: KSF,
    context: bytes = b"",
    client_identity: bytes | None = None,
    server_identity: bytes | None = None,
) -> LoginFinish:
    """GenerateKE3: recover the credentials, authenticate the server, and
    return KE3, the session key and the export key.

    Raises EnvelopeRecoveryError (wrong password / not our record) or
    ServerAuthenticationError (bad server MAC); both are AuthenticationError."""
    ctx = check_context(context)
    # Check the cheap arguments before paying for the KSF.
    check_identity("server_identity", server_identity)
    check_identity("client_identity", client_identity)
    recovered = recover_credentials(
        state.password,
        Scalar(state.blind),
        ke2.credential_response,
        server_identity,
        client_identity,
        ksf,
    )
    ke3, session_key = auth_client_finalize(
        recovered.cleartext_credentials,
        recovered.client_private_key,
        Scalar(state.client_secret),
        state.ke1,
        ke2,
        ctx,
    )
    return LoginFinish(ke3, session_key, recovered.export_key)
