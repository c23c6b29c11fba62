"""OPAQUE-3DH (RFC 9807 §6.4): key pairs, preamble, key schedule and the four
AKE steps AuthClientStart / AuthServerRespond / AuthClientFinalize /
AuthServerFinalize."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from . import group, oprf
from .constants import MAX_PREFIXED_LEN, Nn, Nseed
from .credentials import CleartextCredentials
from .errors import (
    ClientAuthenticationError,
    InvalidInputError,
    MalformedMessageError,
    ServerAuthenticationError,
)
from .group import Element, Scalar
from .messages import KE1, KE2, KE3, AuthRequest, AuthResponse, CredentialRequest
from .oprf import KeyPair
from .primitives import ct_equal, derive_secret, extract, i2osp, mac
from .rng import RandomSource, draw_bytes
from .state import ServerLoginState

__all__ = [
    "DerivedKeys",
    "auth_client_finalize",
    "auth_client_start",
    "auth_server_finalize",
    "auth_server_respond",
    "check_context",
    "derive_diffie_hellman_key_pair",
    "derive_keys",
    "diffie_hellman",
    "preamble",
]

DH_KEY_PAIR_INFO = b"OPAQUE-DeriveDiffieHellmanKeyPair"


def derive_diffie_hellman_key_pair(seed: bytes) -> KeyPair:
    """DeriveDiffieHellmanKeyPair(seed) for ristretto255 (RFC 9807 §6.4.1)."""
    if len(seed) != Nseed:
        raise InvalidInputError(f"key pair seed must be {Nseed} bytes")
    return oprf.derive_key_pair(seed, DH_KEY_PAIR_INFO)


def diffie_hellman(k: Scalar, public_key: Element) -> Element:
    """DiffieHellman(k, B): multiply and encode. The result is never the identity
    (RFC 9807 §10.7).

    B is already decoded and checked (not the identity, canonical): every public key
    reaching here comes from a message or record whose constructor validated it, or, on
    the client, from RecoverCredentials, which validates the unmasked server key."""
    return group.scalar_mult(k, public_key)


def check_context(context: object) -> bytes:
    """The application context: bytes of at most 2^16-1 (two-byte prefix)."""
    if not isinstance(context, bytes):
        raise TypeError(f"context must be bytes, got {type(context).__name__}")
    if len(context) > MAX_PREFIXED_LEN:
        raise InvalidInputError(f"context must be at most {MAX_PREFIXED_LEN} bytes")
    return context


def preamble(
    context: bytes,
    client_identity: bytes,
    ke1: bytes,
    server_identity: bytes,
    credential_response: bytes,
    server_nonce: bytes,
    server_public_keyshare: bytes,
) -> bytes:
    """Preamble (RFC 9807 §6.4.2.1): the transcript that both MACs cover."""
    check_context(context)
    return (
        b"OPAQUEv1-"
        + i2osp(len(context), 2)
        + context
        + i2osp(len(client_identity), 2)
        + client_identity
        + ke1
        + i2osp(len(server_identity), 2)
        + server_identity
        + credential_response
        + server_nonce
        + server_public_keyshare
    )


class DerivedKeys(NamedTuple):
    handshake_secret: bytes
    km2: bytes  # server MAC key
    km3: bytes  # client MAC key
    session_key: bytes


def derive_keys(ikm: bytes, preamble_bytes: bytes) -> DerivedKeys:
    """DeriveKeys(ikm, preamble) (RFC 9807 §6.4.2.2); also returns handshake_secret
    so it can be checked against the test vectors."""
    prk = extract(b"", ikm)
    preamble_hash = hashlib.sha512(preamble_bytes).digest()
    handshake_secret = derive_secret(prk, b"HandshakeSecret", preamble_hash)
    session_key = derive_secret(prk, b"SessionKey", preamble_hash)
    km2 = derive_secret(handshake_secret, b"ServerMAC", b"")
    km3 = derive_secret(handshake_secret, b"ClientMAC", b"")
    return DerivedKeys(handshake_secret, km2, km3, session_key)


class _Macs(NamedTuple):
    server_mac: bytes
    expected_client_mac: bytes
    session_key: bytes


def _macs(ikm: bytes, preamble_bytes: bytes) -> _Macs:
    keys = derive_keys(ikm, preamble_bytes)
    transcript = hashlib.sha512(preamble_bytes)
    server_mac = mac(keys.km2, transcript.digest())
    # Hash(concat(preamble, server_mac)): continue the same hash state.
    transcript.update(server_mac)
    client_mac = mac(keys.km3, transcript.digest())
    return _Macs(server_mac, client_mac, keys.session_key)


def auth_client_start(
    credential_request: CredentialRequest, rng: RandomSource
) -> tuple[KE1, Scalar]:
    """AuthClientStart: a fresh nonce and ephemeral key share; returns KE1 and
    the ephemeral secret (client_secret) for the client state."""
    client_nonce = draw_bytes(rng, Nn)
    client_keyshare_seed = draw_bytes(rng, Nseed)
    client_secret, client_public_keyshare = derive_diffie_hellman_key_pair(client_keyshare_seed)
    ke1 = KE1(credential_request, AuthRequest(client_nonce, client_public_keyshare))
    return ke1, client_secret


def auth_server_respond(
    cleartext_credentials: CleartextCredentials,
    server_private_key: Scalar,
    client_public_key: bytes,
    ke1: KE1,
    credential_response_bytes: bytes,
    context: bytes,
    rng: RandomSource,
) -> tuple[AuthResponse, ServerLoginState]:
    """AuthServerRespond: the server's key share and MAC, and the state that
    ServerFinish checks KE3 against."""
    server_nonce = draw_bytes(rng, Nn)
    server_keyshare_seed = draw_bytes(rng, Nseed)
    server_private_keyshare, server_public_keyshare = derive_diffie_hellman_key_pair(
        server_keyshare_seed
    )
    preamble_bytes = preamble(
        context,
        cleartext_credentials.client_identity,
        ke1.to_bytes(),
        cleartext_credentials.server_identity,
        credential_response_bytes,
        server_nonce,
        server_public_keyshare,
    )
    # Validated when KE1 and the registration record were built.
    client_keyshare = Element(ke1.auth_request.client_public_keyshare)
    ikm = (
        diffie_hellman(server_private_keyshare, client_keyshare)
        + diffie_hellman(server_private_key, client_keyshare)
        + diffie_hellman(server_private_keyshare, Element(client_public_key))
    )
    macs = _macs(ikm, preamble_bytes)
    state = ServerLoginState(macs.expected_client_mac, macs.session_key)
    return AuthResponse(server_nonce, server_public_keyshare, macs.server_mac), state


def auth_client_finalize(
    cleartext_credentials: CleartextCredentials,
    client_private_key: Scalar,
    client_secret: Scalar,
    ke1: KE1,
    ke2: KE2,
    context: bytes,
) -> tuple[KE3, bytes]:
    """AuthClientFinalize: verify the server MAC (ServerAuthenticationError),
    then return KE3 and the session key."""
    # Validated when KE2 was built, and by RecoverCredentials for the server key.
    server_keyshare = Element(ke2.auth_response.server_public_keyshare)
    try:
        ikm = (
            diffie_hellman(client_secret, server_keyshare)
            + diffie_hellman(client_secret, Element(cleartext_credentials.server_public_key))
            + diffie_hellman(client_private_key, server_keyshare)
        )
    except MalformedMessageError:
        # Only reachable with a key that passed the envelope MAC yet is not a
        # valid element: treat it as a failed server authentication.
        raise ServerAuthenticationError("server key material is invalid") from None
    preamble_bytes = preamble(
        context,
        cleartext_credentials.client_identity,
        ke1.to_bytes(),
        cleartext_credentials.server_identity,
        ke2.credential_response.to_bytes(),
        ke2.auth_response.server_nonce,
        server_keyshare,
    )
    macs = _macs(ikm, preamble_bytes)
    if not ct_equal(ke2.auth_response.server_mac, macs.server_mac):
        raise ServerAuthenticationError("server MAC does not verify")
    return KE3(macs.expected_client_mac), macs.session_key


def auth_server_finalize(state: ServerLoginState, ke3: KE3) -> bytes:
    """AuthServerFinalize: the session key only if the client's MAC verifies."""
    if not ct_equal(ke3.client_mac, state.expected_client_mac):
        raise ClientAuthenticationError("client MAC does not verify")
    return state.session_key
