from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RegistrationStartRequest")


@_attrs_define
class RegistrationStartRequest:
    """
    Attributes:
        invite_token (str):
        account (str): An account name: 1–64 characters of `a-z 0-9 . _ -`, starting and ending with a letter or digit.
        registration_request (str): RFC 9807 `RegistrationRequest` (32 bytes), base64url without padding.
    """

    invite_token: str
    account: str
    registration_request: str

    def to_dict(self) -> dict[str, Any]:
        invite_token = self.invite_token

        account = self.account

        registration_request = self.registration_request

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "invite_token": invite_token,
                "account": account,
                "registration_request": registration_request,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        invite_token = d.pop("invite_token")

        account = d.pop("account")

        registration_request = d.pop("registration_request")

        registration_start_request = cls(
            invite_token=invite_token,
            account=account,
            registration_request=registration_request,
        )

        return registration_start_request
