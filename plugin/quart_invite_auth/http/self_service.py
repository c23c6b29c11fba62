"""Self-service endpoints: one's own sessions (under /accounts, for a session of either
surface), one's own outstanding invitations and a password login's password change (under
/api, seed 003)."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Quart
from quart_schema import tag_blueprint
from werkzeug.routing import BaseConverter

from ..services import self_service as service
from . import devices
from . import models as m
from .common import client_address, guard_api_blueprint, parse_body, passwords
from .docs import documented
from .identity import clear_identity_cookie, ctx, current_session, forget_session
from .wire import timestamp

Json = tuple[dict[str, Any], int]
SESSION_ID_CONVERTER = "invite_auth_session_id"


class SessionIdConverter(BaseConverter):
    """A session id in a path: any segment but `revoke-others`, so that
    `/sessions/revoke-others` is not also a session's URL (its `Allow` lists POST alone)."""

    regex = r"(?!revoke-others$)[^/]+"


def install_converters(app: Quart) -> None:
    """The path converter the sessions blueprint's rules use; registered on the host's URL
    map under a name of ours before the blueprint is."""
    app.url_map.converters.setdefault(SESSION_ID_CONVERTER, SessionIdConverter)


def create_sessions_blueprint() -> Blueprint:
    bp = Blueprint("invite_auth_sessions", __name__)
    tag_blueprint(bp, ["accounts"])
    guard_api_blueprint(bp)

    @bp.get("/sessions")
    @documented("listSessions", status=200, response=m.SessionList, session=True)
    async def list_sessions() -> Json:
        session = await current_session()
        views = await service.list_sessions(ctx(), session)
        return m.dump(
            m.SessionList(
                sessions=[
                    m.SessionInfo(
                        id=view.id,
                        created_at=timestamp(view.created_at),
                        last_used_at=timestamp(view.last_used_at),
                        expires_at=timestamp(view.expires_at),
                        client=view.client,
                        user_agent=view.user_agent,
                        current=view.current,
                    )
                    for view in views
                ]
            )
        ), 200

    # The path variable is named as in openapi.yaml (`{id}`).
    @bp.delete(f"/sessions/<{SESSION_ID_CONVERTER}:id>")
    @documented("revokeSession", status=204, session=True)
    async def revoke_session(id: str) -> tuple[str, int]:
        session = await current_session()
        if await service.revoke_session(ctx(), session, id):
            # The caller ended the session it came with: it is logged out now.
            forget_session()
            clear_identity_cookie()
        return "", 204

    @bp.post("/sessions/revoke-others")
    @documented(
        "revokeOtherSessions",
        status=200,
        body=m.EmptyRequest,
        response=m.SessionsRevoked,
        session=True,
    )
    async def revoke_other_sessions() -> Json:
        session = await current_session()
        await parse_body(m.EmptyRequest)  # the request must be exactly {}
        revoked = await service.revoke_other_sessions(ctx(), session)
        return m.dump(m.SessionsRevoked(revoked=revoked)), 200

    return bp


def create_invitations_blueprint() -> Blueprint:
    bp = Blueprint("invite_auth_own_invitations", __name__)
    tag_blueprint(bp, ["invitations"])
    guard_api_blueprint(bp)

    @bp.get("/invitations")
    @documented("listInvitations", status=200, response=m.InvitationList, session=True)
    async def list_invitations() -> Json:
        session = await current_session()
        found = await service.list_invitations(ctx(), session.principal)
        return m.dump(
            m.InvitationList(
                invitations=[
                    m.OutstandingInvitation(
                        ref=item.ref,
                        issued_at=timestamp(item.issued_at),
                        expires_at=timestamp(item.expires_at),
                    )
                    for item in found
                ]
            )
        ), 200

    # The path variable is named as in openapi.yaml (`{ref}`): a ref or an invitation id.
    @bp.delete("/invitations/<ref>")
    @documented("revokeInvitation", status=204, session=True)
    async def revoke_invitation(ref: str) -> tuple[str, int]:
        session = await current_session()
        await service.revoke_invitation(ctx(), session.principal, ref)
        return "", 204

    @bp.post("/auth/password")
    @documented(
        "changeLoginPassword",
        status=200,
        body=m.LoginPasswordChangeRequest,
        response=m.LoginPasswordChanged,
        session=True,
    )
    async def change_password() -> Json:
        session = await current_session()
        body = await parse_body(m.LoginPasswordChangeRequest)
        ended = await service.change_login_password(
            ctx(),
            passwords(),
            session,
            current_password=body.current_password,
            new_password=body.new_password,
            client=client_address(),
            device_tokens=devices.presented(body.device_token),
        )
        return m.dump(m.LoginPasswordChanged(sessions_ended=ended)), 200

    return bp
