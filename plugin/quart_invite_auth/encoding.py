"""Strict base64url (RFC 4648 §5) without padding: one spelling per byte string.

Python's decoders are lenient (they drop characters outside the alphabet, accept either
alphabet and padding, ignore unused trailing bits), so a value with a signature or a MAC
over it could be written several ways. Everything the server reads goes through here."""

from __future__ import annotations

import base64
import binascii
import re

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class EncodingError(ValueError):
    """Not canonical base64url without padding."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str, *, length: int | None = None) -> bytes:
    """The bytes `text` spells, if it is their canonical spelling (and of `length`)."""
    if (
        not _B64URL.fullmatch(text)
        or len(text) % 4 == 1
        or (length is not None and len(text) != (length * 4 + 2) // 3)
    ):
        raise EncodingError("must be base64url without padding")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise EncodingError("must be base64url without padding") from exc
    if b64url_encode(raw) != text:
        raise EncodingError("is not canonical base64url")
    return raw
