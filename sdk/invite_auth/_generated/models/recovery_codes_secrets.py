from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RecoveryCodesSecrets")


@_attrs_define
class RecoveryCodesSecrets:
    """The plaintext of `SealedRecoveryCodes` (compact UTF-8 JSON).

    Attributes:
        recovery_codes (list[str]): Ten new single-use recovery codes of 80 bits each, grouped for reading.
    """

    recovery_codes: list[str]

    def to_dict(self) -> dict[str, Any]:
        recovery_codes = self.recovery_codes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recovery_codes": recovery_codes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recovery_codes = cast(list[str], d.pop("recovery_codes"))

        recovery_codes_secrets = cls(
            recovery_codes=recovery_codes,
        )

        return recovery_codes_secrets
