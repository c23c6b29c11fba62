"""Who is calling: the session behind `Authorization: Bearer` or the identity cookie, for
the plugin's routes and the host's alike; the identity cookie; cross-site refusal.

The result is kept for the rest of the request, so a request is authenticated once however
many times it asks (a host route behind `login_required` that also reads
`current_account()`, say).
"""

from __future__ import annotations

from typing import Any

from quart import (
    after_this_request,
    current_app,
    g,
    has_request_context,
    has_websocket_context,
    request,
    websocket,
)
from quart.typing import ResponseTypes

from ..errors import ErrorCode, ProblemError
from ..services.context import AuthContext
from ..services.sessions import ActiveSession, IssuedSession, authenticate

AUTH_CHALLENGE = 'Bearer realm="invite-auth"'
_CACHE = "_invite_auth_session"
# Methods that change nothing: the only ones a cross-site request may make with the cookie.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def extension() -> Any:
    return current_app.extensions["invite_auth"]


def ctx() -> AuthContext:
    context: AuthContext = extension().context
    return context


def _connection() -> Any:
    """The request or the websocket handshake being served."""
    if has_request_context():
        return request
    if has_websocket_context():
        return websocket
    raise RuntimeError("invite-auth: no request or websocket is being served here")


def bearer_token() -> str | None:
    header = _connection().headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def unauthenticated(detail: str | None = None) -> ProblemError:
    return ProblemError(
        ErrorCode.UNAUTHENTICATED, detail, headers={"WWW-Authenticate": AUTH_CHALLENGE}
    )


async def resolve_session() -> ActiveSession | None:
    """The caller's live session, or None; looked up once per request."""
    cached = g.get(_CACHE, _CACHE)
    if cached is not _CACHE:
        return cached  # type: ignore[no-any-return]
    context = ctx()
    connection = _connection()
    token = bearer_token()
    from_cookie = token is None
    if token is None:
        token = connection.cookies.get(context.settings.cookie_name)
    session = await authenticate(context, token) if token else None
    setattr(g, _CACHE, session)
    if session is not None and from_cookie and session.refreshed and has_request_context():
        # The cookie lives as long as the idle timeout: renew it when the session is used.
        cookie_token = token
        assert cookie_token is not None

        @after_this_request
        async def renew(response: ResponseTypes) -> ResponseTypes:
            set_identity_cookie(response, cookie_token, session.expires_at)
            return response

    return session


async def current_session() -> ActiveSession:
    """The caller's session; 401 problem if there is none."""
    session = await resolve_session()
    if session is None:
        raise unauthenticated()
    return session


def refuse_cross_site() -> None:
    """403 `cross_site_request` for a state-changing request a browser sent on behalf of
    another site, unless it carries a bearer token (which no other site can make a browser
    send). Browsers attach cookies to such requests; nothing else tells them apart."""
    connection = _connection()
    if bearer_token() is not None:
        return
    headers = connection.headers
    if headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        raise ProblemError(
            ErrorCode.CROSS_SITE_REQUEST, "a cross-site request may not change state here"
        )
    origin = headers.get("Origin")
    if origin is None:
        return  # not a browser's cross-origin request (browsers send Origin on those)
    own = f"{connection.scheme.replace('ws', 'http', 1)}://{connection.host}".lower()
    trusted = {o.lower().rstrip("/") for o in ctx().settings.trusted_origins}
    if origin.lower() != own and origin.lower() not in trusted:
        raise ProblemError(
            ErrorCode.CROSS_SITE_REQUEST,
            f"requests from the origin {origin!r} may not change state here",
        )


def set_identity_cookie(response: ResponseTypes, token: str, expires_at: float) -> None:
    settings = ctx().settings
    now = ctx().now()
    response.set_cookie(
        settings.cookie_name,
        token,
        max_age=max(0, int(expires_at - now)),
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite=settings.cookie_samesite,
    )


def session_cookie(session: IssuedSession) -> None:
    @after_this_request
    async def add(response: ResponseTypes) -> ResponseTypes:
        set_identity_cookie(response, session.token, session.expires_at)
        return response


def clear_identity_cookie() -> None:
    settings = ctx().settings

    @after_this_request
    async def clear(response: ResponseTypes) -> ResponseTypes:
        response.delete_cookie(
            settings.cookie_name,
            path="/",
            secure=settings.cookie_secure,
            httponly=True,
            samesite=settings.cookie_samesite,
        )
        return response


def forget_session() -> None:
    """After logout: later reads in this request see no session."""
    setattr(g, _CACHE, None)
