from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="InviteResponse")


@_attrs_define
class InviteResponse:
    """
    Attributes:
        invite_token (str): The invite token; opaque to clients.
        domain (str): The domain, lower-cased, without a trailing dot.
        account (str): The account name the token is for.
        expires_at (datetime.datetime):
    """

    invite_token: str
    domain: str
    account: str
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        invite_token = self.invite_token

        domain = self.domain

        account = self.account

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "invite_token": invite_token,
                "domain": domain,
                "account": account,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        invite_token = d.pop("invite_token")

        domain = d.pop("domain")

        account = d.pop("account")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        invite_response = cls(
            invite_token=invite_token,
            domain=domain,
            account=account,
            expires_at=expires_at,
        )

        return invite_response
