"""Each API use case as a sans-I/O generator, so the sync and async clients share one logic.

A flow yields `Call`s (a generated endpoint module and its arguments), receives each
call's generated `Response`, and returns a result. Error statuses never reach a flow:
the transport raises the typed exception first. The flows also do the client's CPU work
(OPAQUE steps, the KSF, opening the sealed bundle), which the async client runs in a
worker thread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.cookies
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TypeVar

from ._generated.api.accounts import (
    change_password,
    confirm_totp_reenrollment,
    finish_login,
    finish_mfa_recovery,
    finish_registration,
    get_account_invite,
    get_me,
    list_sessions,
    logout,
    regenerate_recovery_codes,
    revoke_other_sessions,
    revoke_session,
    start_login,
    start_mfa_recovery,
    start_reauthentication,
    start_registration,
    start_totp_reenrollment,
)
from ._generated.api.invitations import (
    accept_invitation,
    change_login_password,
    create_invitation,
    get_invitation,
    initial_setup,
    list_invitations,
    password_login,
    password_logout,
    revoke_invitation,
)
from ._generated.models import (
    AccountInfo,
    Credentials,
    EmptyRequest,
    FreshProof,
    InvitationCreated,
    InvitationList,
    InvitationShown,
    InviteResponse,
    LoginFinishRequest,
    LoginInfo,
    LoginPasswordChanged,
    LoginPasswordChangeRequest,
    LoginStartRequest,
    LoginStartResponse,
    MeInfo,
    MfaRecoveryFinishRequest,
    MfaRecoveryStartRequest,
    MfaRecoveryStartResponse,
    PasswordChangeRequest,
    PasswordChangeResponse,
    PasswordLoginRequest,
    ReauthStartRequest,
    ReauthStartResponse,
    RegistrationFinishRequest,
    RegistrationFinishResponse,
    RegistrationStartRequest,
    RegistrationStartResponse,
    SealedRecoveryCodesResponse,
    SealedTotpResponse,
    SessionList,
    SessionResponse,
    SessionsRevoked,
    TotpConfirmRequest,
)
from ._generated.types import UNSET
from .errors import LoginFailed, ProtocolError
from .opaque import (
    KE2,
    KSF,
    ClientRegistrationState,
    EnvelopeRecoveryError,
    OpaqueError,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
    generate_ke1,
    generate_ke3,
)
from .results import (
    Account,
    Invitation,
    InvitationDetails,
    Login,
    OutstandingInvitation,
    PasswordChanged,
    Registration,
    Session,
    SessionInfo,
    SiteInvite,
    TotpEnrollment,
)
from .sealing import SealedBundle, SealingError, open_bundle, sealing_public_key

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    endpoint: ModuleType  # a generated module with sync_detailed / asyncio_detailed
    kwargs: dict[str, Any] = field(default_factory=dict)


Flow = Generator[Call, Any, T]


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64d(text: str, what: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ProtocolError(f"the server sent {what} that is not base64url") from exc


def parsed(response: Any, model: type[T]) -> T:
    """The response body as the model the spec promises, or a ProtocolError."""
    value = response.parsed
    if not isinstance(value, model):
        raise ProtocolError(
            f"unexpected answer from the server (HTTP {int(response.status_code)}): "
            f"expected {model.__name__}"
        )
    return value


def _account(info: AccountInfo | MeInfo) -> Account:
    remaining = info.recovery_codes_remaining if isinstance(info, MeInfo) else None
    return Account(
        id=info.id,
        name=info.name,
        kind=str(info.kind.value if hasattr(info.kind, "value") else info.kind),
        domain=None if not isinstance(info.domain, str) else info.domain,
        privileged=info.privileged,
        created_at=info.created_at,
        recovery_codes_remaining=remaining if isinstance(remaining, int) else None,
    )


def cookie_token(response: Any, cookie_name: str) -> str:
    """The session token from the identity cookie a response sets."""
    for name, value in response.headers.multi_items():
        if name.lower() != "set-cookie":
            continue
        jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
        jar.load(value)
        if cookie_name in jar and jar[cookie_name].value:
            return jar[cookie_name].value
    raise ProtocolError(f"the server did not set the {cookie_name!r} cookie")


# -- accounts (seed 000) ---------------------------------------------------------------


def register(invite_token: str, account: str, password: str, ksf: KSF) -> Flow[Registration]:
    request, state = create_registration_request(password.encode("utf-8"))
    started = parsed(
        (
            yield Call(
                start_registration,
                {
                    "body": RegistrationStartRequest(
                        invite_token=invite_token,
                        account=account,
                        registration_request=b64e(request.to_bytes()),
                    )
                },
            )
        ),
        RegistrationStartResponse,
    )
    try:
        response = RegistrationResponse.from_bytes(
            b64d(started.registration_response, "a registration response")
        )
        record, export_key = finalize_registration_request(state, response, ksf=ksf)
    except OpaqueError as exc:
        raise ProtocolError(f"the server's registration response is invalid: {exc}") from exc
    finished = parsed(
        (
            yield Call(
                finish_registration,
                {
                    "body": RegistrationFinishRequest(
                        registration_id=started.registration_id,
                        registration_record=b64e(record.to_bytes()),
                        sealing_public_key=b64e(sealing_public_key(export_key)),
                    )
                },
            )
        ),
        RegistrationFinishResponse,
    )
    sealed = finished.sealed_mfa
    bundle = SealedBundle(
        b64d(sealed.ephemeral_public_key, "an ephemeral key"),
        b64d(sealed.nonce, "a nonce"),
        b64d(sealed.ciphertext, "a ciphertext"),
    )
    try:
        secrets = open_bundle(export_key, finished.account.name, bundle)
        codes = secrets["recovery_codes"]
        result = Registration(
            account=_account(finished.account),
            totp_secret=str(secrets["totp_secret"]),
            otpauth_uri=str(secrets["otpauth_uri"]),
            recovery_codes=[str(code) for code in codes],
            export_key=export_key,
        )
    except (SealingError, KeyError, TypeError) as exc:
        # The account exists now, but its MFA secrets are unreadable: say so loudly.
        raise ProtocolError(f"the sealed MFA bundle does not open: {exc}") from exc
    return result


def login(
    account: str,
    password: str,
    ksf: KSF,
    *,
    totp_code: str | None = None,
    recovery_code: str | None = None,
    device_token: str | None = None,
) -> Flow[Session]:
    if (totp_code is None) == (recovery_code is None):
        raise ValueError("give exactly one of totp_code and recovery_code")
    ke1, state = generate_ke1(password.encode("utf-8"))
    request = LoginStartRequest(
        account=account,
        ke1=b64e(ke1.to_bytes()),
        device_token=device_token if device_token is not None else UNSET,
    )
    started = parsed((yield Call(start_login, {"body": request})), LoginStartResponse)
    try:
        ke2 = KE2.from_bytes(b64d(started.ke2, "a KE2"))
        ke3, _session_key, _export_key = generate_ke3(state, ke2, ksf=ksf)
    except EnvelopeRecoveryError as exc:
        # Noticed here rather than by the server: the same exception either way.
        raise LoginFailed("wrong password or unknown account") from exc
    except OpaqueError as exc:
        # A bad server MAC after a good envelope is not a password problem: the server (or
        # someone in between) failed to authenticate.
        raise ProtocolError(f"the server's KE2 did not verify: {exc}") from exc
    body = LoginFinishRequest(
        login_id=started.login_id,
        ke3=b64e(ke3.to_bytes()),
        totp_code=totp_code if totp_code is not None else UNSET,
        recovery_code=recovery_code if recovery_code is not None else UNSET,
    )
    session = parsed((yield Call(finish_login, {"body": body})), SessionResponse)
    return Session(
        token=session.access_token,
        expires_at=session.expires_at,
        account_id=session.account.id,
        name=session.account.name,
        device_token=session.device_token,
    )


def site_invite(domain: str, account: str) -> Flow[SiteInvite]:
    invite = parsed(
        (yield Call(get_account_invite, {"domain": domain, "account": account})),
        InviteResponse,
    )
    return SiteInvite(invite.invite_token, invite.domain, invite.account, invite.expires_at)


def me() -> Flow[Account]:
    return _account(parsed((yield Call(get_me)), MeInfo))


def end_session(password_surface: bool = False) -> Flow[None]:
    yield Call(password_logout if password_surface else logout)


# -- invitations (seed 003) ------------------------------------------------------------


def new_invitation() -> Flow[Invitation]:
    created = parsed((yield Call(create_invitation, {"body": EmptyRequest()})), InvitationCreated)
    return Invitation(created.id, created.issuer, created.issued_at)


def show_invitation(invitation_id: str) -> Flow[InvitationDetails]:
    shown = parsed((yield Call(get_invitation, {"id": invitation_id})), InvitationShown)
    return InvitationDetails(shown.id, shown.issuer.id, shown.issuer.name, shown.issued_at)


def _password_session(
    endpoint: ModuleType, kwargs: dict[str, Any], cookie_name: str
) -> Flow[tuple[Login, Session]]:
    response = yield Call(endpoint, kwargs)
    info = parsed(response, LoginInfo)
    token = cookie_token(response, cookie_name)
    return Login(info.id, info.name), Session(token, None, info.id, info.name, info.device_token)


def accept(
    invitation_id: str, name: str, password: str, cookie_name: str
) -> Flow[tuple[Login, Session]]:
    body = Credentials(name=name, password=password)
    return (
        yield from _password_session(
            accept_invitation, {"id": invitation_id, "body": body}, cookie_name
        )
    )


def setup(name: str, password: str, cookie_name: str) -> Flow[tuple[Login, Session]]:
    body = Credentials(name=name, password=password)
    return (yield from _password_session(initial_setup, {"body": body}, cookie_name))


def login_with_password(
    name: str, password: str, cookie_name: str, device_token: str | None = None
) -> Flow[tuple[Login, Session]]:
    body = PasswordLoginRequest(
        name=name,
        password=password,
        device_token=device_token if device_token is not None else UNSET,
    )
    return (yield from _password_session(password_login, {"body": body}, cookie_name))


# -- self-service: own sessions, invitations and password -------------------------------

# An invitation's ref as the server lists it: 16 lowercase hex digits (ids start with "I").
_INVITATION_REF = re.compile(r"[0-9a-f]{16}")


def invitation_ref(invitation_id: str) -> str:
    """The ref the server lists an invitation by: the start of the hash it keeps the
    invitation under. A ref is returned as it is."""
    if _INVITATION_REF.fullmatch(invitation_id):
        return invitation_id
    return hashlib.sha256(b"invitation\x00" + invitation_id.encode()).digest()[:8].hex()


def own_sessions() -> Flow[list[SessionInfo]]:
    listed = parsed((yield Call(list_sessions)), SessionList)
    return [
        SessionInfo(
            id=item.id,
            created_at=item.created_at,
            last_used_at=item.last_used_at,
            expires_at=item.expires_at,
            client=item.client if isinstance(item.client, str) else None,
            user_agent=item.user_agent if isinstance(item.user_agent, str) else None,
            current=item.current,
        )
        for item in listed.sessions
    ]


def end_own_session(session_id: str, cookie_name: str) -> Flow[bool]:
    """Revoke one session; True if it was the current one (the server clears the cookie)."""
    response = yield Call(revoke_session, {"id": session_id})
    for name, value in response.headers.multi_items():
        if name.lower() != "set-cookie":
            continue
        jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
        jar.load(value)
        if cookie_name in jar and not jar[cookie_name].value:
            return True
    return False


def end_other_sessions() -> Flow[int]:
    revoked = parsed((yield Call(revoke_other_sessions, {"body": EmptyRequest()})), SessionsRevoked)
    return int(revoked.revoked)


def own_invitations() -> Flow[list[OutstandingInvitation]]:
    listed = parsed((yield Call(list_invitations)), InvitationList)
    return [
        OutstandingInvitation(item.ref, item.issued_at, item.expires_at)
        for item in listed.invitations
    ]


def end_invitation(invitation_id: str) -> Flow[None]:
    # By its ref: the id is a bearer capability, better kept out of URLs (and their logs).
    yield Call(revoke_invitation, {"ref": invitation_ref(invitation_id)})


def new_login_password(
    current_password: str, new_password: str, device_token: str | None = None
) -> Flow[int]:
    body = LoginPasswordChangeRequest(
        current_password=current_password,
        new_password=new_password,
        device_token=device_token if device_token is not None else UNSET,
    )
    changed = parsed((yield Call(change_login_password, {"body": body})), LoginPasswordChanged)
    return int(changed.sessions_ended)


# -- fresh OPAQUE proof (seed 000 accounts) and MFA recovery ---------------------------


@dataclass(frozen=True)
class _Proof:
    """A fresh proof's start, as the client finished it: what the operation sends."""

    reauth_id: str
    ke3: str
    export_key: bytes
    # for a password change: the new password's record and export key
    record: bytes | None = None
    new_export_key: bytes | None = None


