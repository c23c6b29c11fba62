from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.account_info_kind import AccountInfoKind

T = TypeVar("T", bound="AccountInfo")


@_attrs_define
class AccountInfo:
    """An account (`kind` `opaque`, accounts surface) or a login (`kind` `password`, invitations surface).

    Attributes:
        id (str): The stable id (128 random bits); for an `opaque` account, its OPAQUE credential identifier.
        name (str):
        kind (AccountInfoKind):
        domain (None | str): The domain the account owns, if any.
        privileged (bool): Whether the account may issue invite tokens (`getAccountInvite`).
        created_at (datetime.datetime):
    """

    id: str
    name: str
    kind: AccountInfoKind
    domain: None | str
    privileged: bool
    created_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        kind = self.kind.value

        domain: None | str
        domain = self.domain

        privileged = self.privileged

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
                "domain": domain,
                "privileged": privileged,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        kind = AccountInfoKind(d.pop("kind"))

        def _parse_domain(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        domain = _parse_domain(d.pop("domain"))

        privileged = d.pop("privileged")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        account_info = cls(
            id=id,
            name=name,
            kind=kind,
            domain=domain,
            privileged=privileged,
            created_at=created_at,
        )

        return account_info
