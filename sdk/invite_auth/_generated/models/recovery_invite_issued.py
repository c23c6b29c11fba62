from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RecoveryInviteIssued")


@_attrs_define
class RecoveryInviteIssued:
    """
    Attributes:
        recovery_invite (str): The recovery invite, for the account's owner only; single use. Shown only here.
        account (str): The account it is bound to.
        expires_at (datetime.datetime):
    """

    recovery_invite: str
    account: str
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        recovery_invite = self.recovery_invite

        account = self.account

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recovery_invite": recovery_invite,
                "account": account,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recovery_invite = d.pop("recovery_invite")

        account = d.pop("account")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        recovery_invite_issued = cls(
            recovery_invite=recovery_invite,
            account=account,
            expires_at=expires_at,
        )

        return recovery_invite_issued
