"""tests/vectors/sealing.json against the SDK's sealing.py (the browser client checks it too).

Every intermediate is recomputed here with the `cryptography` primitives directly, so a
change to sealing.py that drifts from the documented construction fails here, and a
vector file that drifts from sealing.py fails too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA512
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from invite_auth.sealing import (
    SealedBundle,
    SealingError,
    derive_sealing_key,
    open_bundle,
    seal_bundle_with,
    sealing_public_key,
)

VECTORS_DIR = Path(__file__).resolve().parents[1] / "vectors"
DATA: dict[str, Any] = json.loads((VECTORS_DIR / "sealing.json").read_text(encoding="utf-8"))
RAW = serialization.Encoding.Raw


def hkdf(ikm: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=SHA512(), length=32, salt=b"", info=info).derive(ikm)


def by_name(items: list[dict[str, Any]]) -> list[Any]:
    return [pytest.param(item, id=item["name"]) for item in items]


def test_the_file_has_vectors_and_failures() -> None:
    assert len(DATA["vectors"]) >= 3
    assert len(DATA["failures"]) >= 5


@pytest.mark.parametrize("v", by_name(DATA["vectors"]))
def test_intermediates_follow_the_documented_construction(v: dict[str, Any]) -> None:
    export_key = bytes.fromhex(v["export_key"])
    sk = hkdf(export_key, b"invite-auth sealing key v1")
    assert sk.hex() == v["sealing_private_key"]
    pk = (
        X25519PrivateKey.from_private_bytes(sk)
        .public_key()
        .public_bytes(RAW, serialization.PublicFormat.Raw)
    )
    assert pk.hex() == v["sealing_public_key"]
    e = X25519PrivateKey.from_private_bytes(bytes.fromhex(v["ephemeral_private_key"]))
    big_e = e.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    assert big_e.hex() == v["ephemeral_public_key"]
    shared = e.exchange(X25519PublicKey.from_public_bytes(pk))
    assert shared.hex() == v["shared_secret"]
    # The client computes the same shared secret from its side.
    assert (
        X25519PrivateKey.from_private_bytes(sk).exchange(X25519PublicKey.from_public_bytes(big_e))
        == shared
    )
    info = b"invite-auth sealed bundle v1" + big_e + pk + v["account"].encode("utf-8")
    assert info.hex() == v["bundle_key_info"]
    key = hkdf(shared, info)
    assert key.hex() == v["bundle_key"]
    plaintext = AESGCM(key).decrypt(
        bytes.fromhex(v["nonce"]), bytes.fromhex(v["ciphertext"]), v["account"].encode("utf-8")
    )
    assert plaintext.decode("utf-8") == v["plaintext"]
    assert json.loads(plaintext) == v["mfa"]


@pytest.mark.parametrize("v", by_name(DATA["vectors"]))
def test_sealing_py_reproduces_every_vector(v: dict[str, Any]) -> None:
    export_key = bytes.fromhex(v["export_key"])
    assert sealing_public_key(export_key).hex() == v["sealing_public_key"]
    assert (
        derive_sealing_key(export_key)
        .private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        .hex()
        == v["sealing_private_key"]
    )
    bundle = seal_bundle_with(
        X25519PrivateKey.from_private_bytes(bytes.fromhex(v["ephemeral_private_key"])),
        bytes.fromhex(v["nonce"]),
        bytes.fromhex(v["sealing_public_key"]),
        v["account"],
        v["mfa"],
    )
    assert bundle.ephemeral_public_key.hex() == v["ephemeral_public_key"]
    assert bundle.ciphertext.hex() == v["ciphertext"]
    assert open_bundle(export_key, v["account"], bundle) == v["mfa"]


@pytest.mark.parametrize("f", by_name(DATA["failures"]))
def test_sealing_py_refuses_every_failure_case(f: dict[str, Any]) -> None:
    bundle = SealedBundle(
        bytes.fromhex(f["ephemeral_public_key"]),
        bytes.fromhex(f["nonce"]),
        bytes.fromhex(f["ciphertext"]),
    )
    with pytest.raises(SealingError):
        open_bundle(bytes.fromhex(f["export_key"]), f["account"], bundle)


def test_the_file_is_what_the_generator_writes() -> None:
    """The committed file is the generator's output (regenerate after changing either)."""
    from tests.vectors.generate_sealing import render

    assert (VECTORS_DIR / "sealing.json").read_text(encoding="utf-8") == render()
