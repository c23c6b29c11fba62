"""Failure counting shared by all workers through the store (sliding one-hour window)."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ErrorCode, ProblemError
from .context import AuthContext


def account_key(account: str) -> str:
    return f"acct:{account}"


def client_key(address: str | None) -> str:
    return f"addr:{address or 'unknown'}"


def mfa_key(principal_id: str) -> str:
    return f"mfa:{principal_id}"


def check(ctx: AuthContext, limits: Sequence[tuple[str, int]]) -> None:
    """Refuse before doing any work when a key has reached its limit."""
    window = ctx.settings.failure_window
    counts = ctx.store.recent_failures([k for k, _ in limits], ctx.now() - window)
    for (key, limit), count in zip(limits, counts, strict=True):
        if count >= limit:
            ctx.audit("lockout", name=key, failures=count)
            raise ProblemError(ErrorCode.RATE_LIMITED, headers={"Retry-After": str(int(window))})


def fail(ctx: AuthContext, limits: Sequence[tuple[str, int]]) -> None:
    now = ctx.now()
    keep = max(limit for _, limit in limits)
    ctx.store.add_failure([k for k, _ in limits], now, now - ctx.settings.failure_window, keep)


def login_limits(ctx: AuthContext, account: str, address: str | None) -> list[tuple[str, int]]:
    s = ctx.settings
    return [
        (account_key(account), s.max_failures_per_account),
        (client_key(address), s.max_failures_per_client),
    ]


def mfa_limits(ctx: AuthContext, principal_id: str) -> list[tuple[str, int]]:
    return [(mfa_key(principal_id), ctx.settings.max_mfa_failures_per_account)]