def _one_factor(totp_code: str | None, recovery_code: str | None) -> dict[str, Any]:
    if (totp_code is None) == (recovery_code is None):
        raise ValueError("give exactly one of totp_code and recovery_code")
    return {
        "totp_code": totp_code if totp_code is not None else UNSET,
        "recovery_code": recovery_code if recovery_code is not None else UNSET,
    }


def _ke3(state: Any, ke2_text: str, ksf: KSF) -> tuple[bytes, bytes]:
    """KE3 and the export key for the server's KE2; LoginFailed for a wrong password."""
    try:
        ke2 = KE2.from_bytes(b64d(ke2_text, "a KE2"))
        ke3, _session_key, export_key = generate_ke3(state, ke2, ksf=ksf)
    except EnvelopeRecoveryError as exc:
        raise LoginFailed("wrong password") from exc
    except OpaqueError as exc:
        raise ProtocolError(f"the server's KE2 did not verify: {exc}") from exc
    return ke3.to_bytes(), export_key


def _fresh_proof(
    password: str,
    ksf: KSF,
    *,
    new_password: str | None = None,
    device_token: str | None = None,
) -> Flow[_Proof]:
    ke1, state = generate_ke1(password.encode("utf-8"))
    registration: ClientRegistrationState | None = None
    request = UNSET
    if new_password is not None:
        new_request, registration = create_registration_request(new_password.encode("utf-8"))
        request = b64e(new_request.to_bytes())
    body = ReauthStartRequest(
        ke1=b64e(ke1.to_bytes()),
        registration_request=request,
        device_token=device_token if device_token is not None else UNSET,
    )
    started = parsed((yield Call(start_reauthentication, {"body": body})), ReauthStartResponse)
    ke3, export_key = _ke3(state, started.ke2, ksf)
    proof = _Proof(started.reauth_id, b64e(ke3), export_key)
    if registration is None:
        return proof
    if not isinstance(started.registration_response, str):
        raise ProtocolError("the server did not answer the new password's registration request")
    try:
        response = RegistrationResponse.from_bytes(
            b64d(started.registration_response, "a registration response")
        )
        record, new_export_key = finalize_registration_request(registration, response, ksf=ksf)
    except OpaqueError as exc:
        raise ProtocolError(f"the server's registration response is invalid: {exc}") from exc
    return _Proof(proof.reauth_id, proof.ke3, export_key, record.to_bytes(), new_export_key)


