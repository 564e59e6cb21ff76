"""bus/clock.py: live time, per-household virtual time that flows, never backwards."""

from __future__ import annotations

import time

from bus.clock import BusClock


class FakeTime:
    def __init__(self, wall: float = 1_000_000.0, mono: float = 50.0) -> None:
        self.wall = wall
        self.mono = mono

    def clock(self) -> BusClock:
        return BusClock(wall=lambda: self.wall, monotonic=lambda: self.mono)


def test_live_time_is_the_wall_clock() -> None:
    fake = FakeTime()
    clock = fake.clock()
    assert clock.now() == 1_000_000.0
    assert clock.now("h1") == 1_000_000.0
    fake.wall += 2.5
    assert clock.now("h1") == 1_000_002.5
    assert not clock.is_virtual("h1")
    assert clock.households() == []


def test_the_default_clock_is_real_time() -> None:
    before = time.time()
    now = BusClock().now("h1")
    assert before <= now <= time.time()


def test_virtual_time_is_per_household() -> None:
    fake = FakeTime()
    clock = fake.clock()
    assert clock.set_virtual("h1", 5_000.0) is True
    assert clock.now("h1") == 5_000.0
    assert clock.is_virtual("h1")
    assert not clock.is_virtual("h2")
    assert clock.now("h2") == 1_000_000.0
    assert clock.now() == 1_000_000.0
    assert clock.households() == ["h1"]


def test_virtual_time_flows_with_the_monotonic_clock() -> None:
    fake = FakeTime()
    clock = fake.clock()
    clock.set_virtual("h1", 5_000.0)
    fake.mono += 2.5
    fake.wall += 999.0  # the wall clock does not move virtual time
    assert clock.now("h1") == 5_002.5
    fake.mono += 0.5
    assert clock.now("h1") == 5_003.0


def test_a_jump_restarts_the_flow_from_the_new_time() -> None:
    fake = FakeTime()
    clock = fake.clock()
    clock.set_virtual("h1", 5_000.0)
    fake.mono += 10.0
    assert clock.set_virtual("h1", 5_300.0) is True
    assert clock.now("h1") == 5_300.0
    fake.mono += 1.0
    assert clock.now("h1") == 5_301.0


def test_virtual_time_never_goes_backwards() -> None:
    fake = FakeTime()
    clock = fake.clock()
    clock.set_virtual("h1", 5_000.0)
    fake.mono += 3.0  # now 5003
    assert clock.set_virtual("h1", 4_000.0) is False
    assert clock.set_virtual("h1", 5_003.0) is False  # equal is not a move either
    assert clock.now("h1") == 5_003.0
    assert clock.set_virtual("h1", 5_003.5) is True
    assert clock.now("h1") == 5_003.5


def test_the_first_jump_may_go_anywhere() -> None:
    fake = FakeTime()
    clock = fake.clock()
    # Virtual time may start before the wall clock (a replay of the past).
    assert clock.set_virtual("h1", 10.0) is True
    assert clock.now("h1") == 10.0
    assert clock.set_virtual("h2", 9e9) is True
    assert sorted(clock.households()) == ["h1", "h2"]
