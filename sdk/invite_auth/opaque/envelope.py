"""Client credential storage and key recovery (RFC 9807 §4.1): Store and
Recover, plus the masking of the credential response (§6.3.2)."""

from __future__ import annotations

from typing import NamedTuple

from . import group
from .constants import Nh, Nm, Nn, Npk, Nseed
from .credentials import CleartextCredentials
from .errors import EnvelopeRecoveryError, MalformedMessageError
from .group import Scalar
from .key_exchange import derive_diffie_hellman_key_pair
from .messages import Envelope
from .primitives import ct_equal, expand, mac
from .rng import RandomSource, draw_bytes

__all__ = [
    "EnvelopeKeys",
    "RecoverResult",
    "StoreResult",
    "credential_response_pad",
    "derive_envelope_keys",
    "derive_masking_key",
    "recover",
    "store",
]


class EnvelopeKeys(NamedTuple):
    auth_key: bytes
    export_key: bytes
    seed: bytes  # client key pair seed


class StoreResult(NamedTuple):
    envelope: Envelope
    client_public_key: bytes
    masking_key: bytes
    export_key: bytes


class RecoverResult(NamedTuple):
    client_private_key: Scalar
    cleartext_credentials: CleartextCredentials
    export_key: bytes


def derive_masking_key(randomized_password: bytes) -> bytes:
    """masking_key = Expand(randomized_password, "MaskingKey", Nh)."""
    return expand(randomized_password, b"MaskingKey", Nh)


def derive_envelope_keys(randomized_password: bytes, envelope_nonce: bytes) -> EnvelopeKeys:
    """The nonce-bound keys of Store and Recover."""
    return EnvelopeKeys(
        auth_key=expand(randomized_password, envelope_nonce + b"AuthKey", Nh),
        export_key=expand(randomized_password, envelope_nonce + b"ExportKey", Nh),
        seed=expand(randomized_password, envelope_nonce + b"PrivateKey", Nseed),
    )


def credential_response_pad(masking_key: bytes, masking_nonce: bytes) -> bytes:
    """Expand(masking_key, masking_nonce || "CredentialResponsePad", Npk + Nn + Nm):
    the one-time pad over server_public_key || envelope."""
    return expand(masking_key, masking_nonce + b"CredentialResponsePad", Npk + Nn + Nm)


def _auth_tag(auth_key: bytes, envelope_nonce: bytes, creds: CleartextCredentials) -> bytes:
    return mac(auth_key, envelope_nonce + creds.serialize())


def store(
    randomized_password: bytes,
    server_public_key: bytes,
    server_identity: bytes | None,
    client_identity: bytes | None,
    rng: RandomSource,
) -> StoreResult:
    """Store (RFC 9807 §4.1.2): build the envelope for a new registration."""
    envelope_nonce = draw_bytes(rng, Nn)
    masking_key = derive_masking_key(randomized_password)
    keys = derive_envelope_keys(randomized_password, envelope_nonce)
    _, client_public_key = derive_diffie_hellman_key_pair(keys.seed)
    creds = CleartextCredentials.create(
        server_public_key, client_public_key, server_identity, client_identity
    )
    envelope = Envelope(envelope_nonce, _auth_tag(keys.auth_key, envelope_nonce, creds))
    return StoreResult(envelope, client_public_key, masking_key, keys.export_key)


def recover(
    randomized_password: bytes,
    server_public_key: bytes,
    envelope: Envelope,
    server_identity: bytes | None,
    client_identity: bytes | None,
) -> RecoverResult:
    """Recover (RFC 9807 §4.1.3): re-derive the client key pair and check the tag.

    `server_public_key` comes out of the unmasked response and is not trusted:
    the tag check comes first, and an invalid key after a good tag is still
    reported as EnvelopeRecoveryError, so a wrong password fails one way only."""
    keys = derive_envelope_keys(randomized_password, envelope.envelope_nonce)
    client_private_key, client_public_key = derive_diffie_hellman_key_pair(keys.seed)
    creds = CleartextCredentials.create(
        server_public_key, client_public_key, server_identity, client_identity
    )
    expected_tag = _auth_tag(keys.auth_key, envelope.envelope_nonce, creds)
    if not ct_equal(envelope.auth_tag, expected_tag):
        raise EnvelopeRecoveryError("envelope does not verify (wrong password?)")
    try:
        group.deserialize_element(server_public_key)
    except MalformedMessageError:
        raise EnvelopeRecoveryError("recovered server public key is invalid") from None
    return RecoverResult(client_private_key, creds, keys.export_key)
