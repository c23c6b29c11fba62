from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SealedRecoveryCodes")


@_attrs_define
class SealedRecoveryCodes:
    """The new `RecoveryCodesSecrets`, sealed to the account's sealing public key with the
    construction of `SealedMfa` (see `finishRegistration`; the account name is the
    associated data).

        Attributes:
            ephemeral_public_key (str): The server's ephemeral X25519 public key `E` (32 bytes), base64url without padding.
            nonce (str): The AES-GCM nonce (12 bytes), base64url without padding.
            ciphertext (str): AES-256-GCM ciphertext followed by the 16-byte tag, base64url without padding.
    """

    ephemeral_public_key: str
    nonce: str
    ciphertext: str

    def to_dict(self) -> dict[str, Any]:
        ephemeral_public_key = self.ephemeral_public_key

        nonce = self.nonce

        ciphertext = self.ciphertext

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ephemeral_public_key": ephemeral_public_key,
                "nonce": nonce,
                "ciphertext": ciphertext,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ephemeral_public_key = d.pop("ephemeral_public_key")

        nonce = d.pop("nonce")

        ciphertext = d.pop("ciphertext")

        sealed_recovery_codes = cls(
            ephemeral_public_key=ephemeral_public_key,
            nonce=nonce,
            ciphertext=ciphertext,
        )

        return sealed_recovery_codes
