from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.account_info import AccountInfo
    from ..models.sealed_mfa import SealedMfa


T = TypeVar("T", bound="RegistrationFinishResponse")


@_attrs_define
class RegistrationFinishResponse:
    """
    Attributes:
        account (AccountInfo): An account (`kind` `opaque`, accounts surface) or a login (`kind` `password`, invitations
            surface).
        sealed_mfa (SealedMfa): The account's `MfaSecrets`, encrypted to the client's sealing key (see
            `finishRegistration` for the construction): X25519 + HKDF-SHA512 + AES-256-GCM.
    """

    account: AccountInfo
    sealed_mfa: SealedMfa

    def to_dict(self) -> dict[str, Any]:
        account = self.account.to_dict()

        sealed_mfa = self.sealed_mfa.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account": account,
                "sealed_mfa": sealed_mfa,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_info import AccountInfo
        from ..models.sealed_mfa import SealedMfa

        d = dict(src_dict)
        account = AccountInfo.from_dict(d.pop("account"))

        sealed_mfa = SealedMfa.from_dict(d.pop("sealed_mfa"))

        registration_finish_response = cls(
            account=account,
            sealed_mfa=sealed_mfa,
        )

        return registration_finish_response
