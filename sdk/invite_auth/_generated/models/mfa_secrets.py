from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MfaSecrets")


@_attrs_define
class MfaSecrets:
    """The plaintext of a `SealedMfa` bundle (compact UTF-8 JSON).

    Attributes:
        totp_secret (str): The RFC 6238 secret in base32 (160 bits; SHA-1, 6 digits, 30 s).
        otpauth_uri (str): `otpauth://totp/<issuer>:<account>?secret=…&issuer=<issuer>`, for a QR code.
        recovery_codes (list[str]): Ten single-use recovery codes of 80 bits each, grouped for reading.
    """

    totp_secret: str
    otpauth_uri: str
    recovery_codes: list[str]

    def to_dict(self) -> dict[str, Any]:
        totp_secret = self.totp_secret

        otpauth_uri = self.otpauth_uri

        recovery_codes = self.recovery_codes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "totp_secret": totp_secret,
                "otpauth_uri": otpauth_uri,
                "recovery_codes": recovery_codes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        totp_secret = d.pop("totp_secret")

        otpauth_uri = d.pop("otpauth_uri")

        recovery_codes = cast(list[str], d.pop("recovery_codes"))

        mfa_secrets = cls(
            totp_secret=totp_secret,
            otpauth_uri=otpauth_uri,
            recovery_codes=recovery_codes,
        )

        return mfa_secrets
