"""ristretto255 (de)serialization rules and the symmetric primitives."""

from __future__ import annotations

import pysodium
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from hypothesis import given, settings
from hypothesis import strategies as st

from invite_auth.opaque import InvalidInputError, MalformedMessageError, group, oprf
from invite_auth.opaque.group import Scalar
from invite_auth.opaque.primitives import (
    ct_equal,
    expand,
    expand_label,
    extract,
    i2osp,
    mac,
    xor,
)

ORDER = 2**252 + 27742317777372353535851937790883648493
FIELD_P = 2**255 - 19
GENERATOR = bytes(pysodium.crypto_scalarmult_ristretto255_base((1).to_bytes(32, "little")))


def le(n: int) -> bytes:
    return n.to_bytes(32, "little")


def test_generator_round_trips() -> None:
    assert group.deserialize_element(GENERATOR) == GENERATOR


def test_identity_is_rejected() -> None:
    assert pysodium.crypto_core_ristretto255_is_valid_point(bytes(32))  # libsodium says yes
    with pytest.raises(MalformedMessageError, match="identity"):
        group.deserialize_element(bytes(32))


def test_top_bit_set_is_rejected() -> None:
    # libsodium 1.0.18 decodes this as the generator; RFC 9496 says reject.
    aliased = GENERATOR[:31] + bytes([GENERATOR[31] | 0x80])
    with pytest.raises(MalformedMessageError, match="top bit"):
        group.deserialize_element(aliased)


@pytest.mark.parametrize(
    "encoding",
    [
        le(FIELD_P),  # s = p: not reduced
        le(FIELD_P + 2),  # s > p
        le(1),  # odd ("negative") field element
        b"\xff" * 32,
    ],
)
def test_non_canonical_encodings_are_rejected(encoding: bytes) -> None:
    with pytest.raises(MalformedMessageError):
        group.deserialize_element(encoding)


@settings(max_examples=200)
@given(st.binary(min_size=32, max_size=32))
def test_random_32_bytes_decode_or_raise_malformed(data: bytes) -> None:
    try:
        element = group.deserialize_element(data)
    except MalformedMessageError:
        return
    # A valid element survives a scalar multiplication round trip.
    k = group.deserialize_scalar(le(5))
    k_inv = group.scalar_inverse(k)
    assert group.scalar_mult(k_inv, group.scalar_mult(k, element)) == element


@pytest.mark.parametrize("value", [0, ORDER, ORDER + 1, 2**256 - 1])
def test_bad_scalars_are_rejected(value: int) -> None:
    with pytest.raises(MalformedMessageError):
        group.deserialize_scalar(le(value))


@pytest.mark.parametrize("value", [1, 2, ORDER - 1])
def test_good_scalars_are_accepted(value: int) -> None:
    assert group.deserialize_scalar(le(value)) == le(value)


def test_wrong_sizes() -> None:
    with pytest.raises(MalformedMessageError):
        group.deserialize_element(GENERATOR[:31])
    with pytest.raises(MalformedMessageError):
        group.deserialize_scalar(bytes(33))
    with pytest.raises(InvalidInputError):
        group.scalar_from_wide_bytes(bytes(32))
    with pytest.raises(InvalidInputError):
        group.element_from_uniform_bytes(bytes(32))


def test_libsodium_value_errors_are_wrapped() -> None:
    # Unchecked inputs that make pysodium raise its empty ValueError.
    with pytest.raises(MalformedMessageError):
        group.scalar_inverse(Scalar(bytes(32)))
    with pytest.raises(MalformedMessageError):
        group.scalar_mult(Scalar(bytes(32)), group.Element(GENERATOR))
    with pytest.raises(MalformedMessageError):
        group.scalar_mult_base(Scalar(le(ORDER)))


def test_random_source_is_checked() -> None:
    class ZeroScalar:
        def random_bytes(self, n: int) -> bytes:
            return bytes(n - 1)

        def random_scalar(self) -> bytes:
            return bytes(32)

    with pytest.raises(InvalidInputError):
        group.random_scalar(ZeroScalar())
    with pytest.raises(InvalidInputError):
        oprf.blind(b"x", ZeroScalar())


def test_derive_key_pair_public_key_matches() -> None:
    sk, pk = oprf.derive_key_pair(bytes(32), b"info")
    assert group.scalar_mult_base(sk) == pk
    with pytest.raises(InvalidInputError):
        oprf.derive_key_pair(bytes(32), bytes(2**16))


def test_oprf_input_length_limit() -> None:
    class Fixed:
        def random_bytes(self, n: int) -> bytes:
            return bytes(n)

        def random_scalar(self) -> bytes:
            return le(3)

    assert len(oprf.blind(bytes(2**16 - 1), Fixed()).blinded_element) == 32
    with pytest.raises(InvalidInputError):
        oprf.blind(bytes(2**16), Fixed())


def test_expand_message_xmd_lengths_and_separation() -> None:
    out = oprf.expand_message_xmd(b"msg", b"DST", 200)
    assert len(out) == 200
    # The first block depends on the requested length (it is hashed in b_0).
    assert oprf.expand_message_xmd(b"msg", b"DST", 64) != out[:64]
    assert oprf.expand_message_xmd(b"msg", b"DST2", 200) != out
    with pytest.raises(InvalidInputError):
        oprf.expand_message_xmd(b"msg", b"D" * 256, 64)
    with pytest.raises(InvalidInputError):
        oprf.expand_message_xmd(b"msg", b"DST", 255 * 64 + 1)


@settings(max_examples=50)
@given(
    salt=st.binary(max_size=80),
    ikm=st.binary(max_size=100),
    info=st.binary(max_size=60),
    length=st.integers(1, 300),
)
def test_hkdf_matches_cryptography(salt: bytes, ikm: bytes, info: bytes, length: int) -> None:
    prk = extract(salt, ikm)
    assert len(prk) == 64
    reference = HKDF(hashes.SHA512(), length, salt or None, info).derive(ikm)
    assert expand(prk, info, length) == reference
    assert expand(prk, info, length) == HKDFExpand(hashes.SHA512(), length, info).derive(prk)


def test_expand_label_encoding() -> None:
    secret = bytes(range(64))
    custom_label = b"\x00\x40" + b"\x10OPAQUE-ServerMAC" + b"\x00"
    assert expand_label(secret, b"ServerMAC", b"", 64) == expand(secret, custom_label, 64)
    with pytest.raises(InvalidInputError):
        expand_label(secret, b"x", bytes(256), 64)


def test_small_helpers() -> None:
    assert i2osp(258, 2) == b"\x01\x02"
    with pytest.raises(InvalidInputError):
        i2osp(256, 1)
    with pytest.raises(InvalidInputError):
        i2osp(-1, 1)
    assert xor(b"\x0f\xf0", b"\xff\xff") == b"\xf0\x0f"
    assert xor(b"\x00\x01", b"\x00\x00") == b"\x00\x01"  # leading zeros kept
    with pytest.raises(InvalidInputError):
        xor(b"a", b"ab")
    assert ct_equal(b"abc", b"abc")
    assert not ct_equal(b"abc", b"abd")
    assert len(mac(b"k", b"m")) == 64
    with pytest.raises(InvalidInputError):
        expand(b"k" * 64, b"", 255 * 64 + 1)
