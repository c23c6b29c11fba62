from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReauthStartResponse")


@_attrs_define
class ReauthStartResponse:
    """
    Attributes:
        reauth_id (str): The handle of the fresh proof, for the operation it allows (this session only).
        ke2 (str): RFC 9807 `KE2` (320 bytes), base64url without padding.
        expires_at (datetime.datetime):
        registration_response (None | str | Unset): With a `registration_request`, the RFC 9807 `RegistrationResponse`
            (64 bytes) for it, base64url without padding; otherwise null.
    """

    reauth_id: str
    ke2: str
    expires_at: datetime.datetime
    registration_response: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reauth_id = self.reauth_id

        ke2 = self.ke2

        expires_at = self.expires_at.isoformat()

        registration_response: None | str | Unset
        if isinstance(self.registration_response, Unset):
            registration_response = UNSET
        else:
            registration_response = self.registration_response

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reauth_id": reauth_id,
                "ke2": ke2,
                "expires_at": expires_at,
            }
        )
        if registration_response is not UNSET:
            field_dict["registration_response"] = registration_response

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reauth_id = d.pop("reauth_id")

        ke2 = d.pop("ke2")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_registration_response(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        registration_response = _parse_registration_response(
            d.pop("registration_response", UNSET)
        )

        reauth_start_response = cls(
            reauth_id=reauth_id,
            ke2=ke2,
            expires_at=expires_at,
            registration_response=registration_response,
        )

        return reauth_start_response
