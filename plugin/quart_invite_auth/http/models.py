"""Request and response bodies; openapi.yaml documents the same shapes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

from .wire import (
    KE1Bytes,
    KE3Bytes,
    RegistrationRecordBytes,
    RegistrationRequestBytes,
    X25519PublicKeyBytes,
)

Account = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=4096)]
Handle = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=256)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=4096)]
DeviceToken = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class Request(BaseModel):
    # Unknown fields are an error (additionalProperties: false); no type coercion.
    model_config = ConfigDict(extra="forbid", strict=True)


class Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- seed 000 -------------------------------------------------------------------------


class RegistrationStartRequest(Request):
    invite_token: Token
    account: Account
    registration_request: RegistrationRequestBytes


class RegistrationFinishRequest(Request):
    registration_id: Handle
    registration_record: RegistrationRecordBytes
    sealing_public_key: X25519PublicKeyBytes


class LoginStartRequest(Request):
    account: Account
    ke1: KE1Bytes
    device_token: DeviceToken | None = None


class LoginFinishRequest(Request):
    login_id: Handle
    ke3: KE3Bytes
    totp_code: Code | None = None
    recovery_code: Code | None = None


class InviteResponse(Response):
    invite_token: str
    domain: str
    account: str
    expires_at: str


class RegistrationStartResponse(Response):
    registration_id: str
    registration_response: str
    expires_at: str


class SealedMfa(Response):
    ephemeral_public_key: str
    nonce: str
    ciphertext: str


class AccountInfo(Response):
    id: str
    name: str
    kind: str
    domain: str | None
    privileged: bool
    created_at: str


class MeInfo(AccountInfo):
    # Unused recovery codes of an OPAQUE account; None for a password login.
    recovery_codes_remaining: int | None


class RegistrationFinishResponse(Response):
    account: AccountInfo
    sealed_mfa: SealedMfa


class LoginStartResponse(Response):
    login_id: str
    ke2: str
    expires_at: str


class SessionResponse(Response):
    access_token: str
    token_type: str
    expires_at: str
    account: AccountInfo
    device_token: str


# -- seed 003 -------------------------------------------------------------------------


class EmptyRequest(Request):
    pass


class Credentials(Request):
    name: Name
    password: Password


class PasswordLoginRequest(Request):
    name: Name
    password: Password
    device_token: DeviceToken | None = None


class InvitationCreated(Response):
    id: str
    issuer: str
    issued_at: str


class Issuer(Response):
    id: str
    name: str


class InvitationShown(Response):
    id: str
    issuer: Issuer
    issued_at: str


class LoginInfo(Response):
    id: str
    name: str
    device_token: str


# -- self-service: own sessions, invitations and password --------------------------------


class SessionInfo(Response):
    id: str
    created_at: str
    last_used_at: str
    expires_at: str
    client: str | None
    user_agent: str | None
    current: bool


class SessionList(Response):
    sessions: list[SessionInfo]


class SessionsRevoked(Response):
    revoked: int


class OutstandingInvitation(Response):
    ref: str
    issued_at: str
    expires_at: str


class InvitationList(Response):
    invitations: list[OutstandingInvitation]


class LoginPasswordChangeRequest(Request):
    current_password: Password
    new_password: Password
    device_token: DeviceToken | None = None


class LoginPasswordChanged(Response):
    sessions_ended: int


# -- fresh OPAQUE proof and MFA recovery (seed 000 accounts) ---------------------------


class ReauthStartRequest(Request):
    ke1: KE1Bytes
    registration_request: RegistrationRequestBytes | None = None
    device_token: DeviceToken | None = None


class ReauthStartResponse(Response):
    reauth_id: str
    ke2: str
    expires_at: str
    registration_response: str | None = None


class FreshProof(Request):
    reauth_id: Handle
    ke3: KE3Bytes
    totp_code: Code | None = None
    recovery_code: Code | None = None


class PasswordChangeRequest(FreshProof):
    registration_record: RegistrationRecordBytes
    sealing_public_key: X25519PublicKeyBytes


class PasswordChangeResponse(Response):
    account: AccountInfo
    sessions_ended: int


class SealedRecoveryCodesResponse(Response):
    sealed_recovery_codes: SealedMfa


class SealedTotpResponse(Response):
    sealed_totp: SealedMfa


class TotpConfirmRequest(Request):
    totp_code: Code


class MfaRecoveryStartRequest(Request):
    recovery_invite: Token
    account: Account
    ke1: KE1Bytes
    device_token: DeviceToken | None = None


class MfaRecoveryStartResponse(Response):
    recovery_id: str
    ke2: str
    expires_at: str


class MfaRecoveryFinishRequest(Request):
    recovery_id: Handle
    ke3: KE3Bytes
    sealing_public_key: X25519PublicKeyBytes | None = None


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


# -- administration (privileged accounts) ------------------------------------------------


class AdminAccount(Response):
    id: str
    name: str
    kind: str
    domain: str | None
    privileged: bool
    disabled: bool
    created_at: str
    invited_by: str | None
    recovery_codes_remaining: int | None
    sessions: int


class AccountPage(Response):
    accounts: list[AdminAccount]
    next_cursor: str | None


class AdminInvite(Response):
    id: str
    domain: str | None
    account: str | None
    privileged: bool | None
    issued_by: str | None
    issued_at: str
    expires_at: str


class InviteList(Response):
    invites: list[AdminInvite]


class RecoveryInviteIssued(Response):
    recovery_invite: str
    account: str
    expires_at: str


class AuditEntry(Response):
    at: str
    event: str
    principal_id: str | None
    name: str | None
    client: str | None
    detail: dict[str, Any]


class AuditPage(Response):
    events: list[AuditEntry]
    next_cursor: str | None
