from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MfaRecoveryFinishRequest")


@_attrs_define
class MfaRecoveryFinishRequest:
    """
    Attributes:
        recovery_id (str):
        ke3 (str): RFC 9807 `KE3` (64 bytes), base64url without padding.
        sealing_public_key (None | str | Unset): The X25519 sealing public key (32 bytes) derived from this login's
            `export_key`, base64url without padding. Used (and kept) only if the account has none on record (registered
            before sealing keys were kept); otherwise the key on record is used.
    """

    recovery_id: str
    ke3: str
    sealing_public_key: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recovery_id = self.recovery_id

        ke3 = self.ke3

        sealing_public_key: None | str | Unset
        if isinstance(self.sealing_public_key, Unset):
            sealing_public_key = UNSET
        else:
            sealing_public_key = self.sealing_public_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recovery_id": recovery_id,
                "ke3": ke3,
            }
        )
        if sealing_public_key is not UNSET:
            field_dict["sealing_public_key"] = sealing_public_key

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recovery_id = d.pop("recovery_id")

        ke3 = d.pop("ke3")

        def _parse_sealing_public_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sealing_public_key = _parse_sealing_public_key(
            d.pop("sealing_public_key", UNSET)
        )

        mfa_recovery_finish_request = cls(
            recovery_id=recovery_id,
            ke3=ke3,
            sealing_public_key=sealing_public_key,
        )

        return mfa_recovery_finish_request
