from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LoginStartRequest")


@_attrs_define
class LoginStartRequest:
    """
    Attributes:
        account (str):
        ke1 (str): RFC 9807 `KE1` (96 bytes), base64url without padding.
    """

    account: str
    ke1: str

    def to_dict(self) -> dict[str, Any]:
        account = self.account

        ke1 = self.ke1

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account": account,
                "ke1": ke1,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        account = d.pop("account")

        ke1 = d.pop("ke1")

        login_start_request = cls(
            account=account,
            ke1=ke1,
        )

        return login_start_request
