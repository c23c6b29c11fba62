"""Device tokens: lockout without denial of service (OWASP's "device cookies").

A successful login (either surface) gives the client a device token. Later logins that
present a valid token for the same name are judged by that device's own failure counter,
so an attacker who lacks the password, from any number of addresses, cannot stop the owner
from logging in on a device they have used before.

A token is `d1.<payload>.<tag>`: the payload is the issue time and 128 random bits; the tag
is an HMAC, under a key derived from the master secret, over the payload and the name's
compared form. Nothing is stored, so tokens work across workers and servers. The name is
not in the token (it comes with each login request), so a token tells nothing about which
names exist, and a token for one name is worth nothing for another.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct

from ..encoding import EncodingError, b64url_decode, b64url_encode
from ..names import compared_name
from .context import AuthContext

_VERSION = "d1"
_PURPOSE = "device token"
_NONCE_BYTES = 16
_PAYLOAD_BYTES = 8 + _NONCE_BYTES
_TAG_BYTES = 32
# A token may come from a clock a little ahead of this server's (another server's).
_CLOCK_SKEW = 300.0
# Browsers keep the tokens of the last few names used on them, most recent first.
COOKIE_TOKENS = 5
COOKIE_SEPARATOR = "~"
MAX_TOKEN_LEN = 128


def _tag(key: bytes, name: str, payload: bytes) -> bytes:
    return hmac.digest(key, compared_name(name).encode() + b"\x00" + payload, "sha256")


def issue(ctx: AuthContext, name: str) -> str:
    """A new device token for `name` (after its password was proven)."""
    payload = struct.pack(">Q", int(ctx.now())) + secrets.token_bytes(_NONCE_BYTES)
    tag = _tag(ctx.keyring.mac_keys(_PURPOSE)[0], name, payload)
    return f"{_VERSION}.{b64url_encode(payload)}.{b64url_encode(tag)}"


def counter_key(ctx: AuthContext, name: str, token: str | None) -> str | None:
    """The failure counter of (name, device) if `token` is a valid, unexpired device token
    for `name`; None otherwise (no token, a token for another name, a forged or expired
    one: all are simply not trusted, never an error)."""
    if not token or len(token) > MAX_TOKEN_LEN:
        return None
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        return None
    try:
        payload = b64url_decode(parts[1], length=_PAYLOAD_BYTES)
        tag = b64url_decode(parts[2], length=_TAG_BYTES)
    except EncodingError:
        return None
    (issued,) = struct.unpack(">Q", payload[:8])
    now = ctx.now()
    if not now - ctx.settings.device_token_ttl < issued <= now + _CLOCK_SKEW:
        return None
    if not any(
        hmac.compare_digest(_tag(key, name, payload), tag) for key in ctx.keyring.mac_keys(_PURPOSE)
    ):
        return None
    nonce = payload[8:]
    digest = hashlib.sha256(compared_name(name).encode() + b"\x00" + nonce).hexdigest()
    return f"dev:{digest}"


def trusted_key(ctx: AuthContext, name: str, tokens: list[str]) -> str | None:
    """The device counter of the first of `tokens` that is valid for `name`."""
    for token in tokens[:COOKIE_TOKENS]:
        key = counter_key(ctx, name, token)
        if key is not None:
            return key
    return None


def cookie_tokens(value: str | None) -> list[str]:
    """The device tokens a browser's device cookie holds."""
    if not value:
        return []
    tokens = value.split(COOKIE_SEPARATOR)
    return [t for t in tokens if len(t) <= MAX_TOKEN_LEN and t.startswith(f"{_VERSION}.")][
        :COOKIE_TOKENS
    ]


def cookie_value(ctx: AuthContext, name: str, new: str, old: list[str]) -> str:
    """The device cookie after a login as `name`: its new token first, then the tokens of
    other names this browser logged in as (the ones for `name` are replaced)."""
    others = [t for t in old if t != new and counter_key(ctx, name, t) is None]
    return COOKIE_SEPARATOR.join([new, *others][:COOKIE_TOKENS])
