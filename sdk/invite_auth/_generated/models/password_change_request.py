from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PasswordChangeRequest")


@_attrs_define
class PasswordChangeRequest:
    """A `FreshProof` and the new password's registration. Send exactly one of `totp_code` and `recovery_code`.

    Attributes:
        reauth_id (str):
        ke3 (str): RFC 9807 `KE3` (64 bytes) for the current password, base64url without padding.
        registration_record (str): The new password's RFC 9807 `RegistrationRecord` (192 bytes), base64url without
            padding.
        sealing_public_key (str): The X25519 sealing public key (32 bytes) derived from the new password's `export_key`;
            base64url without padding.
        totp_code (None | str | Unset): The current 6-digit TOTP code (spaces ignored).
        recovery_code (None | str | Unset): An unused recovery code, in any case, with or without separators.
    """

    reauth_id: str
    ke3: str
    registration_record: str
    sealing_public_key: str
    totp_code: None | str | Unset = UNSET
    recovery_code: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reauth_id = self.reauth_id

        ke3 = self.ke3

        registration_record = self.registration_record

        sealing_public_key = self.sealing_public_key

        totp_code: None | str | Unset
        if isinstance(self.totp_code, Unset):
            totp_code = UNSET
        else:
            totp_code = self.totp_code

        recovery_code: None | str | Unset
        if isinstance(self.recovery_code, Unset):
            recovery_code = UNSET
        else:
            recovery_code = self.recovery_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reauth_id": reauth_id,
                "ke3": ke3,
                "registration_record": registration_record,
                "sealing_public_key": sealing_public_key,
            }
        )
        if totp_code is not UNSET:
            field_dict["totp_code"] = totp_code
        if recovery_code is not UNSET:
            field_dict["recovery_code"] = recovery_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reauth_id = d.pop("reauth_id")

        ke3 = d.pop("ke3")

        registration_record = d.pop("registration_record")

        sealing_public_key = d.pop("sealing_public_key")

        def _parse_totp_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        totp_code = _parse_totp_code(d.pop("totp_code", UNSET))

        def _parse_recovery_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recovery_code = _parse_recovery_code(d.pop("recovery_code", UNSET))

        password_change_request = cls(
            reauth_id=reauth_id,
            ke3=ke3,
            registration_record=registration_record,
            sealing_public_key=sealing_public_key,
            totp_code=totp_code,
            recovery_code=recovery_code,
        )

        return password_change_request
