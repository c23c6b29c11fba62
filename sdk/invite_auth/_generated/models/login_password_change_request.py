from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginPasswordChangeRequest")


@_attrs_define
class LoginPasswordChangeRequest:
    """The login's current password, the new one (see "Password policy"), and the device token from an earlier login, if
    any.

        Attributes:
            current_password (str):
            new_password (str):
            device_token (None | str | Unset): The `device_token` from an earlier successful login for this name, if the
                client has one.
    """

    current_password: str
    new_password: str
    device_token: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        current_password = self.current_password

        new_password = self.new_password

        device_token: None | str | Unset
        if isinstance(self.device_token, Unset):
            device_token = UNSET
        else:
            device_token = self.device_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "current_password": current_password,
                "new_password": new_password,
            }
        )
        if device_token is not UNSET:
            field_dict["device_token"] = device_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        current_password = d.pop("current_password")

        new_password = d.pop("new_password")

        def _parse_device_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_token = _parse_device_token(d.pop("device_token", UNSET))

        login_password_change_request = cls(
            current_password=current_password,
            new_password=new_password,
            device_token=device_token,
        )

        return login_password_change_request
