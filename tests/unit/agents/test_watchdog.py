"""The watchdog: a stuck interaction is retried, then answered honestly; a finished one is not."""

from __future__ import annotations

import asyncio

from conftest import HOUSEHOLD, AgentFactory, envelope, published

from agents.watchdog import SORRY, WatchdogAgent
from bus.memory import MemoryBus, MemoryHub
from bus.messages import AgentError, DeviceSay, IntentRecognized, ResponseSay, TurnAddressed

FAST = {"watchdog_retry_s": 0.1, "watchdog_retries": 2}


def turn() -> TurnAddressed:
    return TurnAddressed(**envelope(), device="kitchen", text="set a timer", utterance_id="u1",
                         score=1.0, speaker="alice")


async def test_a_lost_turn_is_retried_then_answered_honestly(
        hub: MemoryHub, start_agent: AgentFactory) -> None:
    await start_agent(WatchdogAgent, config=FAST)
    sent = turn()
    await MemoryBus(hub, "turn_taking").publish(sent)
    await asyncio.sleep(0.9)
    again = [m for m in published(hub, TurnAddressed) if m.id == sent.id]
    assert len(again) == 3, "the original and two retries of the very same message"
    sorry = published(hub, ResponseSay)
    assert len(sorry) == 1 and sorry[0].text == SORRY
    assert sorry[0].correlation_id == sent.correlation_id and sorry[0].to == "alice"
    assert sorry[0].device == "kitchen" and sorry[0].household == HOUSEHOLD


async def test_an_answered_turn_is_left_alone(hub: MemoryHub, start_agent: AgentFactory) -> None:
    await start_agent(WatchdogAgent, config=FAST)
    bus = MemoryBus(hub, "flow")
    sent = turn()
    intent = IntentRecognized(**{**envelope(), "correlation_id": sent.correlation_id},
                              device="kitchen", text="set a timer", skill="timer",
                              intent="timer.set", confidence=0.9)
    say = ResponseSay(**{**envelope(), "correlation_id": sent.correlation_id},
                      device="kitchen", text="Timer set.")
    for msg in (sent, intent, say):
        await bus.publish(msg)
    await bus.publish(DeviceSay(**{**envelope(), "correlation_id": sent.correlation_id},
                                device="kitchen", text="Timer set.", response_id=say.id))
    await asyncio.sleep(0.5)
    assert len(published(hub, TurnAddressed)) == 1
    assert len(published(hub, IntentRecognized)) == 1
    assert [m.text for m in published(hub, ResponseSay)] == ["Timer set."]


async def test_retry_resumes_from_the_furthest_step(
        hub: MemoryHub, start_agent: AgentFactory) -> None:
    await start_agent(WatchdogAgent, config={**FAST, "watchdog_retries": 1})
    bus = MemoryBus(hub, "flow")
    sent = turn()
    intent = IntentRecognized(**{**envelope(), "correlation_id": sent.correlation_id},
                              device="kitchen", text="set a timer", skill="timer",
                              intent="timer.set", confidence=0.9)
    await bus.publish(sent)
    await bus.publish(intent)
    await asyncio.sleep(0.5)
    assert len(published(hub, TurnAddressed)) == 1, "the turn got as far as an intent"
    assert len([m for m in published(hub, IntentRecognized) if m.id == intent.id]) >= 2


async def test_an_agent_error_is_answered_without_retrying(
        hub: MemoryHub, start_agent: AgentFactory) -> None:
    await start_agent(WatchdogAgent, config={**FAST, "watchdog_retry_s": 30.0})
    bus = MemoryBus(hub, "flow")
    sent = turn()
    await bus.publish(sent)
    await bus.publish(AgentError(**{**envelope(), "correlation_id": sent.correlation_id},
                                 agent="understanding", handler="understand",
                                 message_type=sent.type, message_id=sent.id, error="boom"))
    await asyncio.sleep(0.6)
    assert len(published(hub, TurnAddressed)) == 1
    assert [m.text for m in published(hub, ResponseSay)] == [SORRY]