def _open_sealed(export_key: bytes, account: str, sealed: Any) -> dict[str, Any]:
    bundle = SealedBundle(
        b64d(sealed.ephemeral_public_key, "an ephemeral key"),
        b64d(sealed.nonce, "a nonce"),
        b64d(sealed.ciphertext, "a ciphertext"),
    )
    try:
        return open_bundle(export_key, account, bundle)
    except SealingError as exc:
        raise ProtocolError(f"the sealed bundle does not open: {exc}") from exc


def password_change(
    current_password: str,
    new_password: str,
    ksf: KSF,
    *,
    totp_code: str | None = None,
    recovery_code: str | None = None,
    device_token: str | None = None,
) -> Flow[PasswordChanged]:
    factor = _one_factor(totp_code, recovery_code)
    proof = yield from _fresh_proof(
        current_password, ksf, new_password=new_password, device_token=device_token
    )
    assert proof.record is not None
    assert proof.new_export_key is not None
    body = PasswordChangeRequest(
        reauth_id=proof.reauth_id,
        ke3=proof.ke3,
        registration_record=b64e(proof.record),
        # the new password's export key gives the new sealing key, as at registration
        sealing_public_key=b64e(sealing_public_key(proof.new_export_key)),
        **factor,
    )
    changed = parsed((yield Call(change_password, {"body": body})), PasswordChangeResponse)
    return PasswordChanged(_account(changed.account), changed.sessions_ended)


