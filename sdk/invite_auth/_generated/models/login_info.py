from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LoginInfo")


@_attrs_define
class LoginInfo:
    """
    Attributes:
        id (str): The login's stable id.
        name (str): The login's name as stored (see "Names").
        device_token (str): A device token for this name (see "Failure limits and device tokens"): keep it and
            send it with the next login for the same name. Opaque to clients.
    """

    id: str
    name: str
    device_token: str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        device_token = self.device_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "device_token": device_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        device_token = d.pop("device_token")

        login_info = cls(
            id=id,
            name=name,
            device_token=device_token,
        )

        return login_info
