"""TOTP (RFC 6238: SHA-1, 6 digits, 30 s) and recovery codes."""

from __future__ import annotations

import base64
import hmac
import secrets
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import ErrorCode, ProblemError
from ..store.records import Principal, RecoveryCodes
from .context import AuthContext
from .slow import run_slow

TOTP_DIGITS = 6
TOTP_INTERVAL = 30
# Accept the previous and the next step as well: clocks drift by up to one step.
TOTP_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# 16 base32 characters = 80 bits per code.
RECOVERY_CODE_CHARS = 16

# Recovery codes carry 80 bits of entropy, so a light Argon2id cost (OWASP's minimum
# profile) is enough; it keeps the ten checks of one recovery login near 250 ms.
_recovery_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@dataclass(frozen=True)
class MfaSecrets:
    totp_secret: str
    otpauth_uri: str
    recovery_codes: list[str]


def new_totp_secret() -> str:
    return pyotp.random_base32(32)  # 160 bits, the RFC 4226 recommended key size


def otpauth_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL).provisioning_uri(
        name=account, issuer_name=issuer
    )


def new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode()  # exactly 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_CHARS, 4))


def normalize_recovery_code(code: str) -> str:
    """Case- and separator-insensitive: only the base32 characters count."""
    return "".join(c for c in code.upper() if c.isascii() and c.isalnum())


async def new_mfa_secrets(account: str, issuer: str) -> tuple[MfaSecrets, RecoveryCodes]:
    secret = new_totp_secret()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    hashes = await run_slow(
        lambda: [_recovery_hasher.hash(normalize_recovery_code(c)) for c in codes]
    )
    return (
        MfaSecrets(secret, otpauth_uri(secret, account, issuer), codes),
        RecoveryCodes(hashes=list(hashes)),
    )


def totp_step(now: float) -> int:
    return int(now // TOTP_INTERVAL)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
    current = totp_step(now)
    found = None
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        # compare every candidate so the timing does not tell which step matched
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def match_totp(ctx: AuthContext, principal: Principal, code: str) -> int:
    """The time step a code belongs to; it must be later than the last one used.

    The caller spends the step with the store, atomically: a concurrent use of the same
    code loses there even if both pass this check."""
    if principal.totp_secret is None:
        raise ProblemError(ErrorCode.MFA_INVALID)
    normalized = code.replace(" ", "")
    # isdigit() alone admits other scripts' digits ("١٢٣٤٥٦"), which are not a code
    if len(normalized) != TOTP_DIGITS or not (normalized.isascii() and normalized.isdigit()):
        raise ProblemError(ErrorCode.MFA_INVALID)
    step = _matching_step(principal.totp_secret, normalized, ctx.now())
    if step is None:
        raise ProblemError(ErrorCode.MFA_INVALID)
    if step <= principal.totp_last_step:
        raise ProblemError(ErrorCode.TOTP_REPLAYED)
    return step


async def match_recovery_code(ctx: AuthContext, principal: Principal, code: str) -> int:
    """The index of the unused recovery code that matches; the caller strikes it out."""
    normalized = normalize_recovery_code(code)
    if len(normalized) != RECOVERY_CODE_CHARS:
        raise ProblemError(ErrorCode.MFA_INVALID)
    hashes = (await ctx.store.recovery_codes(principal.id)).hashes

    def find() -> int | None:
        for index, hashed in enumerate(hashes):
            if hashed is None:
                continue
            try:
                if _recovery_hasher.verify(hashed, normalized):
                    return index
            except (VerificationError, InvalidHashError):
                continue
        return None

    index = await run_slow(find)  # Argon2id: off the event loop
    if index is None:
        raise ProblemError(ErrorCode.MFA_INVALID)
    return index
