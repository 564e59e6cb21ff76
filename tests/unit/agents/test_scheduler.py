"""agents/scheduler.py: work due at a household's bus time, in real or virtual time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from agents.scheduler import Scheduler
from bus.clock import BusClock

T = 2_000_000_000.0  # virtual start time
FIRE_TIMEOUT = 1.0  # a fired entry runs at once; this only bounds a failing test


class Fired:
    """Callbacks that record, in order, which key ran."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.changed = asyncio.Event()

    def cb(self, key: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            self.keys.append(key)
            self.changed.set()

        return run

    async def wait_for(self, count: int) -> None:
        async def reach() -> None:
            while len(self.keys) < count:
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(reach(), FIRE_TIMEOUT)


@pytest.fixture
def clock() -> BusClock:
    clock = BusClock()
    clock.set_virtual("h1", T)
    return clock


@pytest.fixture
async def scheduler(clock: BusClock) -> AsyncIterator[Scheduler]:
    scheduler = Scheduler(clock)
    scheduler.start()
    yield scheduler
    await scheduler.stop()


def jump(clock: BusClock, scheduler: Scheduler, household: str, to: float) -> None:
    """What an agent does on a system.clock message."""
    assert clock.set_virtual(household, to)
    scheduler.wake()


async def test_an_entry_fires_when_the_virtual_clock_jumps_past_due(
    clock: BusClock, scheduler: Scheduler
) -> None:
    fired = Fired()
    scheduler.at("h1", T + 300, "t1", fired.cb("t1"))
    await asyncio.sleep(0.05)
    assert fired.keys == []
    assert scheduler.pending() == ["t1"]
    jump(clock, scheduler, "h1", T + 299)
    await asyncio.sleep(0.05)
    assert fired.keys == []
    jump(clock, scheduler, "h1", T + 300)
    await fired.wait_for(1)
    assert fired.keys == ["t1"]
    assert scheduler.pending() == []


async def test_an_entry_fires_when_virtual_time_flows_past_due(
    clock: BusClock, scheduler: Scheduler
) -> None:
    fired = Fired()
    began = time.monotonic()
    scheduler.at("h1", clock.now("h1") + 0.1, "soon", fired.cb("soon"))
    await fired.wait_for(1)
    assert time.monotonic() - began >= 0.09


async def test_an_entry_due_in_live_time_fires(scheduler: Scheduler) -> None:
    fired = Fired()
    scheduler.at("live-house", time.time() + 0.05, "live", fired.cb("live"))
    await fired.wait_for(1)
    assert fired.keys == ["live"]


async def test_an_entry_already_due_fires_at_once(scheduler: Scheduler) -> None:
    fired = Fired()
    scheduler.at("h1", T - 10, "late", fired.cb("late"))
    await fired.wait_for(1)
    assert fired.keys == ["late"]


async def test_entries_due_in_one_jump_fire_in_due_order(
    clock: BusClock, scheduler: Scheduler
) -> None:
    fired = Fired()
    scheduler.at("h1", T + 30, "b", fired.cb("b"))
    scheduler.at("h1", T + 10, "a", fired.cb("a"))
    scheduler.at("h1", T + 90, "c", fired.cb("c"))
    scheduler.at("h1", T + 1000, "later", fired.cb("later"))
    jump(clock, scheduler, "h1", T + 100)
    await fired.wait_for(3)
    await asyncio.sleep(0.02)
    assert fired.keys == ["a", "b", "c"]
    assert scheduler.pending() == ["later"]


async def test_cancel(clock: BusClock, scheduler: Scheduler) -> None:
    fired = Fired()
    scheduler.at("h1", T + 60, "keep", fired.cb("keep"))
    scheduler.at("h1", T + 60, "drop", fired.cb("drop"))
    assert scheduler.cancel("drop") is True
    assert scheduler.cancel("drop") is False
    assert scheduler.cancel("never") is False
    jump(clock, scheduler, "h1", T + 61)
    await fired.wait_for(1)
    await asyncio.sleep(0.02)
    assert fired.keys == ["keep"]


async def test_the_same_key_replaces_the_entry(clock: BusClock, scheduler: Scheduler) -> None:
    fired = Fired()
    scheduler.at("h1", T + 60, "k", fired.cb("first"))
    scheduler.at("h1", T + 120, "k", fired.cb("second"))
    assert scheduler.pending() == ["k"]
    jump(clock, scheduler, "h1", T + 90)
    await asyncio.sleep(0.05)
    assert fired.keys == []  # the first due time is gone with the first entry
    jump(clock, scheduler, "h1", T + 120)
    await fired.wait_for(1)
    await asyncio.sleep(0.02)
    assert fired.keys == ["second"]


async def test_households_keep_their_own_time(clock: BusClock, scheduler: Scheduler) -> None:
    fired = Fired()
    clock.set_virtual("h2", T)
    scheduler.at("h1", T + 60, "h1-timer", fired.cb("h1"))
    scheduler.at("h2", T + 60, "h2-timer", fired.cb("h2"))
    jump(clock, scheduler, "h2", T + 3600)
    await fired.wait_for(1)
    await asyncio.sleep(0.02)
    assert fired.keys == ["h2"]
    assert scheduler.pending() == ["h1-timer"]


async def test_a_failing_callback_does_not_stop_the_scheduler(
    clock: BusClock, scheduler: Scheduler
) -> None:
    fired = Fired()

    async def broken() -> None:
        raise RuntimeError("boom")

    scheduler.at("h1", T + 1, "broken", broken)
    scheduler.at("h1", T + 2, "fine", fired.cb("fine"))
    jump(clock, scheduler, "h1", T + 5)
    await fired.wait_for(1)
    scheduler.at("h1", T + 6, "after", fired.cb("after"))
    jump(clock, scheduler, "h1", T + 7)
    await fired.wait_for(2)
    assert fired.keys == ["fine", "after"]


async def test_a_stopped_scheduler_fires_nothing(clock: BusClock) -> None:
    fired = Fired()
    scheduler = Scheduler(clock)
    scheduler.start()
    scheduler.at("h1", T + 60, "k", fired.cb("k"))
    await scheduler.stop()
    jump(clock, scheduler, "h1", T + 61)
    await asyncio.sleep(0.05)
    assert fired.keys == []
    assert scheduler.pending() == ["k"]  # kept: a restart would still run it
    scheduler.start()
    await fired.wait_for(1)
    await scheduler.stop()
    assert fired.keys == ["k"]
