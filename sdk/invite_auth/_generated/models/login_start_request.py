from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginStartRequest")


@_attrs_define
class LoginStartRequest:
    """
    Attributes:
        account (str):
        ke1 (str): RFC 9807 `KE1` (96 bytes), base64url without padding.
        device_token (None | str | Unset): The `device_token` from an earlier successful login for this name, if the
            client has one.
    """

    account: str
    ke1: str
    device_token: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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
        account = d.pop("account")

        ke1 = d.pop("ke1")

        def _parse_device_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_token = _parse_device_token(d.pop("device_token", UNSET))

        login_start_request = cls(
            account=account,
            ke1=ke1,
            device_token=device_token,
        )

        return login_start_request
