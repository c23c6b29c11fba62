from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="InvitationCreated")


@_attrs_define
class InvitationCreated:
    """
    Attributes:
        id (str): The invitation id (128 random bits); give it to the invitee.
        issuer (str): The id of the issuing login.
        issued_at (datetime.datetime): The invitation expires 24 hours after this.
    """

    id: str
    issuer: str
    issued_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        issuer = self.issuer

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
        d = dict(src_dict)
        id = d.pop("id")

        issuer = d.pop("issuer")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        invitation_created = cls(
            id=id,
            issuer=issuer,
            issued_at=issued_at,
        )

        return invitation_created
