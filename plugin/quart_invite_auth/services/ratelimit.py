"""Failure counting shared by all workers through the store (sliding one-hour window).

Each attempt is judged by the store in the write that records its outcome (see
`Attempt`); `check` is only an early, read-only refusal that spares the work (KE2,
Argon2id) of an attempt that would be refused anyway."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import NoReturn

from ..errors import ErrorCode, ProblemError
from ..store.records import Attempt
from .context import AuthContext

Limits = Sequence[tuple[str, int]]

# Counter keys embed names and addresses chosen by clients; LMDB keys stop at 511 bytes.
MAX_KEY_BYTES = 200


def _bounded(prefix: str, subject: str) -> str:
    key = f"{prefix}:{subject}"
    if len(key.encode()) <= MAX_KEY_BYTES:
        return key
    return f"{prefix}:sha256:{hashlib.sha256(subject.encode()).hexdigest()}"


def account_key(account: str) -> str:
    return _bounded("acct", account)


def client_key(address: str | None) -> str:
    return _bounded("addr", address or "unknown")


def mfa_key(principal_id: str) -> str:
    return _bounded("mfa", principal_id)


def attempt(ctx: AuthContext, limits: Limits) -> Attempt:
    now = ctx.now()
    return Attempt(limits, now, now - ctx.settings.failure_window)


async def check(ctx: AuthContext, limits: Limits, *, own: Sequence[str] = ()) -> None:
    """Refuse before doing any work when a key has reached its limit.

    `own` keys hold a failure of this very attempt that is taken back before the store
    judges it (a login start's, once KE3 proves the password): it does not count here."""
    counts = await ctx.store.recent_failures(keys(limits), ctx.now() - ctx.settings.failure_window)
    if any(
        count - (key in own) >= limit for (key, limit), count in zip(limits, counts, strict=True)
    ):
        await refuse(ctx, limits, own=own)


async def refuse(ctx: AuthContext, limits: Limits, *, own: Sequence[str] = ()) -> NoReturn:
    """Answer 429 for an attempt the limits refused, logging the lockout once."""
    window = ctx.settings.failure_window
    since = ctx.now() - window
    counts = await ctx.store.recent_failures(keys(limits), since)
    at_limit = [
        (key, count)
        for (key, limit), count in zip(limits, counts, strict=True)
        if count - (key in own) >= limit
    ]
    for key, count in at_limit[:1]:
        # Logged once per lockout, not per refused request: an attacker hammering a
        # locked account must not be able to grow the audit log at will.
        await ctx.store.record_lockout(key, since, ctx.event("lockout", name=key, failures=count))
    raise ProblemError(ErrorCode.RATE_LIMITED, headers={"Retry-After": str(int(window))})


def keys(limits: Limits) -> list[str]:
    return [key for key, _ in limits]


def login_limits(ctx: AuthContext, account: str, address: str | None) -> list[tuple[str, int]]:
    s = ctx.settings
    return [
        (account_key(account), s.max_failures_per_account),
        (client_key(address), s.max_failures_per_client),
    ]


def mfa_limits(ctx: AuthContext, principal_id: str, address: str | None) -> list[tuple[str, int]]:
    s = ctx.settings
    return [
        (mfa_key(principal_id), s.max_mfa_failures_per_account),
        (client_key(address), s.max_failures_per_client),
    ]
