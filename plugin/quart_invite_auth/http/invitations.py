"""Seed 003 endpoints under /api: invitations, initial setup, password login."""

from __future__ import annotations

from typing import Any

from quart import Blueprint
from quart_schema import tag_blueprint

from ..errors import ErrorCode, ProblemError
from ..services import invitations as service
from ..services.sessions import revoke
from . import devices
from . import models as m
from .common import client_address, guard_api_blueprint, parse_body, passwords, user_agent
from .docs import documented
from .identity import (
    clear_identity_cookie,
    ctx,
    current_session,
    forget_session,
    session_cookie,
)
from .wire import timestamp

Json = tuple[dict[str, Any], int]


def _login_created(created: service.LoginCreated) -> Json:
    session_cookie(created.session)
    devices.remember(created.principal.name, created.device_token)
    return m.dump(
        m.LoginInfo(
            id=created.principal.id,
            name=created.principal.name,
            device_token=created.device_token,
        )
    ), 200


def create_blueprint() -> Blueprint:
    bp = Blueprint("invite_auth_invitations", __name__)
    tag_blueprint(bp, ["invitations"])
    guard_api_blueprint(bp)

    @bp.post("/invite")
    @documented(
        "createInvitation",
        status=200,
        body=m.EmptyRequest,
        response=m.InvitationCreated,
        session=True,
    )
    async def create_invitation() -> Json:
        session = await current_session()
        await parse_body(m.EmptyRequest)  # the request must be exactly {}
        invitation = await service.create_invitation(ctx(), session.principal)
        return m.dump(
            m.InvitationCreated(
                id=invitation.id,
                issuer=invitation.issuer,
                issued_at=timestamp(invitation.issued_at),
            )
        ), 200

    # The path variable is named as in openapi.yaml (`{id}`).
    @bp.get("/invite/<id>")
    @documented("getInvitation", status=200, response=m.InvitationShown)
    async def show_invitation(id: str) -> Json:
        invitation, issuer = await service.show_invitation(ctx(), id)
        return m.dump(
            m.InvitationShown(
                id=invitation.id,
                issuer=m.Issuer(id=issuer.id, name=issuer.name),
                issued_at=timestamp(invitation.issued_at),
            )
        ), 200

    @bp.post("/invite/<id>")
    @documented("acceptInvitation", status=200, body=m.Credentials, response=m.LoginInfo)
    async def accept_invitation(id: str) -> Json:
        body = await parse_body(m.Credentials)
        created = await service.accept_invitation(
            ctx(),
            passwords(),
            id,
            name=body.name,
            password=body.password,
            client=client_address(),
            user_agent=user_agent(),
        )
        return _login_created(created)

    @bp.post("/setup")
    @documented("initialSetup", status=200, body=m.Credentials, response=m.LoginInfo)
    async def setup() -> Json:
        if not ctx().settings.allow_setup_endpoint:
            raise ProblemError(ErrorCode.SETUP_DISABLED)
        body = await parse_body(m.Credentials)
        created = await service.initial_setup(
            ctx(),
            passwords(),
            name=body.name,
            password=body.password,
            client=client_address(),
            user_agent=user_agent(),
        )
        return _login_created(created)

    @bp.post("/auth/login")
    @documented("passwordLogin", status=200, body=m.PasswordLoginRequest, response=m.LoginInfo)
    async def login() -> Json:
        body = await parse_body(m.PasswordLoginRequest)
        created = await service.password_login(
            ctx(),
            passwords(),
            name=body.name,
            password=body.password,
            client=client_address(),
            user_agent=user_agent(),
            device_tokens=devices.presented(body.device_token),
        )
        return _login_created(created)

    @bp.post("/auth/logout")
    @documented("passwordLogout", status=204, session=True)
    async def logout() -> tuple[str, int]:
        session = await current_session()
        await revoke(ctx(), session)
        forget_session()
        clear_identity_cookie()
        return "", 204

    return bp
