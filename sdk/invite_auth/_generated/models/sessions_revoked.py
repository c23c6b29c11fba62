from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionsRevoked")


@_attrs_define
class SessionsRevoked:
    """
    Attributes:
        revoked (int): How many sessions ended.
    """

    revoked: int

    def to_dict(self) -> dict[str, Any]:
        revoked = self.revoked

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "revoked": revoked,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        revoked = d.pop("revoked")

        sessions_revoked = cls(
            revoked=revoked,
        )

        return sessions_revoked
