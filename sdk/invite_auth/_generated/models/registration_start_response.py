from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RegistrationStartResponse")


@_attrs_define
class RegistrationStartResponse:
    """
    Attributes:
        registration_id (str): The handle of the pending registration, for `finishRegistration`.
        registration_response (str): RFC 9807 `RegistrationResponse` (64 bytes), base64url without padding.
        expires_at (datetime.datetime): When the pending registration expires unless finished.
    """

    registration_id: str
    registration_response: str
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        registration_id = self.registration_id

        registration_response = self.registration_response

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "registration_id": registration_id,
                "registration_response": registration_response,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        registration_id = d.pop("registration_id")

        registration_response = d.pop("registration_response")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        registration_start_response = cls(
            registration_id=registration_id,
            registration_response=registration_response,
            expires_at=expires_at,
        )

        return registration_start_response
