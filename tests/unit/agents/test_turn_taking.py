"""agents/turn_taking.py on the in-memory bus: fragments, arbitration, follow-ups, ablation.

Time is the household's virtual bus time: holds and arbitration windows end when a
``system.clock`` jump passes them, exactly as in a replay.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published, virtual_clock

from agents.turn_taking import ANOTHER_DEVICE, ARBITRATION_S, HOLD_S, TurnTakingAgent
from bus.clock import BusClock
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    Attention,
    Clock,
    DeviceOnline,
    DialogueState,
    TurnAddressed,
    TurnDecision,
    TurnIgnored,
    Utterance,
)

RULES = {"turn_taking": {"policy": "rules"}}


@dataclass
class Room:
    hub: MemoryHub
    agent: TurnTakingAgent
    bus: MemoryBus
    clock: BusClock

    def now(self) -> float:
        return self.clock.now(HOUSEHOLD)

    async def send(self, *msgs: Any) -> None:
        for msg in msgs:
            await self.bus.publish(msg)
        await self.settle()

    async def settle(self) -> None:
        for _ in range(3):
            await self.hub.settle()
            await self.agent.idle()
            await asyncio.sleep(0.01)

    async def advance(self, seconds: float) -> None:
        now = self.now() + seconds
        self.clock.set_virtual(HOUSEHOLD, now)
        await self.send(Clock(**envelope(ts=now, source="replay"), now=now))

    def utterance(self, text: str, device: str = "kitchen", speaker: str | None = "alice",
                  **fields: Any) -> Utterance:
        now = self.now()
        return Utterance(**envelope(ts=now, source="perception"), device=device,
                         speaker=speaker, text=text, start_ts=now - 1.5, end_ts=now, **fields)

    def online(self, device: str, room: str, camera: bool = False) -> DeviceOnline:
        return DeviceOnline(**envelope(ts=self.now(), source=device), device=device, room=room,
                            camera=camera)

    def decisions(self) -> list[TurnDecision]:
        return published(self.hub, TurnDecision)


async def make_room(hub: MemoryHub, start_agent: AgentFactory,
                    config: dict[str, Any] | None = None) -> Room:
    agent = await start_agent(TurnTakingAgent, virtual_clock(T0), config=config or RULES)
    return Room(hub, agent, MemoryBus(hub, "test"), virtual_clock(T0))


@pytest.fixture
async def room(hub: MemoryHub, start_agent: AgentFactory) -> Room:
    return await make_room(hub, start_agent)


async def test_a_turn_that_stops_mid_thought_is_held_and_joined(room: Room) -> None:
    first = room.utterance("Hey Hearth, set a timer for...")
    await room.send(first)
    assert room.decisions() == []  # not cut off mid-pause
    await room.advance(1.0)
    assert room.decisions() == []
    await room.send(room.utterance("five minutes."))
    [decision] = room.decisions()
    assert isinstance(decision, TurnAddressed)
    assert decision.text == "set a timer for five minutes"
    assert decision.correlation_id == first.correlation_id  # the turn began with its first words
    await room.advance(HOLD_S + 1)
    assert len(room.decisions()) == 1  # the cancelled hold does not decide again


async def test_the_hold_ends_and_the_turn_is_decided_as_it_stands(room: Room) -> None:
    await room.send(room.utterance("Hey Hearth, set a timer for"))
    await room.advance(HOLD_S - 0.5)
    assert room.decisions() == []
    await room.advance(1.0)
    [decision] = room.decisions()
    assert isinstance(decision, TurnAddressed) and decision.text == "set a timer for"


async def test_fragments_of_different_speakers_are_not_joined(room: Room) -> None:
    await room.send(room.utterance("Hey Hearth, set a timer for..."))
    await room.send(room.utterance("Alice, the pasta!", speaker="bob"))
    [bob] = room.decisions()
    assert bob.speaker == "bob" and isinstance(bob, TurnIgnored)
    await room.advance(HOLD_S + 0.5)
    assert [d.speaker for d in room.decisions()] == ["bob", "alice"]


async def test_two_devices_hearing_one_request_give_one_answer(room: Room) -> None:
    await room.send(room.online("kitchen", "kitchen"), room.online("hall", "hall"))
    said = "Hey Hearth, set a timer for twelve minutes."
    await room.send(room.utterance(said, loudness=0.8),
                    room.utterance(said, device="hall", loudness=0.3))
    assert room.decisions() == []  # waiting for every device's hearing
    await room.advance(ARBITRATION_S + 0.1)
    by_device = {d.device: d for d in room.decisions()}
    assert set(by_device) == {"kitchen", "hall"}
    assert isinstance(by_device["kitchen"], TurnAddressed)
    assert "heard loudest here" in by_device["kitchen"].reasons
    assert isinstance(by_device["hall"], TurnIgnored)
    assert by_device["hall"].reasons[0] == ANOTHER_DEVICE


async def test_the_device_the_speaker_looks_at_answers_even_if_quieter(room: Room) -> None:
    await room.send(room.online("kitchen", "kitchen"),
                    room.online("hall", "hall", camera=True))
    now = room.now()
    await room.send(Attention(**envelope(ts=now, source="vision"), device="hall", room="hall",
                              present=["alice"], looking=["alice"], gaze={"alice": "hall"},
                              since={"alice": now - 5}))
    said = "Hey Hearth, what time is it?"
    await room.send(room.utterance(said, device="hall", loudness=0.3),
                    room.utterance(said, loudness=0.8))
    await room.advance(ARBITRATION_S + 0.1)
    addressed = [d for d in room.decisions() if isinstance(d, TurnAddressed)]
    assert [d.device for d in addressed] == ["hall"]
    assert "the speaker looks at this device" in addressed[0].reasons


async def test_different_words_on_two_devices_are_two_turns(room: Room) -> None:
    await room.send(room.online("kitchen", "kitchen"), room.online("hall", "hall"))
    await room.send(room.utterance("Hey Hearth, set a timer for ten minutes."),
                    room.utterance("Hey Hearth, what time is it?", device="hall",
                                   speaker="bob"))
    await room.advance(ARBITRATION_S + 0.1)
    assert sorted(d.device for d in room.decisions() if isinstance(d, TurnAddressed)) == [
        "hall", "kitchen"]


async def test_a_reply_without_wake_word_while_the_assistant_waits(room: Room) -> None:
    now = room.now()
    await room.send(DialogueState(**envelope(ts=now, source="dialogue"), device="kitchen",
                                  speaker="alice", expecting_reply=True, open_until=now + 8))
    await room.send(room.utterance("five minutes"))
    [answer] = room.decisions()
    assert isinstance(answer, TurnAddressed)
    assert "reply to the assistant's question" in answer.reasons
    await room.advance(20)  # the window has closed
    await room.send(room.utterance("five minutes"))
    late = room.decisions()[-1]
    assert isinstance(late, TurnIgnored)
    assert {"no wake word", "no open question"} <= set(late.reasons)


async def test_the_device_that_asked_takes_the_answer(room: Room) -> None:
    await room.send(room.online("kitchen", "kitchen"), room.online("hall", "hall"))
    now = room.now()
    await room.send(DialogueState(**envelope(ts=now, source="dialogue"), device="kitchen",
                                  speaker="alice", expecting_reply=True, open_until=now + 8))
    await room.send(room.utterance("ten minutes", loudness=0.3),
                    room.utterance("ten minutes", device="hall", loudness=0.8))
    await room.advance(ARBITRATION_S + 0.1)
    [addressed] = [d for d in room.decisions() if isinstance(d, TurnAddressed)]
    assert addressed.device == "kitchen"
    assert "this device asked the question" in addressed.reasons


async def test_no_talking_over_a_side_conversation(room: Room) -> None:
    request = "Set a timer for six minutes."
    await room.send(room.utterance(request))
    assert isinstance(room.decisions()[-1], TurnAddressed)  # on its own: probably for Hearth
    await room.advance(60)
    await room.send(room.utterance("Do you want eggs?", speaker="bob"),
                    room.utterance("Yes please, soft ones."))
    await room.advance(2)
    await room.send(room.utterance(request))
    mid_talk = room.decisions()[-1]
    assert isinstance(mid_talk, TurnIgnored)
    assert "people are talking to each other" in mid_talk.reasons
    await room.send(room.utterance("Hey Hearth, set a timer for six minutes."))
    assert isinstance(room.decisions()[-1], TurnAddressed)  # the wake word is clear enough


@pytest.mark.parametrize(
    ("ablate", "addressed"), [([], True), (["linguistic"], False), (["vision"], True)])
async def test_the_ablation_reaches_the_agent_through_its_config(
    hub: MemoryHub, start_agent: AgentFactory, ablate: list[str], addressed: bool
) -> None:
    room = await make_room(hub, start_agent,
                           {"turn_taking": {"policy": "rules", "ablate": ablate}})
    await room.send(room.utterance("Hey Hearth, what time is it?"))
    [decision] = room.decisions()
    assert isinstance(decision, TurnAddressed) is addressed
    if ablate == ["linguistic"]:
        assert decision.features["wake_word"] == 0.0


async def test_a_replica_handles_only_the_households_it_owns(
    hub: MemoryHub, start_agent: AgentFactory
) -> None:
    from agents.sharding import owner

    mine = owner(HOUSEHOLD, 2)
    for replica in (0, 1):
        await start_agent(TurnTakingAgent, virtual_clock(T0), replica=replica,
                          config={**RULES, "replica_count": 2})
    bus = MemoryBus(hub, "test")
    await bus.publish(Utterance(**envelope(), device="kitchen", speaker="a",
                                text="hey hearth, hi", start_ts=T0 - 1, end_ts=T0))
    for _ in range(3):
        await hub.settle()
        await asyncio.sleep(0.01)
    [decision] = published(hub, TurnDecision)  # one decision, not one per replica
    assert decision.source == ("turn_taking" if mine == 0 else "turn_taking-1")


async def test_the_default_learned_policy_decides_with_reasons(
    hub: MemoryHub, start_agent: AgentFactory
) -> None:
    room = await make_room(hub, start_agent, {})
    await room.send(room.utterance("Hey Hearth, set a timer for five minutes."))
    [decision] = room.decisions()
    assert isinstance(decision, TurnAddressed)
    assert "wake word" in decision.reasons
    assert decision.features and 0.5 <= decision.score <= 1.0
