from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TotpSecrets")


@_attrs_define
class TotpSecrets:
    """The plaintext of `SealedTotp` (compact UTF-8 JSON).

    Attributes:
        totp_secret (str): The new RFC 6238 secret in base32 (160 bits; SHA-1, 6 digits, 30 s).
        otpauth_uri (str): `otpauth://totp/<issuer>:<account>?secret=…&issuer=<issuer>`, for a QR code.
    """

    totp_secret: str
    otpauth_uri: str

    def to_dict(self) -> dict[str, Any]:
        totp_secret = self.totp_secret

        otpauth_uri = self.otpauth_uri

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "totp_secret": totp_secret,
                "otpauth_uri": otpauth_uri,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        totp_secret = d.pop("totp_secret")

        otpauth_uri = d.pop("otpauth_uri")

        totp_secrets = cls(
            totp_secret=totp_secret,
            otpauth_uri=otpauth_uri,
        )

        return totp_secrets
