"""Failure counting shared by all workers through the store (sliding one-hour window)."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ErrorCode, ProblemError
from ..store.records import FailureCount
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
            # Logged once per lockout, not per refused request: an attacker hammering a
            # locked account must not be able to grow the audit log at will.
            event = ctx.event("lockout", name=key, failures=count)
            ctx.store.record_lockout(key, ctx.now() - window, event)
            raise ProblemError(ErrorCode.RATE_LIMITED, headers={"Retry-After": str(int(window))})


def failure(ctx: AuthContext, limits: Sequence[tuple[str, int]]) -> FailureCount:
    """One failure for each limit's key, to count within another write."""
    now = ctx.now()
    return FailureCount(keys(limits), now, now - ctx.settings.failure_window, keep(limits))


def keys(limits: Sequence[tuple[str, int]]) -> list[str]:
    return [key for key, _ in limits]


def keep(limits: Sequence[tuple[str, int]]) -> int:
    """How many timestamps a counter must keep to tell whether any limit is reached."""
    return max(limit for _, limit in limits)


def login_limits(ctx: AuthContext, account: str, address: str | None) -> list[tuple[str, int]]:
    s = ctx.settings
    return [
        (account_key(account), s.max_failures_per_account),
        (client_key(address), s.max_failures_per_client),
    ]


def mfa_limits(ctx: AuthContext, principal_id: str) -> list[tuple[str, int]]:
    return [(mfa_key(principal_id), ctx.settings.max_mfa_failures_per_account)]
