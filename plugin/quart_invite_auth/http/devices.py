"""Device tokens over HTTP: API clients send theirs in the body (`device_token`) and get a
new one in the answer; browsers keep theirs in a long-lived HttpOnly cookie of its own,
which the plugin reads when the body has none and renews on each successful login."""

from __future__ import annotations

from quart import after_this_request, request
from quart.typing import ResponseTypes

from ..services import devices
from .identity import ctx


def presented(body_token: str | None) -> list[str]:
    """The device tokens this request presents: the body's, else the cookie's."""
    if body_token is not None:
        return [body_token]
    if "Cookie" not in request.headers:
        return []  # most API clients: spare parsing cookies on every login
    return devices.cookie_tokens(request.cookies.get(ctx().settings.device_cookie_name))


def remember(name: str, token: str) -> None:
    """Put a new device token for `name` in the browser's device cookie."""
    context = ctx()
    settings = context.settings
    old = (
        devices.cookie_tokens(request.cookies.get(settings.device_cookie_name))
        if "Cookie" in request.headers
        else []
    )
    value = devices.cookie_value(context, name, token, old)

    @after_this_request
    async def add(response: ResponseTypes) -> ResponseTypes:
        response.set_cookie(
            settings.device_cookie_name,
            value,
            max_age=int(settings.device_token_ttl),
            path="/",
            secure=settings.cookie_secure,
            httponly=True,
            samesite=settings.cookie_samesite,
        )
        return response
