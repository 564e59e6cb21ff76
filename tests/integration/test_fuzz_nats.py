"""A burst of hostile payloads over real NATS at the agents on Ray: none crashes or restarts.

The 100,000-payload run is in tests/unit/agents/test_fuzz.py (in-process, same receive path);
this is the smaller burst through the real server, connections and actors.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

import msgpack
import pytest

from agents.base import Agent
from bus import subjects
from bus.memory import MemoryBus, MemoryHub
from bus.messages import ALL_TYPES, DeviceSay, Message, Rejected
from bus.nats_bus import NatsBus
from devices.sim import DeviceSimulator
from hearth.stack import Stack

pytestmark = pytest.mark.integration

HOUSEHOLD = "fuzz-nats"
N = 3000


def consumed_patterns(kinds: tuple[type[Agent], ...]) -> list[str]:
    """What the running agents subscribe to (the stack runs the registry's agents)."""
    hub = MemoryHub()
    return sorted({cls(MemoryBus(hub)).pattern_for(t) for cls in kinds for t in cls.HANDLERS})


def payload(rng: random.Random, subject: str) -> bytes:
    pick = rng.random()
    if pick < 0.3:
        return rng.randbytes(rng.choice((0, 3, 40, 700)))
    raw: dict[str, Any] = {"type": rng.choice(list(ALL_TYPES)), "household": HOUSEHOLD,
                           "source": "fuzz", "ts": rng.choice((time.time(), 1e20, -1, "now")),
                           "device": rng.choice(("kitchen", "a.b", "")), "text": 7}
    if pick < 0.5:
        raw.pop("type")
    data: bytes = msgpack.packb(raw)
    return data[: rng.randrange(len(data) + 1)] if pick > 0.9 else data


async def test_a_burst_over_nats_crashes_nothing(stack: Stack, bus: NatsBus) -> None:
    assert stack.launched is not None
    before = {s["agent"] + str(s["replica"]): s for s in await stack.launched.stats()}
    rejections: list[Rejected] = []

    async def on_rejected(msg: Message, _reply: str | None) -> None:
        if isinstance(msg, Rejected):
            rejections.append(msg)

    await bus.subscribe(subjects.pattern(Rejected, household=HOUSEHOLD), on_rejected)
    await bus.nc.flush()
    rng = random.Random(9)
    patterns = consumed_patterns(stack.kinds)
    for i in range(N):
        pattern = patterns[i % len(patterns)]
        subject = ".".join(HOUSEHOLD if n == 1 and t == "*" else ("kitchen" if t == "*" else t)
                           for n, t in enumerate(pattern.split(".")))
        await bus.publish_raw(subject, payload(rng, subject))
        if i % 500 == 0:
            await bus.nc.flush()
    await bus.nc.flush()
    deadline = time.monotonic() + 30
    while len(rejections) < N and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert len(rejections) >= N, f"{len(rejections)} of {N} payloads were rejected"
    assert all(r.reason for r in rejections)

    after = {s["agent"] + str(s["replica"]): s for s in await stack.launched.stats()}
    for key, stats in after.items():
        assert stats["running"] and stats["pid"] == before[key]["pid"], f"{key} restarted"
    assert sum(s["rejected"] for s in after.values()) - sum(
        s["rejected"] for s in before.values()) >= N

    sim = await DeviceSimulator(bus, "fuzz-nats-after", "kitchen").start()
    await sim.hear("hey hearth, set a timer for two minutes", speaker="alice")
    assert await sim.wait_said(10.0)
    assert isinstance(sim.said[0], DeviceSay) and "2 minutes" in sim.said[0].text
    await sim.stop()
