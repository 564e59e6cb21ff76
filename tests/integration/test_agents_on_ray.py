"""Agents as real Ray actors on a real nats-server: hostile input, restarts, the whole flow."""

from __future__ import annotations

import asyncio
import time

import msgpack
import pytest
import ray

from bus import subjects
from bus.messages import AgentError, Clock, DeviceSay, Message, Rejected, Utterance
from bus.nats_bus import NatsBus
from devices.sim import DeviceSimulator
from hearth.stack import Stack

pytestmark = pytest.mark.integration


async def watch(bus: NatsBus, household: str) -> list[Message]:
    seen: list[Message] = []

    async def on(msg: Message, _reply: str | None) -> None:
        seen.append(msg)

    await bus.subscribe(subjects.household_all(household), on)
    await bus.nc.flush()
    return seen


async def until(check: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_agent_rejects_garbage_and_keeps_working(stack: Stack, bus: NatsBus) -> None:
    seen = await watch(bus, "r1")
    subject = "hh.r1.device.kitchen.transcript"
    await bus.publish_raw(subject, b"\x00\xffnot msgpack at all")
    invalid = {"type": "device.transcript", "household": "r1", "source": "kitchen",
               "device": "kitchen", "ts": time.time()}  # no text: invalid for the schema
    await bus.publish_raw(subject, msgpack.packb(invalid))
    sim = await DeviceSimulator(bus, "r1", "kitchen").start()
    await sim.hear("hello there", speaker="alice")

    await until(lambda: any(isinstance(m, Utterance) for m in seen))
    await until(lambda: len([m for m in seen if isinstance(m, Rejected)
                             and m.receiver.startswith("perception")]) >= 2)
    rejections = [
        m for m in seen if isinstance(m, Rejected) and m.receiver.startswith("perception")
    ]
    reasons = sorted(r.reason for r in rejections)
    assert any(r.startswith("not msgpack") for r in reasons), reasons
    assert "invalid device.transcript field 'text': Field required" in reasons, reasons
    assert all(r.subject == subject for r in rejections)
    utterance = next(m for m in seen if isinstance(m, Utterance))
    assert utterance.text == "hello there" and utterance.speaker == "alice"
    await sim.stop()


async def test_timer_survives_a_killed_skill_actor(stack: Stack, bus: NatsBus) -> None:
    household = "r2"
    seen = await watch(bus, household)
    start = 1_790_000_000.0
    await bus.publish(Clock(ts=start, household=household, source="test", now=start))
    await asyncio.sleep(0.2)
    sim = await DeviceSimulator(bus, household, "kitchen").start()
    sim.clock.set_virtual(household, start)
    await sim.hear("hey hearth set a timer for two minutes", speaker="bob")
    await until(lambda: any(isinstance(m, DeviceSay) for m in seen))
    assert "2 minutes" in sim.said[0].text

    assert stack.launched is not None
    name, handle = next((n, h) for n, h in stack.launched.actors.items() if "skill_timer" in n)
    before = await handle.stats.remote()
    ray.kill(handle, no_restart=False)  # the process dies; Ray restarts the actor

    async def restarted() -> bool:
        try:
            stats = await asyncio.wait_for(handle.stats.remote(), 2.0)
        except Exception:
            return False
        return bool(stats["running"]) and stats["pid"] != before["pid"]

    deadline = time.monotonic() + 30
    while not await restarted():
        assert time.monotonic() < deadline, f"{name} did not come back"
        await asyncio.sleep(0.3)

    later = start + 121
    await bus.publish(Clock(ts=later, household=household, source="test", now=later))
    await until(lambda: len(sim.said) >= 2)
    assert sim.said[1].text == "Your 2 minute timer is done."
    assert not [m for m in seen if isinstance(m, AgentError)]
    await sim.stop()


async def test_replicas_share_work_through_a_queue_group(stack: Stack, bus: NatsBus) -> None:
    from agents.understanding import UnderstandingAgent
    from bus.messages import IntentRecognized, TurnAddressed
    from hearth.launch import launch

    extra = await launch(stack.url, (UnderstandingAgent,), {"understanding": 2}, run="rep")
    try:
        seen = await watch(bus, "r3")
        for i in range(30):
            await bus.publish(TurnAddressed(
                ts=time.time(), household="r3", source="test", device="kitchen",
                text=f"set a timer for {i + 1} minutes", utterance_id=f"u{i}", score=1.0))
        await until(lambda: len([m for m in seen if isinstance(m, IntentRecognized)]) >= 30)
        await asyncio.sleep(0.3)
        intents = [m for m in seen if isinstance(m, IntentRecognized)]
        assert len(intents) == 30, "each turn must be understood exactly once"
        handled = [s["handled"] for s in await extra.stats()]
        assert len(handled) == 2 and all(h > 0 for h in handled), handled
    finally:
        await extra.stop()


async def test_a_singleton_agent_refuses_replicas(stack: Stack) -> None:
    from agents.skills.timer import TimerSkill
    from hearth.launch import launch

    with pytest.raises(ValueError, match="single replica"):
        await launch(stack.url, (TimerSkill,), {"skill_timer": 2}, run="single")
