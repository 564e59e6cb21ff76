"""The whole text flow on one MemoryHub, without Ray: device -> ... -> device, and timers.

Each agent gets its own bus on the hub and, as in ``hearth.launch``, its own BusClock set to the
household's virtual time; a ``system.clock`` message moves every one of them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published, virtual_clock

from agents.base import Agent
from agents.dialogue import DialogueAgent
from agents.perception import PerceptionAgent
from agents.registry import FLOW_AGENTS
from agents.skills.timer import TimerSkill
from agents.speech import SpeechAgent
from agents.turn_taking import TurnTakingAgent
from agents.understanding import UnderstandingAgent
from bus.clock import BusClock, announce_virtual_time
from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    AgentError,
    Clock,
    IntentRecognized,
    Rejected,
    SkillCall,
    SkillEvent,
    SpeechFinished,
    SpeechStarted,
    TurnAddressed,
    TurnIgnored,
    Utterance,
)
from devices.sim import DeviceSimulator

# Every agent of the real flow (the registry is what hearth.launch starts).
FLOW: tuple[type[Agent], ...] = FLOW_AGENTS


def test_the_flow_has_the_text_pipeline() -> None:
    for cls in (PerceptionAgent, TurnTakingAgent, UnderstandingAgent, DialogueAgent, TimerSkill,
                SpeechAgent):
        assert cls in FLOW


@dataclass
class Home:
    hub: MemoryHub
    kitchen: DeviceSimulator
    replay: MemoryBus  # what the replay engine uses to publish clock jumps
    agents: dict[str, Agent]
    clock: BusClock  # the device's (and the replay's) clock
    start_agent: AgentFactory

    async def hear(self, text: str, speaker: str | None = "alice") -> None:
        await self.kitchen.hear(text, speaker=speaker)
        await self.settle()

    async def advance(self, seconds: float) -> None:
        now = self.clock.now(HOUSEHOLD) + seconds
        self.clock.set_virtual(HOUSEHOLD, now)
        await self.replay.publish(Clock(**envelope(ts=now, source="replay"), now=now))
        await self.settle()

    async def settle(self) -> None:
        # Handlers run in tasks, wait on each other (dialogue waits on the skill) and timers
        # fire from scheduler tasks: wait until the hub is quiet, no agent has work left and
        # nothing new was published for a short while.
        seen = -1
        while seen != len(self.hub.published):
            seen = len(self.hub.published)
            await self.hub.settle()
            for agent in self.agents.values():
                await agent.idle()
            await asyncio.sleep(0.005)

    def said(self) -> list[str]:
        return [m.text for m in self.kitchen.said]


async def build_home(hub: MemoryHub, start_agent: AgentFactory, start: float) -> Home:
    agents = {}
    # Clocks start on wall time and jump together to ``start`` once every agent is up, as after
    # ``hearth up``: a clock set before a slow agent starts would already be ahead of the rest.
    for cls in FLOW:
        agents[cls.NAME] = await start_agent(cls, BusClock())
    clock = virtual_clock(start)
    await announce_virtual_time(MemoryBus(hub, "replay"), HOUSEHOLD, start, source="replay")
    await hub.settle()
    for agent in agents.values():
        await agent.idle()
    assert all(abs(a.clock.now(HOUSEHOLD) - start) < 1.0 for a in agents.values())
    kitchen = await DeviceSimulator(MemoryBus(hub, "kitchen"), HOUSEHOLD, "kitchen",
                                    clock=clock).start()
    return Home(hub, kitchen, MemoryBus(hub, "replay"), agents, clock, start_agent)


@pytest.fixture
async def home(hub: MemoryHub, start_agent: AgentFactory) -> AsyncIterator[Home]:
    home = await build_home(hub, start_agent, T0)
    yield home
    await home.kitchen.stop()


def _no_trouble(hub: MemoryHub) -> None:
    assert published(hub, AgentError) == []
    assert published(hub, Rejected) == []


async def test_a_timer_is_set_and_goes_off_after_a_clock_jump(home: Home) -> None:
    await home.hear("hey hearth, set a timer for five minutes")
    assert home.said() == ["Timer set for 5 minutes."]
    [intent] = published(home.hub, IntentRecognized)
    assert (intent.skill, intent.intent, intent.slots) == ("timer", "timer.set",
                                                           {"duration_s": 300.0})
    assert intent.speaker == "alice"
    assert intent.text == "set a timer for five minutes"  # the wake word is gone
    [say] = home.kitchen.said
    assert say.correlation_id == intent.correlation_id  # one interaction end to end
    assert say.ts == pytest.approx(T0, abs=1.0)  # stamped in virtual bus time
    [started] = published(home.hub, SpeechStarted)
    [finished] = published(home.hub, SpeechFinished)
    assert started.response_id == say.response_id == finished.response_id
    assert started.text == say.text

    await home.advance(4 * 60)
    assert home.said() == ["Timer set for 5 minutes."]  # not yet
    await home.advance(60)
    assert home.said() == ["Timer set for 5 minutes.", "Your 5 minute timer is done."]
    [event] = published(home.hub, SkillEvent)
    assert (event.event, event.device, event.data["duration_s"]) == ("timer.fired", "kitchen",
                                                                     300.0)
    assert event.correlation_id == intent.correlation_id
    _no_trouble(home.hub)


async def test_the_for_how_long_question_is_answered_without_wake_word(home: Home) -> None:
    await home.hear("hey hearth, set a timer")
    assert home.said() == ["For how long?"]
    await home.hear("five minutes")
    assert home.said() == ["For how long?", "Timer set for 5 minutes."]
    first, answer = published(home.hub, TurnAddressed)
    assert "wake word" in first.reasons
    assert "reply to the assistant's question" in answer.reasons
    assert answer.text == "five minutes"
    calls = published(home.hub, SkillCall)
    # Dialogue asks for the missing duration itself; the skill is called once, complete.
    assert [(c.intent, c.slots) for c in calls] == [("timer.set", {"duration_s": 300.0})]
    await home.advance(300)
    assert home.said()[-1] == "Your 5 minute timer is done."
    _no_trouble(home.hub)


async def test_a_late_answer_is_not_taken_as_a_reply(home: Home) -> None:
    await home.hear("hey hearth, set a timer")
    await home.advance(60)  # the question window is 8 s of bus time
    await home.hear("five minutes")
    assert home.said() == ["For how long?"]
    assert [d.text for d in published(home.hub, TurnIgnored)] == ["five minutes"]


async def test_a_remark_to_someone_else_is_ignored(home: Home) -> None:
    await home.hear("Bob, did you feed the cat?", speaker="alice")
    ignored = published(home.hub, TurnIgnored)
    assert len(ignored) == 1
    assert (ignored[0].text, ignored[0].speaker) == ("Bob, did you feed the cat?", "alice")
    assert ignored[0].score < 0.5
    assert "no wake word" in ignored[0].reasons
    assert published(home.hub, TurnAddressed) == []
    assert published(home.hub, IntentRecognized) == []
    assert home.said() == []
    _no_trouble(home.hub)


async def test_out_of_scope_requests_get_an_apology(home: Home) -> None:
    await home.hear("hey hearth, play some jazz in the kitchen")  # the weather is a skill now
    assert home.said() == ["Sorry, I can't help with that yet."]


async def test_timers_can_be_listed_and_cancelled(home: Home) -> None:
    await home.hear("hey hearth, set a timer for ten minutes")
    await home.advance(60)
    await home.hear("hey hearth, how much time is left")
    assert home.said()[-1] == "9 minutes left on the 10 minute timer."
    await home.hear("hey hearth, cancel the timer")
    assert home.said()[-1] == "Cancelled the timer."
    await home.advance(600)
    assert home.said()[-1] == "Cancelled the timer."  # nothing went off
    assert published(home.hub, SkillEvent) == []


async def test_a_timer_survives_a_restart_of_the_timer_skill(home: Home) -> None:
    await home.hear("hey hearth, set a timer for five minutes")
    assert home.said() == ["Timer set for 5 minutes."]
    old = home.agents.pop(TimerSkill.NAME)
    await old.stop()
    assert len(await home.replay.kv_keys("timers")) == 1  # kept in KV, not only in memory

    new: TimerSkill = await home.start_agent(TimerSkill, virtual_clock(home.clock.now(HOUSEHOLD)))
    home.agents[TimerSkill.NAME] = new
    assert len(new.timers) == 1  # reloaded in on_start
    await home.settle()
    assert home.said() == ["Timer set for 5 minutes."]

    await home.advance(300)
    assert home.said() == ["Timer set for 5 minutes.", "Your 5 minute timer is done."]
    assert await home.replay.kv_keys("timers") == []  # a fired timer is forgotten
    _no_trouble(home.hub)


async def test_a_blank_transcript_is_dropped_by_perception(home: Home) -> None:
    await home.hear("   ")
    assert published(home.hub, Utterance) == []
    await home.hear("  hey   hearth,\tset a  timer for one minute ")
    [utterance] = published(home.hub, Utterance)
    assert utterance.text == "hey hearth, set a timer for one minute"
    assert home.said() == ["Timer set for 1 minute."]


async def test_two_timers_run_at_once(home: Home) -> None:
    await home.hear("hey hearth, set a timer for five minutes")
    await home.hear("hey hearth, set a timer for ten minutes")
    await home.hear("hey hearth, list my timers")
    assert home.said()[-1] == (
        "5 minutes left on the 5 minute timer; 10 minutes left on the 10 minute timer."
    )
    await home.hear("hey hearth, cancel the 10 minute timer")
    assert home.said()[-1] == "Cancelled the timer."
    await home.advance(600)
    assert home.said()[-1] == "Your 5 minute timer is done."
    assert len(published(home.hub, SkillEvent)) == 1


async def test_cancelling_a_timer_that_does_not_exist_keeps_the_others(home: Home) -> None:
    await home.hear("hey hearth, set a timer for five minutes")
    await home.hear("hey hearth, set a timer for ten minutes")
    await home.hear("hey hearth, cancel the 3 minute timer")
    assert home.said()[-1] == "There is no 3 minute timer running."
    await home.advance(600)
    assert home.said()[-2:] == ["Your 5 minute timer is done.", "Your 10 minute timer is done."]


async def test_a_restarted_timer_skill_waits_for_virtual_time(
    hub: MemoryHub, start_agent: AgentFactory
) -> None:
    home = await build_home(hub, start_agent, time.time() - 3600)  # replaying the past
    await home.hear("hey hearth, set a timer for five minutes")
    await home.agents.pop(TimerSkill.NAME).stop()
    home.agents[TimerSkill.NAME] = await start_agent(TimerSkill, BusClock())
    await home.settle()
    await home.kitchen.stop()
    assert home.said() == ["Timer set for 5 minutes."]  # no virtual time has passed


async def test_a_timer_fires_when_all_agents_share_one_clock(
    hub: MemoryHub, start_agent: AgentFactory
) -> None:
    clock = virtual_clock(T0)
    for cls in FLOW:
        await start_agent(cls, clock)
    kitchen = await DeviceSimulator(MemoryBus(hub, "kitchen"), HOUSEHOLD, "kitchen",
                                    clock=clock).start()
    await kitchen.hear("hey hearth, set a timer for five minutes", speaker="alice")
    await kitchen.wait_said(1.0)
    assert [m.text for m in kitchen.said] == ["Timer set for 5 minutes."]
    now = clock.now(HOUSEHOLD) + 300
    await MemoryBus(hub, "replay").publish(Clock(**envelope(ts=now), now=now))
    for _ in range(50):  # up to 0.5 s for the timer to go off
        await hub.settle()
        if len(kitchen.said) > 1:
            break
        await asyncio.sleep(0.01)
    await kitchen.stop()
    assert [m.text for m in kitchen.said][-1] == "Your 5 minute timer is done."
