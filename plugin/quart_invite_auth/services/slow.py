"""CPU-heavy work (Argon2id) off the event loop, on a small pool of low-priority threads.

`asyncio.to_thread` alone keeps the loop free of the work but not of its competition: a
burst of password hashes (each Argon2id with p=4 runs four lanes) fills every core, and the
loop's own requests then wait for CPU. So the work runs on at most cores - 1 threads, at
a lower scheduling priority that the Argon2 lane threads inherit, and the loop keeps a core
to answer everything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# How much nicer than the process the worker threads are: a hint to the scheduler, not
# a limit; 10 is what batch work usually gets (19 is the most there is).
_NICER_BY = 10
_MAX_NICENESS = 19

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def pool_size() -> int:
    return max(1, (os.cpu_count() or 2) - 1)


def _lower_priority() -> None:
    # Linux scheduling priority is per thread; threads this one creates inherit it.
    with contextlib.suppress(OSError, AttributeError):
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(_MAX_NICENESS, current + _NICER_BY))


def _get_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=pool_size(),
                thread_name_prefix="invite-auth-slow",
                initializer=_lower_priority,
            )
        return _pool


async def run_slow(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn` on the slow-work pool and wait for it without blocking the loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_get_pool(), functools.partial(fn, *args, **kwargs))
