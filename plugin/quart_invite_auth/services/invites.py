"""Seed 000 invite tokens: a UUID with HMAC-protected system and custom claims."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any

from ..encoding import EncodingError, b64url_decode, b64url_encode
from ..errors import ErrorCode, ProblemError
from ..names import validate_account_name, validate_domain
from ..store.records import InviteToken
from .context import AuthContext

_VERSION = "v1"
_MAC_PURPOSE = "invite token"
MAX_TOKEN_LEN = 4096


@dataclass(frozen=True)
class InviteClaims:
    jti: str
    account: str
    domain: str | None
    privileged: bool
    issued_at: float
    expires_at: float
    issued_by: str | None
    claims: dict[str, Any]


# HMAC-SHA256: the tag is exactly 32 bytes, spelled in exactly 43 characters.
_TAG_BYTES = 32


def _mac(key: bytes, payload: str) -> bytes:
    return hmac.new(key, f"{_VERSION}.{payload}".encode(), hashlib.sha256).digest()


async def issue_invite(
    ctx: AuthContext,
    *,
    account: str,
    domain: str | None,
    privileged: bool = False,
    claims: dict[str, Any] | None = None,
    ttl: float | None = None,
    issued_by: str | None = None,
) -> tuple[str, InviteClaims]:
    """The seed's checks in its order, then api_invite_get(): mint, store the id (replay)."""
    if domain is not None:
        domain = validate_domain(domain)
        if await ctx.store.domain_owner(domain) is not None:
            raise ProblemError(ErrorCode.DOMAIN_TAKEN, f"{domain} already has an owner")
    account = validate_account_name(account).shown
    if await ctx.store.name_owner(account) is not None:
        raise ProblemError(ErrorCode.ACCOUNT_EXISTS, f"the account {account!r} already exists")
    if ctx.settings.registration_mode == "closed":
        raise ProblemError(ErrorCode.REGISTRATION_CLOSED)
    now = ctx.now()
    invite = InviteClaims(
        jti=str(uuid.uuid4()),
        account=account,
        domain=domain,
        privileged=privileged,
        issued_at=now,
        expires_at=now + (ttl if ttl is not None else ctx.settings.invite_ttl),
        issued_by=issued_by,
        claims=dict(claims or {}),
    )
    body = {
        "jti": invite.jti,
        "sys": {
            "account": invite.account,
            "domain": invite.domain,
            "privileged": invite.privileged,
            "iat": invite.issued_at,
            "exp": invite.expires_at,
            "iss": invite.issued_by,
        },
        "custom": invite.claims,
    }
    payload = b64url_encode(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    tag = _mac(ctx.keyring.mac_keys(_MAC_PURPOSE)[0], payload)
    await ctx.store.put_invite(
        InviteToken(
            jti=invite.jti,
            expires_at=invite.expires_at,
            issued_at=invite.issued_at,
            issued_by=issued_by,
            domain=invite.domain,
            account=invite.account,
            privileged=invite.privileged,
        ),
        [
            ctx.event(
                "invite_issued",
                principal_id=issued_by,
                name=account,
                domain=domain,
                privileged=privileged,
                jti=invite.jti,
            )
        ],
    )
    return f"{_VERSION}.{payload}.{b64url_encode(tag)}", invite


def verify_invite(ctx: AuthContext, token: str) -> InviteClaims:
    """Check the HMAC (constant time, current secret then fallbacks), then the expiry.

    Every part is decoded strictly: only the one spelling the server wrote verifies (no
    padding, no other alphabet, no stray characters, no other unused trailing bits)."""
    parts = token.split(".")
    if len(token) > MAX_TOKEN_LEN or len(parts) != 3 or parts[0] != _VERSION:
        raise ProblemError(ErrorCode.INVITE_INVALID)
    _, payload, tag_text = parts
    try:
        tag = b64url_decode(tag_text, length=_TAG_BYTES)
        body_bytes = b64url_decode(payload)
    except EncodingError as exc:
        raise ProblemError(ErrorCode.INVITE_INVALID) from exc
    if not any(
        hmac.compare_digest(_mac(key, payload), tag) for key in ctx.keyring.mac_keys(_MAC_PURPOSE)
    ):
        raise ProblemError(ErrorCode.INVITE_INVALID)
    # Authentic from here on: the content was written by us.
    body = json.loads(body_bytes)
    system = body["sys"]
    invite = InviteClaims(
        jti=body["jti"],
        account=system["account"],
        domain=system["domain"],
        privileged=system["privileged"],
        issued_at=system["iat"],
        expires_at=system["exp"],
        issued_by=system["iss"],
        claims=body["custom"],
    )
    if invite.expires_at <= ctx.now():
        raise ProblemError(ErrorCode.INVITE_EXPIRED)
    return invite
