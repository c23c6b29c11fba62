"""What a host app uses to protect its own routes: `current_account()` and the decorators
`login_required` and `privileged_required`, for HTTP and websocket routes alike.

The caller is found exactly as the plugin's own routes find it: `Authorization: Bearer`
first, then the identity cookie, with idle and absolute expiry and revocation applied. The
answers for refused callers are RFC 9457 problems made here, so the host needs no error
handler of ours and keeps its own.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, ParamSpec, TypeVar, cast
from urllib.parse import urlencode

from quart import current_app, has_request_context, redirect, request

from .errors import ErrorCode, ProblemError
from .http.common import problem
from .http.identity import SAFE_METHODS, refuse_cross_site, resolve_session, unauthenticated
from .store.records import Principal

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Account:
    """A logged-in account (seed 000, OPAQUE) or login (seed 003, password)."""

    id: str
    name: str
    kind: Literal["opaque", "password"]
    domain: str | None
    privileged: bool
    created_at: datetime

    @classmethod
    def from_principal(cls, principal: Principal) -> Account:
        return cls(
            id=principal.id,
            name=principal.name,
            kind=principal.kind,
            domain=principal.domain,
            privileged=principal.privileged,
            created_at=datetime.fromtimestamp(principal.created_at, UTC),
        )


async def current_account() -> Account | None:
    """The account of the request's (or websocket's) session, or None.

    A coroutine, not a proxy: finding the session reads the store, and `None` stays a
    real `None`. The answer is kept for the rest of the request. Raises `ProblemError`
    (503 `store_unavailable`) when the store cannot be read."""
    session = await resolve_session()
    return None if session is None else Account.from_principal(session.principal)


def login_required(view: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R | Any]]:
    """Serve the view only to a caller with a live session: 401 problem+json otherwise
    (or, with `INVITE_AUTH_LOGIN_URL` set, a redirect for browsers asking for HTML).

    A request that changes state (not GET, HEAD or OPTIONS) authenticated by the cookie
    is refused with 403 `cross_site_request` when a browser sent it for another site."""
    return _guarded(view, privileged=False)


def privileged_required(view: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R | Any]]:
    """As `login_required`, and the account must be privileged: 403 problem+json if not."""
    return _guarded(view, privileged=True)


def _guarded(
    view: Callable[P, Awaitable[R]], *, privileged: bool
) -> Callable[P, Awaitable[R | Any]]:
    @functools.wraps(view)
    async def guarded(*args: P.args, **kwargs: P.kwargs) -> R | Any:
        try:
            refusal = await _refusal(privileged=privileged)
        except ProblemError as err:  # the store could not answer, or a cross-site request
            return problem(err)
        if refusal is not None:
            return refusal
        return await cast(Callable[P, Awaitable[R]], current_app.ensure_async(view))(
            *args, **kwargs
        )

    return guarded


async def _refusal(*, privileged: bool) -> Any:
    """The answer for a caller this route must refuse, or None to serve it."""
    if has_request_context() and request.method not in SAFE_METHODS:
        refuse_cross_site()
    account = await current_account()
    if account is None:
        login_url = current_app.extensions["invite_auth"].settings.login_url
        if login_url is not None and _prefers_html():
            query = request.query_string.decode()
            here = f"{request.path}?{query}" if query else request.path
            return redirect(f"{login_url}?{urlencode({'next': here})}")
        return problem(unauthenticated())
    if privileged and not account.privileged:
        return problem(ProblemError(ErrorCode.NOT_PRIVILEGED))
    return None


def _prefers_html() -> bool:
    """A browser navigating (Accept prefers text/html to JSON), not an API client."""
    if not has_request_context():
        return False  # a websocket handshake cannot follow a redirect
    accept = request.accept_mimetypes
    return accept.best_match(["application/json", "text/html"]) == "text/html" and (
        accept["text/html"] > accept["application/json"]
    )
