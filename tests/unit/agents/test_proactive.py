"""The proactive agent on the whole text flow (in-memory bus): hunches wait for a quiet
moment, a week of mornings becomes a routine that then runs by itself, rooms seen empty."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import msgpack
import pytest
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published
from test_flow import Home, build_home

from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    AgentError,
    Attention,
    GoalFeedback,
    GoalHeld,
    GoalSuggestion,
    PrivacyForgotten,
    SkillCall,
)
from policies.hunches import OVEN_AFTER_TIMER_S

DAY = 86400.0


@pytest.fixture
async def home(hub: MemoryHub, start_agent: AgentFactory) -> AsyncIterator[Home]:
    home = await build_home(hub, start_agent, T0)  # Monday 07:30
    await home.advance(60)  # one jump puts every agent's virtual clock on the same time
    yield home
    await home.kitchen.stop()


def suggestions(home: Home, origin: str) -> list[GoalSuggestion]:
    return [s for s in published(home.hub, GoalSuggestion) if s.origin == origin]


async def test_the_oven_hunch_waits_until_people_stop_talking(home: Home) -> None:
    await home.hear("hey hearth, turn on the oven")
    await home.hear("hey hearth, set a timer for ten minutes")
    await home.advance(600)
    assert home.said()[-1] == "Your 10 minute timer is done."
    await home.advance(OVEN_AFTER_TIMER_S - 5)
    await home.hear("Bob, did you call the plumber about the sink?")  # people talking
    await home.advance(10)  # the hunch is due now, mid-conversation
    assert suggestions(home, "hunch") == []
    held = published(home.hub, GoalHeld)[-1]
    assert (held.origin, held.reason) == ("hunch", "a conversation between people is going on")
    await home.advance(45)  # quiet for a while: now it is said
    [hunch] = suggestions(home, "hunch")
    assert hunch.say.startswith("The oven is still on, 15 minutes after your timer went off.")
    assert home.said()[-1] == hunch.say
    await home.hear("yes")
    assert home.said()[-1] == "Turned off the oven in the kitchen."
    await home.advance(3600)
    assert len(suggestions(home, "hunch")) == 1  # one situation, one hunch
    assert published(home.hub, AgentError) == []


async def test_a_week_of_mornings_becomes_a_routine_that_runs(home: Home) -> None:
    for day in range(4):  # Monday .. Thursday, 07:31
        await home.hear("hey hearth, turn on the kitchen lights")
        if suggestions(home, "latent_goal"):  # learned by Thursday: weather follows lights
            await home.hear("hey hearth, never mind")
        await home.hear("hey hearth, what's the weather like?")
        await home.advance(30)
        if day < 3:
            assert suggestions(home, "routine") == []
            await home.advance(DAY - 30 - 5)
    [routine] = suggestions(home, "routine")
    assert routine.say == ("Every weekday at 7:30 you turn on the lights in the kitchen and "
                           "ask what's the weather like. Shall I make it a routine?")
    assert routine.intent is None and routine.offer
    await home.hear("yes")
    assert published(home.hub, GoalFeedback)[-1].outcome == "accepted"
    assert home.said()[-1].startswith("OK, it's a routine now")
    calls = len(published(home.hub, SkillCall))
    await home.advance(DAY - 60)  # Friday 07:30
    ran = published(home.hub, SkillCall)[calls:]
    assert [c.intent for c in ran] == ["smart_home.turn_on", "weather.forecast"]
    assert home.said()[-1].startswith("Turned on the lights in the kitchen. Today: sunny")
    await home.advance(DAY)  # Saturday: not a weekday
    assert len(published(home.hub, SkillCall)) == calls + 2


async def test_lights_left_on_in_a_room_the_camera_sees_empty(home: Home,
                                                              hub: MemoryHub) -> None:
    await home.hear("hey hearth, turn on the lights in the living room")
    camera = MemoryBus(hub, "camera")
    now = home.clock.now("h1")
    await camera.publish(Attention(**envelope(ts=now, source="vision"), device="tv",
                                   room="living_room", present=[]))
    await home.settle()
    await home.advance(14 * 60)
    assert suggestions(home, "hunch") == []
    await home.advance(2 * 60)
    [hunch] = suggestions(home, "hunch")
    assert hunch.slots == {"device": "lights", "room": "living room"}
    assert hunch.say == ("The lights are on in the living room and nobody is there. "
                         "Shall I turn them off?")
    await home.hear("no")
    # With a second device (the camera) turn-taking waits for other hearings (scheduled).
    await asyncio.sleep(0.5)
    await home.settle()
    assert published(home.hub, GoalFeedback)[-1].outcome == "declined"


async def test_forgetting_today_takes_the_days_requests_out_of_what_was_learned(
        home: Home) -> None:
    await home.hear("hey hearth, turn on the kitchen lights")
    await home.hear("hey hearth, set the thermostat to 21 degrees")

    async def kept(key: str) -> dict[str, object]:
        raw = await home.replay.kv_get("anticipation", key)
        assert raw is not None
        return dict(msgpack.unpackb(raw))

    assert (await kept(f"{HOUSEHOLD}.proactive"))["actions"] != []  # the lights
    assert (await kept(f"{HOUSEHOLD}.links"))["intents"] == {
        "smart_home.turn_on": 1, "smart_home.set_temperature": 1}
    await home.hear("hey hearth, forget what I said today")
    assert published(home.hub, PrivacyForgotten) != []
    # what is left is the request to forget, which completed after the forgetting
    actions = (await kept(f"{HOUSEHOLD}.proactive"))["actions"]
    assert [a["intent"] for a in actions] == ["memory.forget_today"]  # type: ignore[attr-defined]
    links = await kept(f"{HOUSEHOLD}.links")
    assert (links["sessions"], links["intents"]) == (1, {"memory.forget_today": 1})
