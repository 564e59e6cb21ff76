"""Work due at a bus time: timers, timeouts and reminders, in real or virtual time."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bus.clock import BusClock

log = logging.getLogger(__name__)

Callback = Callable[[], Awaitable[None]]


@dataclass(order=True)
class _Entry:
    due: float
    seq: int
    household: str = field(compare=False)
    key: str = field(compare=False)
    callback: Callback = field(compare=False)


class Scheduler:
    """Runs callbacks when a household's bus time reaches their due time.

    One task sleeps until the earliest due entry; a clock jump (``wake``) makes it look again,
    so a five-minute timer fires as soon as a replay advances time by five minutes.
    """

    def __init__(self, clock: BusClock) -> None:
        self.clock = clock
        self._live: dict[str, _Entry] = {}
        self._seq = itertools.count()
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def at(self, household: str, due: float, key: str, callback: Callback) -> None:
        """Schedule ``callback`` at bus time ``due``; a new entry with the same key replaces it."""
        self.cancel(key)
        entry = _Entry(due, next(self._seq), household, key, callback)
        self._live[key] = entry
        self.wake()

    def cancel(self, key: str) -> bool:
        return self._live.pop(key, None) is not None

    def pending(self) -> list[str]:
        return list(self._live)

    def wake(self) -> None:
        self._changed.set()

    def _next_delay(self) -> float | None:
        if not self._live:
            return None
        # Households run on different clocks, so the earliest is found by asking each one.
        return min(e.due - self.clock.now(e.household) for e in self._live.values())

    async def _run(self) -> None:
        while True:
            self._changed.clear()
            for entry in self._take_due():
                try:
                    await entry.callback()
                except Exception:
                    log.exception("scheduled %s failed", entry.key)
            delay = self._next_delay()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=delay)

    def _take_due(self) -> list[_Entry]:
        due = [e for e in self._live.values() if e.due <= self.clock.now(e.household)]
        due.sort()
        for entry in due:
            del self._live[entry.key]
        return due
