"""agents/skills/declared.py and the built-in skills, called by request/reply on the memory bus."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published, virtual_clock

from agents.skills.declared import DeclaredSkillAgent, check_result, typed_args
from agents.skills.hosted import agent_class
from agents.skills.timer import TimerSkill
from bus.clock import BusClock
from bus.memory import MemoryBus, MemoryHub
from bus.messages import Clock, SkillCall, SkillEvent, SkillResult
from policies.skill_spec import Api, Arg


class Caller:
    def __init__(self, hub: MemoryHub, clock: BusClock) -> None:
        self.bus = MemoryBus(hub, "caller")
        self.clock = clock
        self.hub = hub

    async def call(self, skill: str, api: str, **slots: Any) -> SkillResult:
        msg = SkillCall(**envelope(ts=self.clock.now(HOUSEHOLD)), skill=skill,
                        intent=f"{skill}.{api}", slots=slots, device="kitchen", speaker="ann",
                        text="")
        reply = await self.bus.request(msg, timeout=2.0)
        assert isinstance(reply, SkillResult)
        return reply

    async def advance(self, seconds: float) -> None:
        now = self.clock.now(HOUSEHOLD) + seconds
        self.clock.set_virtual(HOUSEHOLD, now)
        await self.bus.publish(Clock(**envelope(ts=now), now=now))
        for _ in range(20):
            await self.hub.settle()


async def start(start_agent: AgentFactory, hub: MemoryHub,
                *skills: str) -> tuple[Caller, list[DeclaredSkillAgent]]:
    agents = [await start_agent(agent_class(s), virtual_clock()) for s in skills]
    return Caller(hub, virtual_clock()), agents


async def test_smart_home_state_lives_in_kv(hub: MemoryHub, start_agent: AgentFactory) -> None:
    caller, [agent] = await start(start_agent, hub, "smart_home")
    reply = await caller.call("smart_home", "turn_on", room="bedroom")
    assert (reply.ok, reply.say) == (True, "Turned on the lights in the bedroom.")
    reply = await caller.call("smart_home", "status", room="bedroom", device="lights")
    assert reply.say == "The lights in the bedroom are on."
    assert (await caller.call("smart_home", "unlock", door="back door")).say == (
        "The back door is unlocked.")
    assert (await caller.call("smart_home", "status", door="back door")).data == {
        "state": "unlocked"}
    reply = await caller.call("smart_home", "set_temperature", degrees=45)
    assert (reply.ok, reply.say) == (False, "I can set the thermostat between 5 and 30 degrees.")
    # a fresh agent (a restart) sees the same state: it is in KV, not in the actor
    await agent.stop()
    await start_agent(agent_class("smart_home"), virtual_clock())
    assert (await caller.call("smart_home", "status", door="back door")).data == {
        "state": "unlocked"}


async def test_missing_required_args_are_asked_for(hub: MemoryHub,
                                                   start_agent: AgentFactory) -> None:
    caller, _ = await start(start_agent, hub, "shopping")
    reply = await caller.call("shopping", "add")
    assert (reply.ok, reply.expects_reply, reply.data) == (False, True, {"missing": "item"})
    assert reply.say == "What should I add?"


async def test_shopping_list_and_translation(hub: MemoryHub,
                                             start_agent: AgentFactory) -> None:
    caller, _ = await start(start_agent, hub, "shopping", "translation")
    assert (await caller.call("shopping", "add", item="milk, eggs and some bread")).data == {
        "added": ["milk", "eggs", "bread"]}
    assert (await caller.call("shopping", "list")).say == (
        "On your shopping list: milk, eggs and bread.")
    # a pair an installed backend serves both ways (issue 7: others are refused)
    assert (await caller.call("translation", "start", target="portuguese")).say.startswith(
        "Interpreting between English and Portuguese.")
    assert (await caller.call("translation", "status")).data == {"active": True}
    assert (await caller.call("translation", "stop")).ok
    assert not (await caller.call("translation", "stop")).ok


async def test_weather_and_facts_come_from_their_files(hub: MemoryHub,
                                                       start_agent: AgentFactory) -> None:
    caller, _ = await start(start_agent, hub, "weather", "facts")
    reply = await caller.call("weather", "forecast", date="2026-11-24", city="paris")
    assert reply.say == "Tomorrow in Paris: sunny, high of 17, low of 9 degrees."
    assert (await caller.call("weather", "will_it", condition="snow", city="berlin",
                              date="2026-11-24")).data == {"answer": True, "condition": "snow"}
    assert (await caller.call("facts", "convert", amount=2, source="cup",
                              target="millilitre")).say == "2 cups is 480 millilitres."
    assert (await caller.call("facts", "convert", amount=100, source="celsius",
                              target="fahrenheit")).data == {"value": 212.0}
    assert (await caller.call("facts", "cooking_time", food="pasta")).data["seconds"] == 600


async def test_timers_alarms_and_reminders_fire_in_bus_time(
    hub: MemoryHub, start_agent: AgentFactory
) -> None:
    caller, [timer, _] = await start(start_agent, hub, "timer", "reminders")
    assert isinstance(timer, TimerSkill)
    assert (await caller.call("timer", "set", duration_s=180, name="eggs")).say == (
        "Eggs timer set for 3 minutes.")
    assert (await caller.call("timer", "set_alarm", time="08:00")).say == (
        "Alarm set for 08:00 today.")  # T0 is 07:30 UTC
    assert (await caller.call("reminders", "add", what="to call mom", after=600)).say == (
        "OK, I'll remind you to call mom in 10 minutes.")
    assert len(await caller.bus.kv_keys("timers")) == 2
    await caller.advance(180)
    await caller.advance(600)
    await caller.advance(1200)
    events = published(hub, SkillEvent)
    assert [(e.event, e.say) for e in events] == [
        ("timer.fired", "Your eggs timer is done."),
        ("reminder.due", "Reminder: call mom."),
        ("alarm.rang", "Your 08:00 alarm is going off."),
    ]
    assert await caller.bus.kv_keys("timers") == []
    assert caller.clock.now(HOUSEHOLD) >= T0 + 1980


def test_arguments_are_typed_and_results_checked() -> None:
    api = Api(args={"n": Arg(type="number"), "room": Arg(type="room", default="kitchen")},
              result={"done": "bool"}, samples=["x"])
    assert typed_args(api, {"n": "3"}) == ({"n": 3.0, "room": "kitchen"}, None)
    assert typed_args(api, {"n": "three"})[1] == "I need a number for the n."
    check_result(api, {"done": True}, "s.x")
    with pytest.raises(TypeError, match="declared bool"):
        check_result(api, {"done": "yes"}, "s.x")
    with pytest.raises(TypeError, match="does not list"):
        check_result(api, {"other": 1}, "s.x")
