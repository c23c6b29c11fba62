from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.sealed_totp import SealedTotp


T = TypeVar("T", bound="SealedTotpResponse")


@_attrs_define
class SealedTotpResponse:
    """
    Attributes:
        sealed_totp (SealedTotp): The new, pending `TotpSecrets`, sealed to the account's sealing public key with the
            construction of `SealedMfa` (see `finishRegistration`; the account name is the
            associated data).
    """

    sealed_totp: SealedTotp

    def to_dict(self) -> dict[str, Any]:
        sealed_totp = self.sealed_totp.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sealed_totp": sealed_totp,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sealed_totp import SealedTotp

        d = dict(src_dict)
        sealed_totp = SealedTotp.from_dict(d.pop("sealed_totp"))

        sealed_totp_response = cls(
            sealed_totp=sealed_totp,
        )

        return sealed_totp_response
