from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OutstandingInvitation")


@_attrs_define
class OutstandingInvitation:
    """
    Attributes:
        ref (str): A short hash of the invitation (16 hexadecimal digits), for `revokeInvitation`; the id itself is not
            kept.
        issued_at (datetime.datetime):
        expires_at (datetime.datetime):
    """

    ref: str
    issued_at: datetime.datetime
    expires_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        ref = self.ref

        issued_at = self.issued_at.isoformat()

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ref": ref,
                "issued_at": issued_at,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ref = d.pop("ref")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        outstanding_invitation = cls(
            ref=ref,
            issued_at=issued_at,
            expires_at=expires_at,
        )

        return outstanding_invitation
