from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.audit_entry_detail import AuditEntryDetail


T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """
    Attributes:
        at (datetime.datetime):
        event (str): The event type, e.g. `login`, `login_failed`, `account_disabled`, `account_deleted`, `mfa_reset`,
            `invite_revoked`.
        principal_id (None | str): The account the event is about (or that acted), if any.
        name (None | str): The name it is about, as it was then.
        client (None | str): The client address of the request, if any.
        detail (AuditEntryDetail): Further facts of the event; never a secret.
    """

    at: datetime.datetime
    event: str
    principal_id: None | str
    name: None | str
    client: None | str
    detail: AuditEntryDetail

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        event = self.event

        principal_id: None | str
        principal_id = self.principal_id

        name: None | str
        name = self.name

        client: None | str
        client = self.client

        detail = self.detail.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "event": event,
                "principal_id": principal_id,
                "name": name,
                "client": client,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audit_entry_detail import AuditEntryDetail

        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        event = d.pop("event")

        def _parse_principal_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        principal_id = _parse_principal_id(d.pop("principal_id"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_client(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client = _parse_client(d.pop("client"))

        detail = AuditEntryDetail.from_dict(d.pop("detail"))

        audit_entry = cls(
            at=at,
            event=event,
            principal_id=principal_id,
            name=name,
            client=client,
            detail=detail,
        )

        return audit_entry
