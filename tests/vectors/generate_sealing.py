"""Write tests/vectors/sealing.json: sealed-MFA-bundle vectors made with the SDK's sealing.py.

    python tests/vectors/generate_sealing.py

The inputs are fixed (derived from SHA-512 of labels), so the output is the same every run.
The Python tests (`tests/sdk/test_sealing_vectors.py`) check that sealing.py still
reproduces every value; the browser client's unit tests (`web/test/sealing.test.js`) check
that WebCrypto opens every bundle and refuses every failure case.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hashes import SHA512
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from invite_auth.sealing import (
    SEALED_BUNDLE_INFO,
    derive_sealing_key,
    seal_bundle_with,
    sealing_public_key,
)

OUT = Path(__file__).with_name("sealing.json")
RAW = serialization.Encoding.Raw


def fixed(label: str, size: int) -> bytes:
    return hashlib.sha512(f"invite-auth sealing vector: {label}".encode()).digest()[:size]


def mfa(account: str, seed: str) -> dict[str, Any]:
    secret = "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[b % 32] for b in fixed(seed, 32))
    codes = [
        "-".join(
            "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[b % 32] for b in fixed(f"{seed} {i} {g}", 4))
            for g in range(4)
        )
        for i in range(10)
    ]
    label = account.encode().hex()  # percent-encoding, spelled out so nothing is guessed
    quoted = "".join(f"%{label[i : i + 2].upper()}" for i in range(0, len(label), 2))
    return {
        "totp_secret": secret,
        "otpauth_uri": f"otpauth://totp/invite-auth:{quoted}?secret={secret}&issuer=invite-auth",
        "recovery_codes": codes,
    }


def vector(name: str, account: str) -> dict[str, Any]:
    export_key = fixed(f"{name} export_key", 64)
    ephemeral = X25519PrivateKey.from_private_bytes(fixed(f"{name} ephemeral", 32))
    nonce = fixed(f"{name} nonce", 12)
    payload = mfa(account, name)
    recipient = sealing_public_key(export_key)
    bundle = seal_bundle_with(ephemeral, nonce, recipient, account, payload)
    # The intermediates, for implementations to debug against.
    sealing_private = derive_sealing_key(export_key).private_bytes(
        RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    info = SEALED_BUNDLE_INFO + bundle.ephemeral_public_key + recipient + account.encode()
    key = HKDF(algorithm=SHA512(), length=32, salt=b"", info=info).derive(shared)
    plaintext = json.dumps(payload, separators=(",", ":"))
    return {
        "name": name,
        "export_key": export_key.hex(),
        "account": account,
        "sealing_private_key": sealing_private.hex(),
        "sealing_public_key": recipient.hex(),
        "ephemeral_private_key": ephemeral.private_bytes(
            RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        ).hex(),
        "ephemeral_public_key": bundle.ephemeral_public_key.hex(),
        "shared_secret": shared.hex(),
        "bundle_key_info": info.hex(),
        "bundle_key": key.hex(),
        "nonce": bundle.nonce.hex(),
        "plaintext": plaintext,
        "ciphertext": bundle.ciphertext.hex(),
        "mfa": payload,
    }


def failures(base: dict[str, Any]) -> list[dict[str, Any]]:
    ct = bytes.fromhex(base["ciphertext"])
    common = {
        "export_key": base["export_key"],
        "account": base["account"],
        "ephemeral_public_key": base["ephemeral_public_key"],
        "nonce": base["nonce"],
        "ciphertext": base["ciphertext"],
    }
    return [
        {**common, "name": "other account (other associated data and key)", "account": "rooT"},
        {**common, "name": "tampered tag", "ciphertext": (ct[:-1] + bytes([ct[-1] ^ 1])).hex()},
        {
            **common,
            "name": "tampered ciphertext",
            "ciphertext": (bytes([ct[0] ^ 1]) + ct[1:]).hex(),
        },
        {**common, "name": "other export key", "export_key": fixed("other export_key", 64).hex()},
        {**common, "name": "other nonce", "nonce": fixed("other nonce", 12).hex()},
        # X25519 with these points gives the all-zero shared secret: refused, never used.
        {**common, "name": "low-order ephemeral key (zero)", "ephemeral_public_key": "00" * 32},
        {
            **common,
            "name": "low-order ephemeral key (one)",
            "ephemeral_public_key": "01".ljust(64, "0"),
        },
    ]


def build() -> dict[str, Any]:
    vectors = [vector("root", "root"), vector("owner", "owner.example-1"), vector("utf8", "Zoë")]
    return {
        "description": (
            "Sealed MFA bundle (openapi.yaml, finishRegistration): sk = HKDF-SHA512(salt='', "
            "ikm=export_key, info='invite-auth sealing key v1', L=32); pk = X25519(sk, 9); "
            "shared = X25519(e, pk); key = HKDF-SHA512(salt='', ikm=shared, info='invite-auth "
            "sealed bundle v1' || E || pk || UTF-8(account), L=32); ciphertext = "
            "AES-256-GCM(key, nonce, plaintext, aad=UTF-8(account)). Bytes are lowercase hex. "
            "Generated by tests/vectors/generate_sealing.py from the SDK's sealing.py."
        ),
        "vectors": vectors,
        "failures": failures(vectors[0]),
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
