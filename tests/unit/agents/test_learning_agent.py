"""The learning agent alone on the in-memory bus: out of scope then a rephrase, barge-ins."""

from __future__ import annotations

import msgpack
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published, virtual_clock

from agents.learned import LEARNING_BUCKET, global_key, rewrites_key
from agents.learning import LearningAgent, stats_key
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    DialogueCompleted,
    IntentRecognized,
    LearningRewrite,
    PrivacyForgotten,
    SpeechStop,
)


def _intent(text: str, intent: str | None, cid: str, ts: float,
            applied: list[str] | None = None, household: str = HOUSEHOLD) -> IntentRecognized:
    return IntentRecognized(**envelope(household, ts=ts), correlation_id=cid, device="kitchen",
                            text=text, skill=intent.partition(".")[0] if intent else None,
                            intent=intent, confidence=0.9, applied=applied or [])


def _done(cid: str, ts: float, household: str = HOUSEHOLD) -> DialogueCompleted:
    return DialogueCompleted(**envelope(household, ts=ts), correlation_id=cid, device="kitchen",
                             skill="smart_home", intent="smart_home.turn_on")


async def _settle(hub: MemoryHub, agent: LearningAgent) -> None:
    await hub.settle()
    await agent.idle()


async def test_out_of_scope_then_a_similar_success_learns_a_rewrite(
        hub: MemoryHub, start_agent: AgentFactory) -> None:
    agent = await start_agent(LearningAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    await bus.publish(_intent("switch on the brew maker", None, "c1", T0))
    await _settle(hub, agent)
    await bus.publish(_intent("switch on the coffee maker", "smart_home.turn_on", "c2", T0))
    await bus.publish(_done("c2", T0))
    await _settle(hub, agent)
    [learned] = published(hub, LearningRewrite)
    assert (learned.said, learned.meant, learned.friction) == ("brew", "coffee", "out_of_scope")
    stored = msgpack.unpackb(await bus.kv_get(LEARNING_BUCKET, rewrites_key(HOUSEHOLD)))
    assert stored[0]["evidence"][0]["failed"] == "switch on the brew maker"
    votes = msgpack.unpackb(await bus.kv_get(LEARNING_BUCKET, global_key()))
    assert len(votes[0]["votes"]) == 1 and not votes[0]["promoted"]
    counts = msgpack.unpackb(await bus.kv_get(LEARNING_BUCKET, stats_key(HOUSEHOLD)))
    assert counts == {"requests": 2, "failures": 1, "rewrites": 1}


async def test_an_unrelated_success_teaches_nothing(hub: MemoryHub,
                                                    start_agent: AgentFactory) -> None:
    agent = await start_agent(LearningAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    await bus.publish(_intent("book me a flight to lisbon", None, "c1", T0))
    await _settle(hub, agent)
    await bus.publish(_intent("set a timer for five minutes", "timer.set", "c2", T0))
    await bus.publish(_done("c2", T0))
    await _settle(hub, agent)
    assert published(hub, LearningRewrite) == []


async def test_three_households_promote_a_rewrite(hub: MemoryHub,
                                                  start_agent: AgentFactory) -> None:
    homes = ("h1", "h2", "h3")
    clock = virtual_clock()
    for home in homes[1:]:
        clock.set_virtual(home, T0)
    agent = await start_agent(LearningAgent, clock)
    bus = MemoryBus(hub, "test")
    for home in homes:
        await bus.publish(_intent("switch on the brew maker", None, f"{home}-1", T0,
                                  household=home))
        await _settle(hub, agent)
        await bus.publish(_intent("switch on the coffee maker", "smart_home.turn_on",
                                  f"{home}-2", T0, household=home))
        await bus.publish(_done(f"{home}-2", T0, household=home))
        await _settle(hub, agent)
    statuses = [(m.household, m.status) for m in published(hub, LearningRewrite)]
    assert statuses == [("h1", "learned"), ("h2", "learned"), ("h3", "learned"),
                        ("h3", "promoted")]


async def test_a_barge_in_after_a_rewrite_rolls_it_back(hub: MemoryHub,
                                                        start_agent: AgentFactory) -> None:
    agent = await start_agent(LearningAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    await bus.publish(_intent("switch on the brew maker", None, "c1", T0))
    await _settle(hub, agent)
    await bus.publish(_intent("switch on the coffee maker", "smart_home.turn_on", "c2", T0))
    await bus.publish(_done("c2", T0))
    await _settle(hub, agent)
    [learned] = published(hub, LearningRewrite)
    await bus.publish(_intent("switch on the coffee maker", "smart_home.turn_on", "c3", T0,
                              applied=[f"rewrite:{learned.rewrite_id}"]))
    await _settle(hub, agent)
    await bus.publish(SpeechStop(**envelope(), device="kitchen", reason="barge-in"))
    await _settle(hub, agent)
    rolled = published(hub, LearningRewrite)[-1]
    assert (rolled.status, rolled.friction) == ("rolled_back", "barge_in")
    stored = msgpack.unpackb(await bus.kv_get(LEARNING_BUCKET, rewrites_key(HOUSEHOLD)))
    assert stored[0]["status"] == "rolled_back"


async def test_forgetting_drops_the_recent_turns(hub: MemoryHub,
                                                 start_agent: AgentFactory) -> None:
    agent = await start_agent(LearningAgent, virtual_clock())
    bus = MemoryBus(hub, "test")
    await bus.publish(_intent("switch on the brew maker", None, "c1", T0))
    await _settle(hub, agent)
    await bus.publish(PrivacyForgotten(**envelope(), since=T0 - 60, events=3, keys=1))
    await _settle(hub, agent)
    await bus.publish(_intent("switch on the coffee maker", "smart_home.turn_on", "c2", T0))
    await bus.publish(_done("c2", T0))
    await _settle(hub, agent)
    assert published(hub, LearningRewrite) == []
