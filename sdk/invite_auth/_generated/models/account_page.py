from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.admin_account import AdminAccount


T = TypeVar("T", bound="AccountPage")


@_attrs_define
class AccountPage:
    """
    Attributes:
        accounts (list[AdminAccount]):
        next_cursor (None | str): Pass as `cursor` for the next page; `null` on the last page.
    """

    accounts: list[AdminAccount]
    next_cursor: None | str

    def to_dict(self) -> dict[str, Any]:
        accounts = []
        for accounts_item_data in self.accounts:
            accounts_item = accounts_item_data.to_dict()
            accounts.append(accounts_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "accounts": accounts,
                "next_cursor": next_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.admin_account import AdminAccount

        d = dict(src_dict)
        accounts = []
        _accounts = d.pop("accounts")
        for accounts_item_data in _accounts:
            accounts_item = AdminAccount.from_dict(accounts_item_data)

            accounts.append(accounts_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        account_page = cls(
            accounts=accounts,
            next_cursor=next_cursor,
        )

        return account_page
