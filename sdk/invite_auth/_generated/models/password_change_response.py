from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.account_info import AccountInfo


T = TypeVar("T", bound="PasswordChangeResponse")


@_attrs_define
class PasswordChangeResponse:
    """
    Attributes:
        account (AccountInfo): An account (`kind` `opaque`, accounts surface) or a login (`kind` `password`, invitations
            surface).
        sessions_ended (int): How many other sessions of the account were ended.
    """

    account: AccountInfo
    sessions_ended: int

    def to_dict(self) -> dict[str, Any]:
        account = self.account.to_dict()

        sessions_ended = self.sessions_ended

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account": account,
                "sessions_ended": sessions_ended,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_info import AccountInfo

        d = dict(src_dict)
        account = AccountInfo.from_dict(d.pop("account"))

        sessions_ended = d.pop("sessions_ended")

        password_change_response = cls(
            account=account,
            sessions_ended=sessions_ended,
        )

        return password_change_response
