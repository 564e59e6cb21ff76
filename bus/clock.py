"""Bus time: real time when live, virtual time per household when a scenario is replayed.

Virtual time flows at wall-clock speed between jumps, so a short pause in a scenario is a
short pause for every agent, while ``advance: 5m`` jumps five minutes in an instant.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import msgpack

from bus.messages import Clock

if TYPE_CHECKING:
    from bus.transport import Bus


class BusClock:
    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._wall = wall
        self._monotonic = monotonic
        # household -> (virtual time at the last jump, monotonic reading at that jump)
        self._virtual: dict[str, tuple[float, float]] = {}

    def now(self, household: str | None = None) -> float:
        anchor = self._virtual.get(household) if household is not None else None
        if anchor is None:
            return self._wall()
        virtual, at = anchor
        return virtual + (self._monotonic() - at)

    def is_virtual(self, household: str) -> bool:
        return household in self._virtual

    def set_virtual(self, household: str, now: float) -> bool:
        """Jump a household's clock to ``now``; never backwards. True when it moved."""
        if household in self._virtual and now <= self.now(household):
            return False
        self._virtual[household] = (now, self._monotonic())
        return True

    def households(self) -> list[str]:
        return list(self._virtual)


CLOCK_BUCKET = "household"


def _clock_key(household: str) -> str:
    return f"{household}.clock"


async def announce_virtual_time(bus: Bus, household: str, now: float, source: str) -> None:
    """Move a household to virtual time ``now``: tell every agent, and record it in KV so an
    agent that (re)starts later picks the household's virtual time up instead of wall time."""
    anchor = msgpack.packb({"virtual": now, "wall": time.time()})
    await bus.kv_put(CLOCK_BUCKET, _clock_key(household), anchor)
    await bus.publish(Clock(ts=now, household=household, source=source, now=now))


async def restore_virtual_time(bus: Bus, clock: BusClock) -> None:
    """Load every household's recorded virtual time into ``clock`` (on agent start)."""
    for key in await bus.kv_keys(CLOCK_BUCKET):
        household, _, kind = key.rpartition(".")
        data = await bus.kv_get(CLOCK_BUCKET, key)
        if kind != "clock" or data is None:
            continue
        anchor = msgpack.unpackb(data)
        # Virtual time flows at wall speed between jumps; wall time is shared across hosts.
        clock.set_virtual(household, anchor["virtual"] + max(0.0, time.time() - anchor["wall"]))