def recovery_codes_regeneration(
    password: str,
    ksf: KSF,
    *,
    totp_code: str | None = None,
    recovery_code: str | None = None,
    device_token: str | None = None,
) -> Flow[list[str]]:
    factor = _one_factor(totp_code, recovery_code)
    # the bundle is bound to the account's name: whose session is this?
    account = parsed((yield Call(get_me)), MeInfo).name
    proof = yield from _fresh_proof(password, ksf, device_token=device_token)
    body = FreshProof(reauth_id=proof.reauth_id, ke3=proof.ke3, **factor)
    answer = parsed(
        (yield Call(regenerate_recovery_codes, {"body": body})), SealedRecoveryCodesResponse
    )
    opened = _open_sealed(proof.export_key, account, answer.sealed_recovery_codes)
    codes = opened.get("recovery_codes")
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ProtocolError("the sealed recovery codes are not a list of codes")
    return [str(code) for code in codes]


def totp_reenrollment(
    password: str,
    ksf: KSF,
    *,
    totp_code: str | None = None,
    recovery_code: str | None = None,
    device_token: str | None = None,
) -> Flow[TotpEnrollment]:
    factor = _one_factor(totp_code, recovery_code)
    account = parsed((yield Call(get_me)), MeInfo).name
    proof = yield from _fresh_proof(password, ksf, device_token=device_token)
    body = FreshProof(reauth_id=proof.reauth_id, ke3=proof.ke3, **factor)
    answer = parsed((yield Call(start_totp_reenrollment, {"body": body})), SealedTotpResponse)
    opened = _open_sealed(proof.export_key, account, answer.sealed_totp)
    secret, uri = opened.get("totp_secret"), opened.get("otpauth_uri")
    if not isinstance(secret, str) or not isinstance(uri, str):
        raise ProtocolError("the sealed TOTP secret is not a secret and an otpauth URI")
    return TotpEnrollment(totp_secret=secret, otpauth_uri=uri)


