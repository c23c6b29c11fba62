"""Server side of OPAQUE (RFC 9807 §5.2.2, §6.2.2, §6.2.4, §6.3.2.2)."""

from __future__ import annotations

from typing import NamedTuple

from . import group, oprf
from .constants import Nh, Nm, Nn, Nok
from .credentials import CleartextCredentials
from .envelope import credential_response_pad
from .group import Element, Scalar
from .key_exchange import (
    auth_server_finalize,
    auth_server_respond,
    check_context,
)
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
from .primitives import expand, xor
from .rng import RandomSource, default_random_source, draw_bytes
from .setup import ServerSetup
from .state import ServerLoginState

__all__ = [
    "FAKE_RECORD_LABEL",
    "ServerLoginStart",
    "create_credential_response",
    "create_registration_response",
    "derive_oprf_key",
    "fake_registration_record",
    "generate_ke2",
    "server_finish",
]

OPRF_KEY_INFO = b"OPAQUE-DeriveKeyPair"
FAKE_RECORD_LABEL = b"invite-auth fake record"


class ServerLoginStart(NamedTuple):
    ke2: KE2
    state: ServerLoginState


def _check_credential_identifier(credential_identifier: object) -> bytes:
    if not isinstance(credential_identifier, bytes):
        raise TypeError("credential_identifier must be bytes")
    return credential_identifier


def derive_oprf_key(oprf_seed: bytes, credential_identifier: bytes) -> Scalar:
    """The per-credential OPRF key: DeriveKeyPair(Expand(oprf_seed,
    credential_identifier || "OprfKey", Nok), "OPAQUE-DeriveKeyPair")."""
    seed = expand(oprf_seed, credential_identifier + b"OprfKey", Nok)
    return oprf.derive_secret_scalar(seed, OPRF_KEY_INFO)


def create_registration_response(
    setup: ServerSetup, request: RegistrationRequest, credential_identifier: bytes
) -> RegistrationResponse:
    """CreateRegistrationResponse: evaluate the client's blinded password under
    this credential's OPRF key and hand out the server public key."""
    cid = _check_credential_identifier(credential_identifier)
    oprf_key = derive_oprf_key(setup.oprf_seed, cid)
    evaluated = oprf.blind_evaluate(oprf_key, Element(request.blinded_message))
    return RegistrationResponse(evaluated, setup.server_public_key)


def create_credential_response(
    request: CredentialRequest,
    server_public_key: bytes,
    record: RegistrationRecord,
    credential_identifier: bytes,
    oprf_seed: bytes,
    rng: RandomSource,
) -> CredentialResponse:
    """CreateCredentialResponse: OPRF evaluation plus the masked
    server_public_key || envelope. Real and fake records take the same path."""
    oprf_key = derive_oprf_key(oprf_seed, credential_identifier)
    evaluated = oprf.blind_evaluate(oprf_key, Element(request.blinded_message))
    masking_nonce = draw_bytes(rng, Nn)
    pad = credential_response_pad(record.masking_key, masking_nonce)
    masked_response = xor(pad, server_public_key + record.envelope.to_bytes())
    return CredentialResponse(evaluated, masking_nonce, masked_response)


def generate_ke2(
    setup: ServerSetup,
    record: RegistrationRecord,
    credential_identifier: bytes,
    ke1: KE1,
    *,
    context: bytes = b"",
    client_identity: bytes | None = None,
    server_identity: bytes | None = None,
    rng: RandomSource | None = None,
) -> ServerLoginStart:
    """GenerateKE2: answer KE1 with KE2; keep the returned state for server_finish.

    For an unknown credential_identifier pass fake_registration_record(...): the
    answer then looks like a real one and the client fails at the envelope."""
    source = default_random_source(rng)
    cid = _check_credential_identifier(credential_identifier)
    ctx = check_context(context)
    credential_response = create_credential_response(
        ke1.credential_request,
        setup.server_public_key,
        record,
        cid,
        setup.oprf_seed,
        source,
    )
    cleartext_credentials = CleartextCredentials.create(
        setup.server_public_key, record.client_public_key, server_identity, client_identity
    )
    auth_response, state = auth_server_respond(
        cleartext_credentials,
        setup.server_private_scalar,
        record.client_public_key,
        ke1,
        credential_response.to_bytes(),
        ctx,
        source,
    )
    return ServerLoginStart(KE2(credential_response, auth_response), state)


def server_finish(state: ServerLoginState, ke3: KE3) -> bytes:
    """ServerFinish: the session key, or ClientAuthenticationError."""
    return auth_server_finalize(state, ke3)


def fake_registration_record(
    setup: ServerSetup, credential_identifier: bytes
) -> RegistrationRecord:
    """A fake record for an unregistered credential_identifier (RFC 9807 §6.3.2.2,
    §10.9): a random-looking client public key and masking key, a zero envelope.

    Derived from the oprf_seed rather than sampled, so an unknown name gets the
    same record every time and repeated logins cannot tell it from a real one.
    The HKDF info is LABEL || credential_identifier || suffix: the fixed label
    and suffix make it injective, and no suffix ends in "OprfKey", so it never
    collides with the RFC's own Expand(oprf_seed, id || "OprfKey") use.

    The public key is a uniformly random group element (hash-to-group of 64
    derived bytes), distributed like a real one but with no known private key.
    Deriving it costs some tens of microseconds more than decoding a stored
    record; servers worried about that timing difference can compute it on
    every login attempt, or cache it per identifier."""
    cid = _check_credential_identifier(credential_identifier)
    info = FAKE_RECORD_LABEL + cid
    client_public_key = group.element_from_uniform_bytes(
        expand(setup.oprf_seed, info + b"FakeClientKey", 64)
    )
    masking_key = expand(setup.oprf_seed, info + b"FakeMaskingKey", Nh)
    return RegistrationRecord(client_public_key, masking_key, Envelope(bytes(Nn), bytes(Nm)))
