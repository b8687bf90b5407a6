"""How many topic notebooks run at once in one portal process: the rest wait their turn.

Every live page runs its notebook in a kernel while the server streams it. On a small
machine, 50 visitors arriving together meant 50 kernels starting at once (plus the pool's
refills, each another full notebook run): the CPU thrashed, kernel ports collided, executions
hit their IOPub timeouts, and with a preheated pool nobody got a page within 10 minutes.
With a bounded number of runs the same crowd is served in turn, and each run is fast.

A queued visitor's request simply waits (the browser shows it loading); nginx allows an hour.
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)


def default_slots() -> int:
    """Two runs per CPU: a notebook run waits on I/O and the kernel start part of its time."""
    return max(2, 2 * (os.cpu_count() or 1))


class RenderQueue:
    """A first-come, first-served limit on notebook runs, with counts for the log."""

    def __init__(self, slots: int, logger: logging.Logger | None = None):
        if slots < 1:
            raise ValueError(f"at least one notebook run must be allowed at a time, not {slots}")
        self.slots = slots
        self.log = logger or log
        self.running = 0
        self.waiting = 0
        self._semaphore: asyncio.Semaphore | None = None  # created on the server's event loop

    @asynccontextmanager
    async def slot(self, what: str):
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        if self._semaphore.locked():
            self.log.info("%s waits for a free run (%d running, %d waiting)", what, self.running, self.waiting + 1)
        self.waiting += 1
        try:
            await self._semaphore.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            yield
        finally:
            self.running -= 1
            self._semaphore.release()
