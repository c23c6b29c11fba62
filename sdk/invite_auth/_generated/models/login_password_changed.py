from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LoginPasswordChanged")


@_attrs_define
class LoginPasswordChanged:
    """
    Attributes:
        sessions_ended (int): How many other sessions of the login ended.
    """

    sessions_ended: int

    def to_dict(self) -> dict[str, Any]:
        sessions_ended = self.sessions_ended

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sessions_ended": sessions_ended,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        sessions_ended = d.pop("sessions_ended")

        login_password_changed = cls(
            sessions_ended=sessions_ended,
        )

        return login_password_changed
