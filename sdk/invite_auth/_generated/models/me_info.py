from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.me_info_kind import MeInfoKind

T = TypeVar("T", bound="MeInfo")


@_attrs_define
class MeInfo:
    """`AccountInfo` of the current session's account or login, and how many recovery codes it has left.

    Attributes:
        id (str): The stable id (128 random bits); for an `opaque` account, its OPAQUE credential identifier.
        name (str):
        kind (MeInfoKind):
        domain (None | str): The domain the account owns, if any.
        privileged (bool): Whether the account may issue invite tokens (`getAccountInvite`).
        created_at (datetime.datetime):
        recovery_codes_remaining (int | None): For an `opaque` account, how many of its recovery codes are still unused
            (0–10); `null` for a `password` login, which has none.
    """

    id: str
    name: str
    kind: MeInfoKind
    domain: None | str
    privileged: bool
    created_at: datetime.datetime
    recovery_codes_remaining: int | None

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        kind = self.kind.value

        domain: None | str
        domain = self.domain

        privileged = self.privileged

        created_at = self.created_at.isoformat()

        recovery_codes_remaining: int | None
        recovery_codes_remaining = self.recovery_codes_remaining

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
                "domain": domain,
                "privileged": privileged,
                "created_at": created_at,
                "recovery_codes_remaining": recovery_codes_remaining,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        kind = MeInfoKind(d.pop("kind"))

        def _parse_domain(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        domain = _parse_domain(d.pop("domain"))

        privileged = d.pop("privileged")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_recovery_codes_remaining(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        recovery_codes_remaining = _parse_recovery_codes_remaining(
            d.pop("recovery_codes_remaining")
        )

        me_info = cls(
            id=id,
            name=name,
            kind=kind,
            domain=domain,
            privileged=privileged,
            created_at=created_at,
            recovery_codes_remaining=recovery_codes_remaining,
        )

        return me_info
