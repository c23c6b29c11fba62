"""Validation of account names, login names and domains; the shared name key."""

from __future__ import annotations

import re
import unicodedata

from .errors import ErrorCode, ProblemError

MAX_NAME_LEN = 64
# LMDB keys stop at 511 bytes, and NFKC can turn one character into eighteen (U+FDFA):
# the compared form is bounded in bytes as well.
MAX_NAME_KEY_BYTES = 256
_ACCOUNT_RE = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def name_key(name: str) -> str:
    """The form names are compared in: one namespace for accounts and logins."""
    return unicodedata.normalize("NFKC", name).casefold()


def name_index_key(name: str) -> bytes | None:
    """The name index's key for `name`; None when too long for any stored name."""
    key = name_key(name).encode()
    return key if len(key) <= MAX_NAME_KEY_BYTES else None


def validate_account_name(account: str) -> str:
    """Seed 000 account names: 1-64 of a-z 0-9 . _ -, starting and ending alphanumeric."""
    if not _ACCOUNT_RE.fullmatch(account):
        raise ProblemError(
            ErrorCode.INVALID_ACCOUNT_NAME,
            "account names are 1-64 characters of a-z, 0-9, '.', '_' and '-', "
            "starting and ending with a letter or digit",
        )
    return account


def validate_login_name(name: str) -> str:
    """Seed 003 login names: free text, NFC-normalized, trimmed, no control characters."""
    name = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(name) <= MAX_NAME_LEN:
        raise ProblemError(ErrorCode.INVALID_NAME, f"names are 1-{MAX_NAME_LEN} characters long")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in name):
        raise ProblemError(ErrorCode.INVALID_NAME, "names may not contain control characters")
    if name_index_key(name) is None:
        raise ProblemError(
            ErrorCode.INVALID_NAME,
            f"names are at most {MAX_NAME_KEY_BYTES} bytes long in NFKC form",
        )
    return name


def validate_domain(domain: str) -> str:
    """A DNS host name (RFC 1123 labels, at least two), compared in lower case."""
    if not domain.isascii():
        # str.lower() maps some non-ASCII letters to ASCII ("K" KELVIN SIGN to "k"): refuse
        # first, so two spellings can never name one domain. IDNs arrive as punycode.
        raise ProblemError(ErrorCode.INVALID_DOMAIN, f"{domain!r} is not ASCII (use punycode)")
    host = domain.lower().removesuffix(".")
    labels = host.split(".")
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_LABEL_RE.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ProblemError(ErrorCode.INVALID_DOMAIN, f"{domain!r} is not a valid domain name")
    return host
