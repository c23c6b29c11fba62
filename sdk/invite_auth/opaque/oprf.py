"""RFC 9497 OPRF, mode 0x00 (modeOPRF), suite ristretto255-SHA512."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from . import group
from .constants import MAX_PREFIXED_LEN
from .errors import DeriveKeyPairError, InvalidInputError, MalformedMessageError
from .group import Element, Scalar
from .primitives import i2osp
from .rng import RandomSource

__all__ = [
    "CONTEXT_STRING",
    "BlindResult",
    "KeyPair",
    "blind",
    "blind_evaluate",
    "derive_key_pair",
    "derive_secret_scalar",
    "evaluate",
    "expand_message_xmd",
    "finalize",
    "hash_to_group",
    "hash_to_scalar",
]

MODE_OPRF = 0x00
IDENTIFIER = b"ristretto255-SHA512"
# CreateContextString(mode, identifier) = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier
CONTEXT_STRING = b"OPRFV1-" + i2osp(MODE_OPRF, 1) + b"-" + IDENTIFIER
HASH_TO_GROUP_DST = b"HashToGroup-" + CONTEXT_STRING
HASH_TO_SCALAR_DST = b"HashToScalar-" + CONTEXT_STRING
DERIVE_KEY_PAIR_DST = b"DeriveKeyPair" + CONTEXT_STRING

_B_IN_BYTES = 64  # SHA-512 output size
_S_IN_BYTES = 128  # SHA-512 block size


class KeyPair(NamedTuple):
    sk: Scalar
    pk: Element


class BlindResult(NamedTuple):
    blind: Scalar
    blinded_element: Element


def expand_message_xmd(msg: bytes, dst: bytes, len_in_bytes: int) -> bytes:
    """expand_message_xmd with SHA-512 (RFC 9380 §5.3.1)."""
    ell = -(-len_in_bytes // _B_IN_BYTES)
    if ell > 255 or len_in_bytes > 65535 or len(dst) > 255:
        raise InvalidInputError("expand_message_xmd parameters out of range")
    dst_prime = dst + i2osp(len(dst), 1)
    z_pad = bytes(_S_IN_BYTES)
    l_i_b_str = i2osp(len_in_bytes, 2)
    b_0 = hashlib.sha512(z_pad + msg + l_i_b_str + i2osp(0, 1) + dst_prime).digest()
    b_i = hashlib.sha512(b_0 + i2osp(1, 1) + dst_prime).digest()
    uniform_bytes = b_i
    for i in range(2, ell + 1):
        chained = bytes(x ^ y for x, y in zip(b_0, b_i, strict=True))
        b_i = hashlib.sha512(chained + i2osp(i, 1) + dst_prime).digest()
        uniform_bytes += b_i
    return uniform_bytes[:len_in_bytes]


def hash_to_group(msg: bytes, dst: bytes = HASH_TO_GROUP_DST) -> bytes:
    """HashToGroup: hash_to_ristretto255 (RFC 9380 Appendix B).

    Returns the encoding unvalidated: the identity is possible in theory, and
    callers decide what that means (Blind raises InvalidInputError)."""
    return group.element_from_uniform_bytes(expand_message_xmd(msg, dst, 64))


def hash_to_scalar(msg: bytes, dst: bytes = HASH_TO_SCALAR_DST) -> bytes:
    """HashToScalar: 64 uniform bytes read little-endian, reduced mod the order.

    May return zero; DeriveKeyPair retries in that case."""
    return group.scalar_from_wide_bytes(expand_message_xmd(msg, dst, 64))


def derive_key_pair(seed: bytes, info: bytes) -> KeyPair:
    """DeriveKeyPair(seed, info) (RFC 9497 §3.2.1)."""
    sk = derive_secret_scalar(seed, info)
    return KeyPair(sk, group.scalar_mult_base(sk))


def derive_secret_scalar(seed: bytes, info: bytes) -> Scalar:
    """DeriveKeyPair's private key alone, for callers that never use the public key
    (the per-credential OPRF key): saves a base-point multiplication per call."""
    if len(info) > MAX_PREFIXED_LEN:
        raise InvalidInputError("DeriveKeyPair info too long")
    derive_input = seed + i2osp(len(info), 2) + info
    for counter in range(256):
        candidate = hash_to_scalar(derive_input + i2osp(counter, 1), DERIVE_KEY_PAIR_DST)
        try:
            return group.deserialize_scalar(candidate)
        except MalformedMessageError:
            continue  # only a zero scalar can land here
    raise DeriveKeyPairError("DeriveKeyPair found no non-zero scalar")


def _input_element(private_input: bytes) -> Element:
    if len(private_input) > MAX_PREFIXED_LEN:
        raise InvalidInputError(f"OPRF input must be at most {MAX_PREFIXED_LEN} bytes")
    element = hash_to_group(private_input)
    # libsodium's from_hash always yields a canonical encoding of a valid point, so the
    # one thing to rule out is the identity (RFC 9497 Blind: InvalidInputError).
    if group.is_identity(element):
        raise InvalidInputError("OPRF input maps to the identity element")
    return group.Element(element)


def blind(private_input: bytes, rng: RandomSource) -> BlindResult:
    """Blind(input): blind = RandomScalar(), blindedElement = blind * HashToGroup(input)."""
    input_element = _input_element(private_input)
    r = group.random_scalar(rng)
    return BlindResult(r, group.scalar_mult(r, input_element))


def blind_evaluate(sk: Scalar, blinded_element: Element) -> Element:
    """BlindEvaluate(skS, blindedElement) = skS * blindedElement."""
    return group.scalar_mult(sk, blinded_element)


def _finalize_hash(private_input: bytes, unblinded_element: bytes) -> bytes:
    hash_input = (
        i2osp(len(private_input), 2)
        + private_input
        + i2osp(len(unblinded_element), 2)
        + unblinded_element
        + b"Finalize"
    )
    return hashlib.sha512(hash_input).digest()


def finalize(private_input: bytes, blind: Scalar, evaluated_element: Element) -> bytes:
    """Finalize(input, blind, evaluatedElement): unblind and hash, Nh bytes."""
    if len(private_input) > MAX_PREFIXED_LEN:
        raise InvalidInputError(f"OPRF input must be at most {MAX_PREFIXED_LEN} bytes")
    n = group.scalar_mult(group.scalar_inverse(blind), evaluated_element)
    return _finalize_hash(private_input, n)


def evaluate(sk: Scalar, private_input: bytes) -> bytes:
    """Evaluate(skS, input): the PRF computed directly by someone holding the key."""
    return _finalize_hash(private_input, group.scalar_mult(sk, _input_element(private_input)))
