"""Privacy on the real stack: the stream keeps only scrubbed words, "forget what I said today"
deletes them from JetStream and KV, and `hearth stats` refuses once its budget is spent."""

from __future__ import annotations

import asyncio
import random
import time
import uuid

import msgpack
import pytest
from nats.js.errors import NotFoundError

from agents.learned import LEARNING_BUCKET, rewrites_key
from bus import subjects
from bus.codec import decode
from bus.jetstream import EVENT_STREAM
from bus.messages import Message, PrivacyForgotten, PrivacyRecord, Utterance
from bus.nats_bus import NatsBus
from bus.server import NatsServer
from devices.sim import DeviceSimulator
from hearth.learn_cli import BUDGET_KEY, PRIVACY_BUCKET, stats
from hearth.stack import Stack

pytestmark = pytest.mark.integration


async def _stream(bus: NatsBus, household: str) -> list[Message]:
    """Every message the event stream holds for one household."""
    sub = await bus.js.pull_subscribe(subjects.household_all(household), stream=EVENT_STREAM)
    out: list[Message] = []
    try:
        while True:
            try:
                batch = await sub.fetch(256, timeout=0.5)
            except TimeoutError:
                break
            out += [decode(m.data) for m in batch]
            if len(batch) < 256:
                break
    finally:
        await sub.unsubscribe()
    return out


async def _until(check: object, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def test_the_stream_keeps_scrubbed_words_and_forgetting_deletes_them(
        stack: Stack, bus: NatsBus) -> None:
    household = f"forget-{uuid.uuid4().hex[:6]}"
    sim = await DeviceSimulator(bus, household, "kitchen").start()
    try:
        await sim.hear("hey hearth, remind me to call Priya on 555 123 4567 at six pm",
                       speaker="alice")

        async def recorded() -> bool:
            return any(isinstance(m, PrivacyRecord) and m.record_type == "intent.recognized"
                       for m in await _stream(bus, household))

        await _until(recorded)
        before = await _stream(bus, household)
        # Raw words are never in the stream: no utterance, only scrubbed records of it.
        assert not any(isinstance(m, Utterance) for m in before)
        with pytest.raises(NotFoundError):
            await bus.js.get_last_msg(EVENT_STREAM, f"hh.{household}.perception.utterance")
        texts = [str(m.payload.get("text")) for m in before if isinstance(m, PrivacyRecord)
                 and "text" in m.payload]
        assert texts and all("Priya" not in t and "4567" not in t for t in texts)
        assert any("[name]" in t and "[phone]" in t for t in texts)
        # Derived data of the day in KV.
        await bus.kv_put(LEARNING_BUCKET, rewrites_key(household), msgpack.packb([{
            "id": "r1", "said": "brew", "meant": "coffee", "created": time.time(),
            "evidence": []}]))
        await bus.kv_put("dialogue", f"{household}.p-alice", msgpack.packb({"pending": None}))

        await sim.hear("hey hearth, forget what I said today", speaker="alice")

        async def forgotten() -> bool:
            return any(isinstance(m, PrivacyForgotten) for m in await _stream(bus, household))

        await _until(forgotten)
        after = await _stream(bus, household)
        [done] = [m for m in after if isinstance(m, PrivacyForgotten)]
        assert done.events >= len(before)
        earlier = {m.id for m in before}
        assert not earlier & {m.id for m in after}  # everything said before is gone
        forget_call = [m for m in after if isinstance(m, PrivacyRecord)
                       and m.record_type == "skill.call"]
        assert forget_call == []  # the request to forget went with it
        assert await bus.kv_get(LEARNING_BUCKET, rewrites_key(household)) is None
        assert await bus.kv_get("dialogue", f"{household}.p-alice") is None
        assert done.keys >= 2
    finally:
        await sim.stop()


async def test_stats_refuse_once_the_budget_is_spent(nats_server: NatsServer,
                                                     bus: NatsBus) -> None:
    await bus.kv_delete(PRIVACY_BUCKET, BUDGET_KEY)
    await bus.kv_put(LEARNING_BUCKET, "s1.stats", msgpack.packb({"requests": 12, "failures": 2}))
    rng = random.Random(5)
    first = await stats(nats_server.url, 1.0, total_epsilon=2.0, rng=rng)
    assert first["epsilon_left"] == pytest.approx(1.0)
    assert set(first["released"]) == {"households", "requests", "failures", "friction",
                                      "rewrites"}
    await stats(nats_server.url, 1.0, total_epsilon=2.0, rng=rng)
    refused = await stats(nats_server.url, 0.5, total_epsilon=2.0, rng=rng)
    assert "refused" in refused and refused["epsilon_spent"] == pytest.approx(2.0)
    # Asking for a bigger budget does not reset the stored one.
    again = await stats(nats_server.url, 0.5, total_epsilon=100.0, rng=rng)
    assert "refused" in again
    await bus.kv_delete(LEARNING_BUCKET, "s1.stats")
