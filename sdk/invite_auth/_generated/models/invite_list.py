from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.admin_invite import AdminInvite


T = TypeVar("T", bound="InviteList")


@_attrs_define
class InviteList:
    """
    Attributes:
        invites (list[AdminInvite]):
    """

    invites: list[AdminInvite]

    def to_dict(self) -> dict[str, Any]:
        invites = []
        for invites_item_data in self.invites:
            invites_item = invites_item_data.to_dict()
            invites.append(invites_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "invites": invites,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.admin_invite import AdminInvite

        d = dict(src_dict)
        invites = []
        _invites = d.pop("invites")
        for invites_item_data in _invites:
            invites_item = AdminInvite.from_dict(invites_item_data)

            invites.append(invites_item)

        invite_list = cls(
            invites=invites,
        )

        return invite_list
