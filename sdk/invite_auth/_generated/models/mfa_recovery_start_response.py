from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MfaRecoveryStartResponse")


@_attrs_define
class MfaRecoveryStartResponse:
    """
    Attributes:
        recovery_id (str): The handle of the recovery, for `finishMfaRecovery`.
        ke2 (str): RFC 9807 `KE2` (320 bytes), base64url without padding.
        expires_at (datetime.datetime):
    """

    recovery_id: str
    ke2: str
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        recovery_id = self.recovery_id

        ke2 = self.ke2

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recovery_id": recovery_id,
                "ke2": ke2,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recovery_id = d.pop("recovery_id")

        ke2 = d.pop("ke2")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        mfa_recovery_start_response = cls(
            recovery_id=recovery_id,
            ke2=ke2,
            expires_at=expires_at,
        )

        return mfa_recovery_start_response
