from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TotpConfirmRequest")


@_attrs_define
class TotpConfirmRequest:
    """
    Attributes:
        totp_code (str): A current 6-digit code of the new (pending) TOTP secret (spaces ignored).
    """

    totp_code: str

    def to_dict(self) -> dict[str, Any]:
        totp_code = self.totp_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "totp_code": totp_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        totp_code = d.pop("totp_code")

        totp_confirm_request = cls(
            totp_code=totp_code,
        )

        return totp_confirm_request
