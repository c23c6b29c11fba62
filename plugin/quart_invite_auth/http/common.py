"""Request parsing and problem+json rendering, for the plugin's blueprints."""

from __future__ import annotations

import logging
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from quart import Blueprint, Response, current_app, request
from quart.typing import ResponseTypes
from werkzeug.exceptions import HTTPException

from ..errors import ErrorCode, ProblemError
from ..services.passwords import Passwords
from .identity import AUTH_CHALLENGE, SAFE_METHODS, ctx, extension, refuse_cross_site

M = TypeVar("M", bound=BaseModel)
PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("quart_invite_auth")

_HTTP_CODES = {
    400: ErrorCode.MALFORMED_REQUEST,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}


def passwords() -> Passwords:
    hasher: Passwords = extension().passwords
    return hasher


def client_address() -> str | None:
    return request.remote_addr


def user_agent() -> str | None:
    return request.headers.get("User-Agent") or None


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


def guard_api_blueprint(
    bp: Blueprint, *, state_changing_gets: frozenset[str] = frozenset()
) -> None:
    """What every API route of the plugin shares: cross-site refusal for requests that
    change state (every POST, and the GETs named in `state_changing_gets`, which mint
    something), and no caching of any answer (tokens, secrets, who is logged in)."""

    @bp.before_request
    async def refuse_cross_site_changes() -> None:
        if request.method not in SAFE_METHODS or request.endpoint in state_changing_gets:
            refuse_cross_site()

    @bp.after_request
    async def no_store(response: ResponseTypes) -> ResponseTypes:
        response.headers["Cache-Control"] = "no-store"
        return response


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
