"""The browser pages (DESIGN.md E): invitation, site-owner registration, login, account.

The server renders what it knows (who invited you, which account a registration link is
for, who is logged in); the shipped ES modules (`static/`, built from `web/`) do the rest
against the JSON API, with OPAQUE in the browser so the password never leaves it on the
accounts surface. Every page carries a strict Content-Security-Policy: scripts from this
origin only (plus WebAssembly for the OPAQUE library), no inline script or style, no
third-party request, no framing; and no page is cached or leaks its URL (registration
links carry the invite token in their query) through the Referer header.
"""

from __future__ import annotations

import json
import posixpath
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quart import Blueprint, Response, abort, redirect, render_template, request, url_for
from quart.helpers import send_from_directory
from quart.typing import ResponseReturnValue
from quart_schema import hide
from werkzeug.exceptions import HTTPException

from ..config import Settings
from ..errors import ErrorCode, ProblemError
from ..services.invitations import show_invitation
from ..services.invites import verify_invite
from .identity import ctx, resolve_session

PACKAGE_DIR = Path(__file__).resolve().parents[1]
STATIC_DIR = PACKAGE_DIR / "static"
ASSETS_PATH = "/_invite-auth"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        # WebAssembly: @serenity-kit/opaque compiles its (inlined) WASM module.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Explicit types: the platform's mimetypes table varies (.js was application/javascript).
# (Quart adds "; charset=utf-8" to the text/* types.)
ASSET_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
}


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_text(ts: float) -> str:
    """Readable without script; the page script shows it in the reader's time zone."""
    return datetime.fromtimestamp(ts, UTC).strftime("%d %B %Y, %H:%M UTC")


def _with_root(prefix: str | None) -> str | None:
    """A prefix as the browser must write it when the host app is mounted under a path."""
    return None if prefix is None else request.root_path.rstrip("/") + prefix


def _client_config(settings: Settings) -> str:
    ksf = settings.client_ksf
    return json.dumps(
        {
            "pages": _with_root(settings.pages_prefix),
            "accounts": _with_root(settings.accounts_prefix),
            "invitations": _with_root(settings.invitations_prefix),
            "ksf": {
                "timeCost": ksf.time_cost,
                "memoryCost": ksf.memory_cost,
                "parallelism": ksf.parallelism,
            },
            "passwordMinLength": settings.password_min_length,
        },
        separators=(",", ":"),
    )


async def _page(
    settings: Settings, template: str, script: str | None, status: int = 200, **context: Any
) -> Response:
    html = await render_template(
        f"invite_auth/{template}",
        site_name=settings.totp_issuer,
        client_config=_client_config(settings),
        script=script,
        accounts=settings.accounts_prefix is not None,
        invitations=settings.invitations_prefix is not None,
        password_min_length=settings.password_min_length,
        **context,
    )
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def create_blueprint(settings: Settings) -> Blueprint:
    # Templates live in the package's templates/invite_auth/: a host app can override one by
    # putting a file of the same name in its own templates folder.
    bp = Blueprint("invite_auth_pages", __name__, root_path=str(PACKAGE_DIR))
    bp.template_folder = "templates"

    def need(prefix: str | None) -> None:
        if prefix is None:
            abort(404)  # the API this page runs on is not mounted

    @bp.after_request
    async def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @bp.errorhandler(ProblemError)
    async def problem_page(err: ProblemError) -> Response:
        response = await _page(
            settings, "problem.html", None, err.code.status, title=err.code.title, err=err
        )
        for name, value in err.headers.items():
            response.headers[name] = value
        return response

    @bp.errorhandler(HTTPException)
    async def http_error_page(err: HTTPException) -> ResponseReturnValue:
        if err.code is None or err.code < 400:
            return err.get_response()
        title = "Page not found" if err.code == 404 else err.name
        return await _page(settings, "problem.html", None, err.code, title=title, err=None)

    @bp.get(f"{ASSETS_PATH}/<path:filename>")
    @hide  # a page, not API: kept out of a host's quart-schema document
    async def asset(filename: str) -> Response:
        content_type = ASSET_TYPES.get(posixpath.splitext(filename)[1])
        if content_type is None:
            abort(404)
        response = await send_from_directory(STATIC_DIR, filename, mimetype=content_type)
        # Revalidated on every use (cheap with the ETag): a new version shows at once.
        response.headers["Cache-Control"] = "no-cache"
        return response

    @bp.get("/invite/<invitation_id>")
    @hide  # a page, not API: kept out of a host's quart-schema document
    async def invitation(invitation_id: str) -> Response:
        need(settings.invitations_prefix)
        try:
            found, issuer = await show_invitation(ctx(), invitation_id)
        except ProblemError as err:
            if err.code is not ErrorCode.INVITATION_NOT_FOUND:
                raise
            return await _page(settings, "invitation_gone.html", None, 404)
        expires_at = found.issued_at + settings.invitation_ttl
        return await _page(
            settings,
            "invite.html",
            "invite.js",
            invitation_id=found.id,
            issuer=issuer.name,
            issued_at=_iso(found.issued_at),
            issued_at_text=_utc_text(found.issued_at),
            expires_at=_iso(expires_at),
            expires_at_text=_utc_text(expires_at),
        )

    @bp.get("/register")
    @hide  # a page, not API: kept out of a host's quart-schema document
    async def register() -> Response:
        need(settings.accounts_prefix)
        token = request.args.get("token", "")
        try:
            if not token:
                raise ProblemError(ErrorCode.INVITE_INVALID, "the link has no invite token")
            claims = verify_invite(ctx(), token)
        except ProblemError as err:
            if err.code not in (ErrorCode.INVITE_INVALID, ErrorCode.INVITE_EXPIRED):
                raise
            return await _page(
                settings,
                "register_refused.html",
                None,
                err.code.status,
                expired=err.code is ErrorCode.INVITE_EXPIRED,
            )
        if settings.registration_mode == "closed":
            raise ProblemError(ErrorCode.REGISTRATION_CLOSED)
        return await _page(
            settings,
            "register.html",
            "register.js",
            account=claims.account,
            domain=claims.domain,
            privileged=claims.privileged,
            expires_at=_iso(claims.expires_at),
            expires_at_text=_utc_text(claims.expires_at),
        )

    @bp.get("/login")
    @hide  # a page, not API: kept out of a host's quart-schema document
    async def login() -> Response:
        need(settings.accounts_prefix)
        return await _page(settings, "login.html", "login.js")

    @bp.get("/login/password")
    @hide  # a page, not API: kept out of a host's quart-schema document
    async def password_login() -> Response:
        need(settings.invitations_prefix)
        return await _page(settings, "password_login.html", "password-login.js")

    @bp.get("/account")
    @hide  # a page, not API: kept out of a host's quart-schema document
    async def account() -> ResponseReturnValue:
        session = await resolve_session()
        if session is None:
            target = ".login" if settings.accounts_prefix is not None else ".password_login"
            return redirect(url_for(target), 303)
        principal = session.principal
        return await _page(
            settings,
            "account.html",
            "account.js",
            principal=principal,
            created_at=_iso(principal.created_at),
            created_at_text=_utc_text(principal.created_at),
        )

    return bp
