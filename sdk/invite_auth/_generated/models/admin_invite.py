from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="AdminInvite")


@_attrs_define
class AdminInvite:
    """An outstanding invite token, without the token itself.

    Attributes:
        id (str): The token's id (`jti`), for `revokeInvite`.
        domain (None | str):
        account (None | str): The account name the token is for.
        privileged (bool | None): Whether the account it makes will be privileged.
        issued_by (None | str): The name of the issuing account (`null` for the bootstrap invite or a deleted issuer).
        issued_at (datetime.datetime):
        expires_at (datetime.datetime):
    """

    id: str
    domain: None | str
    account: None | str
    privileged: bool | None
    issued_by: None | str
    issued_at: datetime.datetime
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        domain: None | str
        domain = self.domain

        account: None | str
        account = self.account

        privileged: bool | None
        privileged = self.privileged

        issued_by: None | str
        issued_by = self.issued_by

        issued_at = self.issued_at.isoformat()

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "domain": domain,
                "account": account,
                "privileged": privileged,
                "issued_by": issued_by,
                "issued_at": issued_at,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_domain(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        domain = _parse_domain(d.pop("domain"))

        def _parse_account(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        account = _parse_account(d.pop("account"))

        def _parse_privileged(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        privileged = _parse_privileged(d.pop("privileged"))

        def _parse_issued_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        issued_by = _parse_issued_by(d.pop("issued_by"))

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        admin_invite = cls(
            id=id,
            domain=domain,
            account=account,
            privileged=privileged,
            issued_by=issued_by,
            issued_at=issued_at,
            expires_at=expires_at,
        )

        return admin_invite
