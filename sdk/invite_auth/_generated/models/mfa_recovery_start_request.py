from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MfaRecoveryStartRequest")


@_attrs_define
class MfaRecoveryStartRequest:
    """
    Attributes:
        recovery_invite (str): The recovery invite from the MFA reset; opaque to clients.
        account (str):
        ke1 (str): RFC 9807 `KE1` (96 bytes), base64url without padding.
        device_token (None | str | Unset): The `device_token` from an earlier successful login for this name, if the
            client has one.
    """

    recovery_invite: str
    account: str
    ke1: str
    device_token: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recovery_invite = self.recovery_invite

        account = self.account

        ke1 = self.ke1

        device_token: None | str | Unset
        if isinstance(self.device_token, Unset):
            device_token = UNSET
        else:
            device_token = self.device_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recovery_invite": recovery_invite,
                "account": account,
                "ke1": ke1,
            }
        )
        if device_token is not UNSET:
            field_dict["device_token"] = device_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recovery_invite = d.pop("recovery_invite")

        account = d.pop("account")

        ke1 = d.pop("ke1")

        def _parse_device_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_token = _parse_device_token(d.pop("device_token", UNSET))

        mfa_recovery_start_request = cls(
            recovery_invite=recovery_invite,
            account=account,
            ke1=ke1,
            device_token=device_token,
        )

        return mfa_recovery_start_request
