"""Watches one household's messages so the replay can check what happened, and when."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from bus import subjects
from bus.codec import DecodeError, decode
from bus.messages import Message
from bus.transport import Bus, Subscription


@dataclass(frozen=True)
class Seen:
    wall: float  # time.monotonic() when it arrived
    msg: Message


class Recorder:
    def __init__(self, bus: Bus, household: str) -> None:
        self.bus = bus
        self.household = household
        self.seen: list[Seen] = []
        self.undecodable: list[tuple[str, str]] = []
        self._changed = asyncio.Condition()
        self._sub: Subscription | None = None

    async def start(self) -> None:
        self._sub = await self.bus.subscribe_raw(subjects.household_all(self.household), self._on)

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()

    async def _on(self, subject: str, data: bytes, _reply_to: str | None) -> None:
        # Observe only: a bad payload is noted here, and the agents reject it themselves.
        try:
            msg = decode(data)
        except DecodeError as err:
            self.undecodable.append((subject, err.reason))
            return
        async with self._changed:
            self.seen.append(Seen(time.monotonic(), msg))
            self._changed.notify_all()

    def mark(self) -> int:
        return len(self.seen)

    def find(self, since: int, match: Callable[[Message], bool]) -> Seen | None:
        return next((s for s in self.seen[since:] if match(s.msg)), None)

    async def wait_for(
        self, since: int, match: Callable[[Message], bool], timeout: float
    ) -> Seen | None:
        """The first message from index ``since`` on that matches, waiting up to ``timeout``."""
        hit = self.find(since, match)
        if hit is not None or timeout <= 0:
            return hit  # wait_for(..., 0) would not even look at what is already here

        async def found() -> Seen:
            async with self._changed:
                while True:
                    hit = self.find(since, match)
                    if hit is not None:
                        return hit
                    await self._changed.wait()

        try:
            return await asyncio.wait_for(found(), timeout)
        except TimeoutError:
            return None