def totp_confirmation(code: str) -> Flow[Account]:
    body = TotpConfirmRequest(totp_code=code)
    return _account(parsed((yield Call(confirm_totp_reenrollment, {"body": body})), AccountInfo))


def mfa_recovery(
    recovery_invite: str,
    account: str,
    password: str,
    ksf: KSF,
    *,
    device_token: str | None = None,
) -> Flow[Registration]:
    ke1, state = generate_ke1(password.encode("utf-8"))
    request = MfaRecoveryStartRequest(
        recovery_invite=recovery_invite,
        account=account,
        ke1=b64e(ke1.to_bytes()),
        device_token=device_token if device_token is not None else UNSET,
    )
    started = parsed((yield Call(start_mfa_recovery, {"body": request})), MfaRecoveryStartResponse)
    ke3, export_key = _ke3(state, started.ke2, ksf)
    # the key the server seals to, should it have none on record for this account
    body = MfaRecoveryFinishRequest(
        recovery_id=started.recovery_id,
        ke3=b64e(ke3),
        sealing_public_key=b64e(sealing_public_key(export_key)),
    )
    finished = parsed((yield Call(finish_mfa_recovery, {"body": body})), RegistrationFinishResponse)
    secrets = _open_sealed(export_key, finished.account.name, finished.sealed_mfa)
    try:
        return Registration(
            account=_account(finished.account),
            totp_secret=str(secrets["totp_secret"]),
            otpauth_uri=str(secrets["otpauth_uri"]),
            recovery_codes=[str(code) for code in secrets["recovery_codes"]],
            export_key=export_key,
        )
    except (KeyError, TypeError) as exc:
        raise ProtocolError(f"the sealed MFA bundle is not what the API promises: {exc}") from exc
