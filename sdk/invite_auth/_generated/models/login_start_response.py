from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LoginStartResponse")


@_attrs_define
class LoginStartResponse:
    """
    Attributes:
        login_id (str): The handle of the login attempt, for `finishLogin`.
        ke2 (str): RFC 9807 `KE2` (320 bytes), base64url without padding.
        expires_at (datetime.datetime):
    """

    login_id: str
    ke2: str
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        login_id = self.login_id

        ke2 = self.ke2

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "login_id": login_id,
                "ke2": ke2,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        login_id = d.pop("login_id")

        ke2 = d.pop("ke2")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        login_start_response = cls(
            login_id=login_id,
            ke2=ke2,
            expires_at=expires_at,
        )

        return login_start_response
