from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RegistrationFinishRequest")


@_attrs_define
class RegistrationFinishRequest:
    """
    Attributes:
        registration_id (str):
        registration_record (str): RFC 9807 `RegistrationRecord` (192 bytes), base64url without padding.
        sealing_public_key (str): The client's X25519 sealing public key (32 bytes), derived from the `export_key`;
            base64url without padding.
    """

    registration_id: str
    registration_record: str
    sealing_public_key: str

    def to_dict(self) -> dict[str, Any]:
        registration_id = self.registration_id

        registration_record = self.registration_record

        sealing_public_key = self.sealing_public_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "registration_id": registration_id,
                "registration_record": registration_record,
                "sealing_public_key": sealing_public_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        registration_id = d.pop("registration_id")

        registration_record = d.pop("registration_record")

        sealing_public_key = d.pop("sealing_public_key")

        registration_finish_request = cls(
            registration_id=registration_id,
            registration_record=registration_record,
            sealing_public_key=sealing_public_key,
        )

        return registration_finish_request
