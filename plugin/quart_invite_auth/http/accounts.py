"""Seed 000 endpoints under /accounts."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, request
from quart_schema import tag_blueprint

from invite_auth.opaque import (
    KE1,
    KE3,
    MalformedMessageError,
    RegistrationRecord,
    RegistrationRequest,
)

from ..errors import ErrorCode, ProblemError
from ..names import validate_domain
from ..services import login as login_service
from ..services import registration
from ..services.invites import issue_invite
from ..services.self_service import recovery_codes_remaining
from ..services.sessions import revoke
from ..store.records import Principal
from . import devices
from . import models as m
from .common import client_address, guard_api_blueprint, parse_body, user_agent
from .docs import InviteQuery, documented
from .identity import (
    clear_identity_cookie,
    ctx,
    current_session,
    forget_session,
    session_cookie,
)
from .wire import b64url_encode, timestamp

Json = tuple[dict[str, Any], int]


def account_info(principal: Principal) -> m.AccountInfo:
    return m.AccountInfo(
        id=principal.id,
        name=principal.name,
        kind=principal.kind,
        domain=principal.domain,
        privileged=principal.privileged,
        created_at=timestamp(principal.created_at),
    )


def _malformed(field: str) -> ProblemError:
    return ProblemError(ErrorCode.MALFORMED_REQUEST, f"{field}: not a valid protocol message")


def create_blueprint() -> Blueprint:
    bp = Blueprint("invite_auth_accounts", __name__)
    tag_blueprint(bp, ["accounts"])
    # GET /invite mints a token: as much a change of state as any POST.
    guard_api_blueprint(bp, state_changing_gets=frozenset({f"{bp.name}.invite"}))

    @bp.get("/invite")
    @documented(
        "getAccountInvite", status=200, response=m.InviteResponse, query=InviteQuery, session=True
    )
    async def invite() -> Json:
        domain = request.args.get("domain")
        account = request.args.get("account")
        # The seed's order: validate_domain, verify_access_token, existing domain, account.
        if domain is None or len(domain) > 253:
            raise ProblemError(ErrorCode.INVALID_DOMAIN, "the domain query parameter is required")
        domain = validate_domain(domain)
        session = await current_session()
        if not session.principal.privileged:
            raise ProblemError(ErrorCode.NOT_PRIVILEGED)
        if account is None:
            raise ProblemError(
                ErrorCode.INVALID_ACCOUNT_NAME, "the account query parameter is required"
            )
        token, claims = await issue_invite(
            ctx(), account=account, domain=domain, issued_by=session.principal.id
        )
        body = m.InviteResponse(
            invite_token=token,
            domain=domain,
            account=claims.account,
            expires_at=timestamp(claims.expires_at),
        )
        return m.dump(body), 200

    @bp.post("/registration/start")
    @documented(
        "startRegistration",
        status=200,
        body=m.RegistrationStartRequest,
        response=m.RegistrationStartResponse,
    )
    async def registration_start() -> Json:
        body = await parse_body(m.RegistrationStartRequest)
        try:
            request_message = RegistrationRequest.from_bytes(body.registration_request)
        except MalformedMessageError as exc:
            raise _malformed("registration_request") from exc
        started = await registration.registration_start(
            ctx(),
            invite_token=body.invite_token,
            account=body.account,
            request=request_message,
            client=client_address(),
        )
        return m.dump(
            m.RegistrationStartResponse(
                registration_id=started.registration_id,
                registration_response=b64url_encode(started.registration_response),
                expires_at=timestamp(started.expires_at),
            )
        ), 200

    @bp.post("/registration/finish")
    @documented(
        "finishRegistration",
        status=201,
        body=m.RegistrationFinishRequest,
        response=m.RegistrationFinishResponse,
    )
    async def registration_finish() -> Json:
        body = await parse_body(m.RegistrationFinishRequest)
        try:
            record = RegistrationRecord.from_bytes(body.registration_record)
        except MalformedMessageError as exc:
            raise _malformed("registration_record") from exc
        finished = await registration.registration_finish(
            ctx(),
            registration_id=body.registration_id,
            record=record,
            sealing_public_key=body.sealing_public_key,
            client=client_address(),
        )
        sealed = finished.sealed_mfa
        return m.dump(
            m.RegistrationFinishResponse(
                account=account_info(finished.principal),
                sealed_mfa=m.SealedMfa(
                    ephemeral_public_key=b64url_encode(sealed.ephemeral_public_key),
                    nonce=b64url_encode(sealed.nonce),
                    ciphertext=b64url_encode(sealed.ciphertext),
                ),
            )
        ), 201

    @bp.post("/login/start")
    @documented("startLogin", status=200, body=m.LoginStartRequest, response=m.LoginStartResponse)
    async def login_start() -> Json:
        body = await parse_body(m.LoginStartRequest)
        try:
            ke1 = KE1.from_bytes(body.ke1)
        except MalformedMessageError as exc:
            raise _malformed("ke1") from exc
        started = await login_service.login_start(
            ctx(),
            account=body.account,
            ke1=ke1,
            client=client_address(),
            device_tokens=devices.presented(body.device_token),
        )
        return m.dump(
            m.LoginStartResponse(
                login_id=started.login_id,
                ke2=b64url_encode(started.ke2),
                expires_at=timestamp(started.expires_at),
            )
        ), 200

    @bp.post("/login/finish")
    @documented("finishLogin", status=200, body=m.LoginFinishRequest, response=m.SessionResponse)
    async def login_finish() -> Json:
        body = await parse_body(m.LoginFinishRequest)
        try:
            ke3 = KE3.from_bytes(body.ke3)
        except MalformedMessageError as exc:
            raise _malformed("ke3") from exc
        finished = await login_service.login_finish(
            ctx(),
            login_id=body.login_id,
            ke3=ke3,
            totp_code=body.totp_code,
            recovery_code=body.recovery_code,
            client=client_address(),
            user_agent=user_agent(),
        )
        session_cookie(finished.session)
        devices.remember(finished.principal.name, finished.device_token)
        return m.dump(
            m.SessionResponse(
                access_token=finished.session.token,
                token_type="Bearer",  # noqa: S106 - the OAuth token type, not a secret
                expires_at=timestamp(finished.session.expires_at),
                account=account_info(finished.principal),
                device_token=finished.device_token,
            )
        ), 200

    @bp.post("/logout")
    @documented("logout", status=204, session=True)
    async def logout() -> tuple[str, int]:
        session = await current_session()
        await revoke(ctx(), session)
        forget_session()
        clear_identity_cookie()
        return "", 204

    @bp.get("/me")
    @documented("getMe", status=200, response=m.MeInfo, session=True)
    async def me() -> Json:
        session = await current_session()
        principal = session.principal
        remaining = await recovery_codes_remaining(ctx(), principal)
        info = account_info(principal)
        return m.dump(m.MeInfo(**dict(info), recovery_codes_remaining=remaining)), 200

    return bp
