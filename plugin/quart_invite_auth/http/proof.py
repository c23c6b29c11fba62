"""Seed 000 account operations behind a fresh OPAQUE proof, and MFA recovery, under
/accounts: thin handlers over services/proof.py and services/recovery.py."""

from __future__ import annotations

from typing import Any

from quart import Blueprint
from quart_schema import tag_blueprint

from invite_auth.opaque import (
    KE1,
    KE3,
    MalformedMessageError,
    RegistrationRecord,
    RegistrationRequest,
)
from invite_auth.sealing import SealedBundle

from ..errors import ErrorCode, ProblemError
from ..services import proof, recovery
from . import devices
from . import models as m
from .accounts import account_info
from .common import client_address, guard_api_blueprint, parse_body
from .docs import documented
from .identity import ctx, current_session
from .wire import b64url_encode, timestamp

Json = tuple[dict[str, Any], int]


def _malformed(field: str) -> ProblemError:
    return ProblemError(ErrorCode.MALFORMED_REQUEST, f"{field}: not a valid protocol message")


def _ke1(raw: bytes) -> KE1:
    try:
        return KE1.from_bytes(raw)
    except MalformedMessageError as exc:
        raise _malformed("ke1") from exc


def _ke3(raw: bytes) -> KE3:
    try:
        return KE3.from_bytes(raw)
    except MalformedMessageError as exc:
        raise _malformed("ke3") from exc


def _sealed(bundle: SealedBundle) -> m.SealedMfa:
    return m.SealedMfa(
        ephemeral_public_key=b64url_encode(bundle.ephemeral_public_key),
        nonce=b64url_encode(bundle.nonce),
        ciphertext=b64url_encode(bundle.ciphertext),
    )


def _factor(body: m.FreshProof) -> proof.SecondFactor:
    return proof.SecondFactor(totp_code=body.totp_code, recovery_code=body.recovery_code)


def create_blueprint() -> Blueprint:
    bp = Blueprint("invite_auth_proof", __name__)
    tag_blueprint(bp, ["accounts"])
    guard_api_blueprint(bp)

    @bp.post("/reauth/start")
    @documented(
        "startReauthentication",
        status=200,
        body=m.ReauthStartRequest,
        response=m.ReauthStartResponse,
        session=True,
    )
    async def reauth_start() -> Json:
        session = await current_session()
        body = await parse_body(m.ReauthStartRequest)
        ke1 = _ke1(body.ke1)
        registration_request = None
        if body.registration_request is not None:
            try:
                registration_request = RegistrationRequest.from_bytes(body.registration_request)
            except MalformedMessageError as exc:
                raise _malformed("registration_request") from exc
        started = await proof.reauth_start(
            ctx(),
            session,
            ke1=ke1,
            registration_request=registration_request,
            client=client_address(),
            device_tokens=devices.presented(body.device_token),
        )
        response = m.ReauthStartResponse(
            reauth_id=started.reauth_id,
            ke2=b64url_encode(started.ke2),
            expires_at=timestamp(started.expires_at),
        )
        if started.registration_response is not None:
            response.registration_response = b64url_encode(started.registration_response)
        return m.dump(response), 200

    @bp.post("/password")
    @documented(
        "changePassword",
        status=200,
        body=m.PasswordChangeRequest,
        response=m.PasswordChangeResponse,
        session=True,
    )
    async def change_password() -> Json:
        session = await current_session()
        body = await parse_body(m.PasswordChangeRequest)
        ke3 = _ke3(body.ke3)
        try:
            record = RegistrationRecord.from_bytes(body.registration_record)
        except MalformedMessageError as exc:
            raise _malformed("registration_record") from exc
        principal, ended = await proof.change_password(
            ctx(),
            session,
            reauth_id=body.reauth_id,
            ke3=ke3,
            factor=_factor(body),
            record=record,
            sealing_public_key=body.sealing_public_key,
            client=client_address(),
        )
        return m.dump(
            m.PasswordChangeResponse(account=account_info(principal), sessions_ended=ended)
        ), 200

    @bp.post("/recovery-codes")
    @documented(
        "regenerateRecoveryCodes",
        status=200,
        body=m.FreshProof,
        response=m.SealedRecoveryCodesResponse,
        session=True,
    )
    async def regenerate_recovery_codes() -> Json:
        session = await current_session()
        body = await parse_body(m.FreshProof)
        sealed = await proof.regenerate_recovery_codes(
            ctx(),
            session,
            reauth_id=body.reauth_id,
            ke3=_ke3(body.ke3),
            factor=_factor(body),
            client=client_address(),
        )
        return m.dump(m.SealedRecoveryCodesResponse(sealed_recovery_codes=_sealed(sealed))), 200

    @bp.post("/totp")
    @documented(
        "startTotpReenrollment",
        status=200,
        body=m.FreshProof,
        response=m.SealedTotpResponse,
        session=True,
    )
    async def start_totp_reenrollment() -> Json:
        session = await current_session()
        body = await parse_body(m.FreshProof)
        sealed = await proof.start_totp_reenrollment(
            ctx(),
            session,
            reauth_id=body.reauth_id,
            ke3=_ke3(body.ke3),
            factor=_factor(body),
            client=client_address(),
        )
        return m.dump(m.SealedTotpResponse(sealed_totp=_sealed(sealed))), 200

    @bp.post("/totp/confirm")
    @documented(
        "confirmTotpReenrollment",
        status=200,
        body=m.TotpConfirmRequest,
        response=m.AccountInfo,
        session=True,
    )
    async def confirm_totp_reenrollment() -> Json:
        session = await current_session()
        body = await parse_body(m.TotpConfirmRequest)
        principal = await proof.confirm_totp_reenrollment(
            ctx(), session, totp_code=body.totp_code, client=client_address()
        )
        return m.dump(account_info(principal)), 200

    @bp.post("/mfa-recovery/start")
    @documented(
        "startMfaRecovery",
        status=200,
        body=m.MfaRecoveryStartRequest,
        response=m.MfaRecoveryStartResponse,
    )
    async def mfa_recovery_start() -> Json:
        body = await parse_body(m.MfaRecoveryStartRequest)
        started = await recovery.recovery_start(
            ctx(),
            recovery_invite=body.recovery_invite,
            account=body.account,
            ke1=_ke1(body.ke1),
            client=client_address(),
            device_tokens=devices.presented(body.device_token),
        )
        return m.dump(
            m.MfaRecoveryStartResponse(
                recovery_id=started.recovery_id,
                ke2=b64url_encode(started.ke2),
                expires_at=timestamp(started.expires_at),
            )
        ), 200

    @bp.post("/mfa-recovery/finish")
    @documented(
        "finishMfaRecovery",
        status=200,
        body=m.MfaRecoveryFinishRequest,
        response=m.RegistrationFinishResponse,
    )
    async def mfa_recovery_finish() -> Json:
        body = await parse_body(m.MfaRecoveryFinishRequest)
        finished = await recovery.recovery_finish(
            ctx(),
            recovery_id=body.recovery_id,
            ke3=_ke3(body.ke3),
            sealing_public_key=body.sealing_public_key,
            client=client_address(),
        )
        return m.dump(
            m.RegistrationFinishResponse(
                account=account_info(finished.principal), sealed_mfa=_sealed(finished.sealed_mfa)
            )
        ), 200

    return bp
