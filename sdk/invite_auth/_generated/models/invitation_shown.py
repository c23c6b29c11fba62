from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.issuer import Issuer


T = TypeVar("T", bound="InvitationShown")


@_attrs_define
class InvitationShown:
    """
    Attributes:
        id (str):
        issuer (Issuer):
        issued_at (datetime.datetime):
    """

    id: str
    issuer: Issuer
    issued_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        issuer = self.issuer.to_dict()

        issued_at = self.issued_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "issuer": issuer,
                "issued_at": issued_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.issuer import Issuer

        d = dict(src_dict)
        id = d.pop("id")

        issuer = Issuer.from_dict(d.pop("issuer"))

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        invitation_shown = cls(
            id=id,
            issuer=issuer,
            issued_at=issued_at,
        )

        return invitation_shown
