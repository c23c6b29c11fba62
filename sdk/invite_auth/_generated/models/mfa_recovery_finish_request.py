from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MfaRecoveryFinishRequest")


@_attrs_define
class MfaRecoveryFinishRequest:
    """
    Attributes:
        recovery_id (str):
        ke3 (str): RFC 9807 `KE3` (64 bytes), base64url without padding.
    """

    recovery_id: str
    ke3: str

    def to_dict(self) -> dict[str, Any]:
        recovery_id = self.recovery_id

        ke3 = self.ke3

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recovery_id": recovery_id,
                "ke3": ke3,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recovery_id = d.pop("recovery_id")

        ke3 = d.pop("ke3")

        mfa_recovery_finish_request = cls(
            recovery_id=recovery_id,
            ke3=ke3,
        )

        return mfa_recovery_finish_request
