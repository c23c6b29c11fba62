from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionInfo")


@_attrs_define
class SessionInfo:
    """One of your sessions.

    Attributes:
        id (str): The session's public id (not its token), for `revokeSession`.
        created_at (datetime.datetime): When the login that opened it happened.
        last_used_at (datetime.datetime): When it was last used (kept to a twentieth of the idle lifetime, at most a
            minute).
        expires_at (datetime.datetime): When it expires unless used again (the idle expiry, capped by the absolute one).
        client (None | str): The client address the session was opened from, as the server saw it.
        user_agent (None | str): The `User-Agent` the session was opened with (at most 256 characters).
        current (bool): Whether this is the session making the request.
    """

    id: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime
    expires_at: datetime.datetime
    client: None | str
    user_agent: None | str
    current: bool

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at.isoformat()

        last_used_at = self.last_used_at.isoformat()

        expires_at = self.expires_at.isoformat()

        client: None | str
        client = self.client

        user_agent: None | str
        user_agent = self.user_agent

        current = self.current

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "last_used_at": last_used_at,
                "expires_at": expires_at,
                "client": client,
                "user_agent": user_agent,
                "current": current,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        last_used_at = datetime.datetime.fromisoformat(d.pop("last_used_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_client(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client = _parse_client(d.pop("client"))

        def _parse_user_agent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_agent = _parse_user_agent(d.pop("user_agent"))

        current = d.pop("current")

        session_info = cls(
            id=id,
            created_at=created_at,
            last_used_at=last_used_at,
            expires_at=expires_at,
            client=client,
            user_agent=user_agent,
            current=current,
        )

        return session_info
