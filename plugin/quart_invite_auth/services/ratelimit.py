"""Failure limits shared by all workers through the store (sliding one-hour window).

Counters are keyed by the compared form of the name an attempt is for (never by who
owns it), and both login surfaces use the same ones, so a name counts the same whether it
belongs to an OPAQUE account, a password login or nobody.

* untrusted attempts (no valid device token): per name, with delays that grow after a
  few free failures (1 s, 2 s, 4 s, ... up to `max_failure_delay`) and at most
  `max_failures_per_account` an hour; and per client address;
* attempts with a valid device token for the name: that device's own counter only
  (`max_failures_per_device`), after which the device is judged as untrusted;
* second factors, once the password is proven: per name, and per address unless a device
  token vouched for the login.

Each attempt is judged by the store in the write that records its outcome (see
`Attempt`); the read before it (`Store.login_lookup`, `Store.login_to_finish`) only
refuses early, to spare the work (KE2, Argon2id, the second factor) of an attempt the
write would refuse anyway."""

from __future__ import annotations

import functools
import hashlib
import math
from typing import NoReturn

from ..errors import ErrorCode, ProblemError
from ..names import compared_name
from ..store.records import Attempt, Limit
from .context import AuthContext

# Counter keys embed addresses chosen by clients; LMDB keys stop at 511 bytes.
MAX_KEY_BYTES = 200


def _bounded(prefix: str, subject: str) -> str:
    key = f"{prefix}:{subject}"
    if len(key.encode()) <= MAX_KEY_BYTES:
        return key
    return f"{prefix}:sha256:{hashlib.sha256(subject.encode()).hexdigest()}"


@functools.lru_cache(maxsize=4096)
def _name_digest(name: str) -> str:
    return hashlib.sha256(compared_name(name).encode()).hexdigest()


def name_key(name: str) -> str:
    """Untrusted failures for a name, on both surfaces."""
    return f"name:{_name_digest(name)}"


def mfa_key(name: str) -> str:
    return f"mfa:{_name_digest(name)}"


def client_key(address: str | None) -> str:
    return _bounded("addr", address or "unknown")


def login_attempt(ctx: AuthContext, name: str, address: str | None, device: str | None) -> Attempt:
    """A password attempt (OPAQUE login start, or seed-003 password login) for `name`;
    `device` is the counter of a valid device token for it, if one came along."""
    s = ctx.settings
    limits = [
        Limit(
            name_key(name),
            s.max_failures_per_account,
            free=s.free_failures_per_account,
            max_delay=s.max_failure_delay,
        ),
        Limit(client_key(address), s.max_failures_per_client),
    ]
    trusted = [Limit(device, s.max_failures_per_device)] if device is not None else []
    return Attempt(limits, ctx.now(), s.failure_window, trusted)


def mfa_attempt(ctx: AuthContext, name: str, address: str | None, trusted: bool) -> Attempt:
    s = ctx.settings
    limits = [Limit(mfa_key(name), s.max_mfa_failures_per_account)]
    if not trusted:
        limits.append(Limit(client_key(address), s.max_failures_per_client))
    return Attempt(limits, ctx.now(), s.failure_window)


def hashing_limits(
    ctx: AuthContext, name: str, address: str | None, device: str | None
) -> list[tuple[str, int]]:
    """In-flight Argon2id verifications allowed per name and per address (or, with a
    device token, per device: others' guesses cannot crowd out its owner)."""
    s = ctx.settings
    if device is not None:
        return [(device, s.max_hashing_per_account)]
    return [
        (name_key(name), s.max_hashing_per_account),
        (client_key(address), s.max_hashing_per_client),
    ]


async def refuse(
    ctx: AuthContext, attempt: Attempt, *, name: str, retry_after: float | None = None
) -> NoReturn:
    """Answer 429 for an attempt the limits refused, with an honest Retry-After, and log
    the lockout once per window (not per refused request: an attacker hammering a name
    must not be able to grow the audit log at will)."""
    failures = await ctx.store.failures(attempt.keys)
    if retry_after is None:
        retry_after = attempt.judge(failures).retry_after
    for limit in attempt.limits:
        times = failures.get(limit.key, [])
        if limit.wait(times, attempt.now, attempt.window) > 0:
            await ctx.store.record_lockout(
                limit.key,
                attempt.since,
                ctx.event(
                    "lockout",
                    name=name,
                    counter=limit.key.partition(":")[0],
                    failures=sum(1 for t in times if t > attempt.since),
                ),
            )
            break
    seconds = max(1, math.ceil(retry_after))
    raise ProblemError(
        ErrorCode.RATE_LIMITED,
        f"too many failed attempts; try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )
