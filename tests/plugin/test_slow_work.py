"""Argon2id work runs on a bounded pool of low-priority threads, leaving a core to the loop."""

from __future__ import annotations

import asyncio
import os
import threading
import time

from quart_invite_auth.services.slow import pool_size, run_slow


async def test_slow_work_never_takes_every_core() -> None:
    running = 0
    peak = 0
    lock = threading.Lock()

    def work() -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    niceness = await asyncio.gather(*(run_slow(work) for _ in range(3 * pool_size() + 2)))
    assert peak == pool_size()
    assert pool_size() == max(1, (os.cpu_count() or 2) - 1)
    # lower priority than the event loop's thread
    loop_niceness = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert set(niceness) == {min(19, loop_niceness + 10)}
