from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.admin_account_kind import AdminAccountKind

T = TypeVar("T", bound="AdminAccount")


@_attrs_define
class AdminAccount:
    """An account or login as administration sees it; never a secret.

    Example:
        {'id': 'Lq3v5mgifejsx3qc4airsq5ojrhikp', 'name': 'owner', 'kind': 'opaque', 'domain': 'example.com',
            'privileged': False, 'disabled': False, 'created_at': '2026-11-24T09:30:00.000000Z', 'invited_by': 'root',
            'recovery_codes_remaining': 9, 'sessions': 1}

    Attributes:
        id (str):
        name (str):
        kind (AdminAccountKind):
        domain (None | str): The domain the account owns, if any.
        privileged (bool):
        disabled (bool): A disabled account cannot log in and has no session.
        created_at (datetime.datetime):
        invited_by (None | str): The name of the account that invited it, if known and still there.
        recovery_codes_remaining (int | None): Unused recovery codes (`opaque` accounts); `null` for password logins.
        sessions (int): Live sessions (not expired, not idle past the idle lifetime).
    """

    id: str
    name: str
    kind: AdminAccountKind
    domain: None | str
    privileged: bool
    disabled: bool
    created_at: datetime.datetime
    invited_by: None | str
    recovery_codes_remaining: int | None
    sessions: int

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        kind = self.kind.value

        domain: None | str
        domain = self.domain

        privileged = self.privileged

        disabled = self.disabled

        created_at = self.created_at.isoformat()

        invited_by: None | str
        invited_by = self.invited_by

        recovery_codes_remaining: int | None
        recovery_codes_remaining = self.recovery_codes_remaining

        sessions = self.sessions

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
                "domain": domain,
                "privileged": privileged,
                "disabled": disabled,
                "created_at": created_at,
                "invited_by": invited_by,
                "recovery_codes_remaining": recovery_codes_remaining,
                "sessions": sessions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        kind = AdminAccountKind(d.pop("kind"))

        def _parse_domain(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        domain = _parse_domain(d.pop("domain"))

        privileged = d.pop("privileged")

        disabled = d.pop("disabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_invited_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        invited_by = _parse_invited_by(d.pop("invited_by"))

        def _parse_recovery_codes_remaining(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        recovery_codes_remaining = _parse_recovery_codes_remaining(
            d.pop("recovery_codes_remaining")
        )

        sessions = d.pop("sessions")

        admin_account = cls(
            id=id,
            name=name,
            kind=kind,
            domain=domain,
            privileged=privileged,
            disabled=disabled,
            created_at=created_at,
            invited_by=invited_by,
            recovery_codes_remaining=recovery_codes_remaining,
            sessions=sessions,
        )

        return admin_account
