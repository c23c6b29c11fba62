from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.sealed_recovery_codes import SealedRecoveryCodes


T = TypeVar("T", bound="SealedRecoveryCodesResponse")


@_attrs_define
class SealedRecoveryCodesResponse:
    """
    Attributes:
        sealed_recovery_codes (SealedRecoveryCodes): The new `RecoveryCodesSecrets`, sealed to the account's sealing
            public key with the
            construction of `SealedMfa` (see `finishRegistration`; the account name is the
            associated data).
    """

    sealed_recovery_codes: SealedRecoveryCodes

    def to_dict(self) -> dict[str, Any]:
        sealed_recovery_codes = self.sealed_recovery_codes.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sealed_recovery_codes": sealed_recovery_codes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sealed_recovery_codes import SealedRecoveryCodes

        d = dict(src_dict)
        sealed_recovery_codes = SealedRecoveryCodes.from_dict(
            d.pop("sealed_recovery_codes")
        )

        sealed_recovery_codes_response = cls(
            sealed_recovery_codes=sealed_recovery_codes,
        )

        return sealed_recovery_codes_response
