"""Bounded hashing: a few Argon2id verifications in flight per name and per address.

The failure limits bound how many attempts get a verdict, but a burst of concurrent
attempts would all be hashed before the first verdict is written: 24 guesses at once
meant 24 Argon2id runs, and seconds of latency for everyone. Attempts beyond a few in
flight are refused (429) before any hashing. The bound is per worker process (it lives
in memory); with N workers at most N times as many run at once."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from ..errors import ErrorCode, ProblemError

RETRY_AFTER = 1


class InFlight:
    def __init__(self) -> None:
        # Touched from the event loop only (before and after awaiting the hash).
        self._running: dict[str, int] = {}

    def running(self, key: str) -> int:
        return self._running.get(key, 0)

    @contextlib.contextmanager
    def admit(self, limits: Sequence[tuple[str, int]]) -> Iterator[None]:
        """Hold one slot on every key for the block; 429 if any key is full."""
        if any(self.running(key) >= most for key, most in limits):
            raise ProblemError(
                ErrorCode.RATE_LIMITED,
                "too many password checks for this name or address are in progress",
                headers={"Retry-After": str(RETRY_AFTER)},
            )
        for key, _ in limits:
            self._running[key] = self.running(key) + 1
        try:
            yield
        finally:
            for key, _ in limits:
                left = self._running[key] - 1
                if left:
                    self._running[key] = left
                else:
                    del self._running[key]
