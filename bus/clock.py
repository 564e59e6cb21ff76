"""Bus time: real time when live, virtual time per household when a scenario is replayed.

Virtual time flows at wall-clock speed between jumps, so a short pause in a scenario is a
short pause for every agent, while ``advance: 5m`` jumps five minutes in an instant.
"""

from __future__ import annotations

import time
from collections.abc import Callable


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
