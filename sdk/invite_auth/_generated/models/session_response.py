from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.account_info import AccountInfo


T = TypeVar("T", bound="SessionResponse")


@_attrs_define
class SessionResponse:
    """
    Attributes:
        access_token (str): The session token; also set as the `identity` cookie.
        token_type (Literal['Bearer']):
        expires_at (datetime.datetime): When the session expires unless used again (the idle expiry, capped by the
            absolute one).
        account (AccountInfo): An account (`kind` `opaque`, accounts surface) or a login (`kind` `password`, invitations
            surface).
        device_token (str): A device token for this name (see "Failure limits and device tokens"): keep it and
            send it with the next login for the same name. Opaque to clients.
    """

    access_token: str
    token_type: Literal["Bearer"]
    expires_at: datetime.datetime
    account: AccountInfo
    device_token: str

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        token_type = self.token_type

        expires_at = self.expires_at.isoformat()

        account = self.account.to_dict()

        device_token = self.device_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "access_token": access_token,
                "token_type": token_type,
                "expires_at": expires_at,
                "account": account,
                "device_token": device_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_info import AccountInfo

        d = dict(src_dict)
        access_token = d.pop("access_token")

        token_type = cast(Literal["Bearer"], d.pop("token_type"))
        if token_type != "Bearer":
            raise ValueError(
                f"token_type must match const 'Bearer', got '{token_type}'"
            )

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        account = AccountInfo.from_dict(d.pop("account"))

        device_token = d.pop("device_token")

        session_response = cls(
            access_token=access_token,
            token_type=token_type,
            expires_at=expires_at,
            account=account,
            device_token=device_token,
        )

        return session_response
