from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReauthStartRequest")


@_attrs_define
class ReauthStartRequest:
    """
    Attributes:
        ke1 (str): RFC 9807 `KE1` (96 bytes) for the current password, base64url without padding.
        registration_request (None | str | Unset): For a password change, the new password's RFC 9807
            `RegistrationRequest` (32 bytes), base64url without padding.
        device_token (None | str | Unset): The `device_token` from an earlier successful login for this name, if the
            client has one.
    """

    ke1: str
    registration_request: None | str | Unset = UNSET
    device_token: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ke1 = self.ke1

        registration_request: None | str | Unset
        if isinstance(self.registration_request, Unset):
            registration_request = UNSET
        else:
            registration_request = self.registration_request

        device_token: None | str | Unset
        if isinstance(self.device_token, Unset):
            device_token = UNSET
        else:
            device_token = self.device_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ke1": ke1,
            }
        )
        if registration_request is not UNSET:
            field_dict["registration_request"] = registration_request
        if device_token is not UNSET:
            field_dict["device_token"] = device_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ke1 = d.pop("ke1")

        def _parse_registration_request(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        registration_request = _parse_registration_request(
            d.pop("registration_request", UNSET)
        )

        def _parse_device_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_token = _parse_device_token(d.pop("device_token", UNSET))

        reauth_start_request = cls(
            ke1=ke1,
            registration_request=registration_request,
            device_token=device_token,
        )

        return reauth_start_request
