"""Request parsing, problem+json rendering and the current session, for both blueprints."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from quart import Blueprint, Response, after_this_request, current_app, request
from quart.typing import ResponseTypes
from werkzeug.exceptions import HTTPException

from ..errors import ErrorCode, ProblemError
from ..services.context import AuthContext
from ..services.passwords import Passwords
from ..services.sessions import ActiveSession, IssuedSession, authenticate

M = TypeVar("M", bound=BaseModel)
PROBLEM_JSON = "application/problem+json"
AUTH_CHALLENGE = 'Bearer realm="invite-auth"'
log = logging.getLogger("quart_invite_auth")

_HTTP_CODES = {
    400: ErrorCode.MALFORMED_REQUEST,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}


def extension() -> Any:
    return current_app.extensions["invite_auth"]


def ctx() -> AuthContext:
    context: AuthContext = extension().context
    return context


def passwords() -> Passwords:
    hasher: Passwords = extension().passwords
    return hasher


def client_address() -> str | None:
    return request.remote_addr


def problem(err: ProblemError) -> Response:
    response = current_app.response_class(
        current_app.json.dumps(err.to_problem()), status=err.code.status, mimetype=PROBLEM_JSON
    )
    for name, value in err.headers.items():
        response.headers[name] = value
    if err.code.status == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = AUTH_CHALLENGE  # RFC 9110 §15.5.2: a 401 has one
    return response


def _on_problem(err: ProblemError) -> Response:
    return problem(err)


def _on_http_exception(err: HTTPException) -> Response:
    code = _HTTP_CODES.get(err.code or 500)
    if code is None:
        return err.get_response()  # type: ignore[return-value]
    return problem(ProblemError(code, err.description))


def _on_unicode_error(err: UnicodeDecodeError) -> Response:
    return problem(ProblemError(ErrorCode.MALFORMED_REQUEST, "the request is not valid UTF-8"))


def install_error_handlers(bp: Blueprint) -> None:
    """JSON problems for this blueprint only; the host app's behaviour is left alone."""
    bp.register_error_handler(ProblemError, _on_problem)
    bp.register_error_handler(HTTPException, _on_http_exception)
    bp.register_error_handler(UnicodeDecodeError, _on_unicode_error)


async def parse_body(model: type[M]) -> M:
    if request.mimetype not in ("application/json", ""):
        raise ProblemError(ErrorCode.UNSUPPORTED_MEDIA_TYPE)
    data = await _read_body(ctx().settings.max_body_bytes)
    if request.mimetype == "":
        if data:
            raise ProblemError(ErrorCode.UNSUPPORTED_MEDIA_TYPE)
        # No body at all is a missing JSON object, not a body of the wrong type.
        raise ProblemError(ErrorCode.MALFORMED_REQUEST, "a JSON object is required as the body")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProblemError(ErrorCode.MALFORMED_REQUEST, "the body is not valid UTF-8") from exc
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise ProblemError(
            ErrorCode.MALFORMED_REQUEST,
            _describe(exc),
            extra={"errors": _errors(exc)},
        ) from exc


async def _read_body(limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes `limit` bytes.

    Quart fixes its own limit when the request is built, before any blueprint code runs,
    so the plugin counts the bytes itself rather than trusting the host's setting."""
    too_large = ProblemError(
        ErrorCode.PAYLOAD_TOO_LARGE, f"the request body is limited to {limit} bytes"
    )
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    data = bytearray()
    async for chunk in request.body:
        data += chunk
        if len(data) > limit:
            raise too_large
    return bytes(data)


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in e["loc"]) or "(body)", "message": e["msg"]}
        for e in exc.errors(include_url=False, include_input=False)[:20]
    ]


def _describe(exc: ValidationError) -> str:
    first = _errors(exc)[0]
    more = exc.error_count() - 1
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"{first['field']}: {first['message']}{suffix}"


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def current_session(required: bool = True) -> ActiveSession | None:
    """The session from `Authorization: Bearer` or the identity cookie."""
    settings = ctx().settings
    token = _bearer()
    from_cookie = token is None
    if token is None:
        token = request.cookies.get(settings.cookie_name)
    session = await authenticate(ctx(), token) if token else None
    if session is None or token is None:
        if required:
            raise ProblemError(
                ErrorCode.UNAUTHENTICATED,
                headers={"WWW-Authenticate": AUTH_CHALLENGE},
            )
        return None
    if from_cookie and session.refreshed:
        # The cookie lives as long as the idle timeout: renew it when the session is used.
        cookie_token = token

        @after_this_request
        async def renew(response: ResponseTypes) -> ResponseTypes:
            set_identity_cookie(response, cookie_token, session.expires_at)
            return response

    return session


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
