"""Seed 003 passwords: a documented policy and Argon2id hashing off the event loop."""

from __future__ import annotations

import unicodedata
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..config import Settings
from ..errors import ErrorCode, ProblemError
from .slow import run_slow


def normalize_password(password: str) -> str:
    """NFKC, so the same password typed on any keyboard or input method matches."""
    return unicodedata.normalize("NFKC", password)


def apply_policy(settings: Settings, password: str) -> str:
    """The policy for new passwords: length counted after normalization, no controls."""
    normalized = normalize_password(password)
    length = len(normalized)
    if length < settings.password_min_length:
        raise ProblemError(
            ErrorCode.INVALID_PASSWORD,
            f"passwords have at least {settings.password_min_length} characters",
        )
    if length > settings.password_max_length:
        raise ProblemError(
            ErrorCode.INVALID_PASSWORD,
            f"passwords have at most {settings.password_max_length} characters",
        )
    if any(unicodedata.category(c) == "Cc" for c in normalized):
        raise ProblemError(
            ErrorCode.INVALID_PASSWORD, "passwords may not contain control characters"
        )
    return normalized


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._hasher = PasswordHasher(
            time_cost=settings.password_time_cost,
            memory_cost=settings.password_memory_cost,
            parallelism=settings.password_parallelism,
        )

    @cached_property
    def _dummy_hash(self) -> str:
        # Verified against for unknown names, so both answers cost the same.
        return self._hasher.hash("invite-auth: no such login")

    async def hash(self, password: str) -> str:
        return await run_slow(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        def run() -> bool:
            try:
                return self._hasher.verify(password_hash or self._dummy_hash, password) and (
                    password_hash is not None
                )
            except (VerificationError, InvalidHashError):
                return False

        return await run_slow(run)
