"""Anticipation on the whole text flow (in-memory bus): latent goals offered and answered,
side talk keeps the assistant quiet, hunches and location reminders from bus facts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from conftest import HOUSEHOLD, T0, AgentFactory, envelope, published
from test_flow import Home, build_home

from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    AgentError,
    DeviceLocation,
    DialogueCompleted,
    GoalFeedback,
    GoalHeld,
    GoalSuggestion,
    SkillCall,
    TurnDecision,
)


@pytest.fixture
async def home(hub: MemoryHub, start_agent: AgentFactory) -> AsyncIterator[Home]:
    home = await build_home(hub, start_agent, T0)
    # Agents started seconds apart (the embedder loads): one jump puts all their virtual
    # clocks on the same time, so an 8 s answer window means the same to each of them.
    await home.advance(60)
    yield home
    await home.kitchen.stop()


async def test_tea_leads_to_a_timer_offer_and_yes_sets_it(home: Home) -> None:
    await home.hear("hey hearth, how long do I steep green tea?")
    assert home.said() == ["Steep green tea for 2 to 3 minutes in water at about 80 degrees.",
                           "Would you like me to set a timer for 2 minutes 30 seconds?"]
    [suggestion] = published(home.hub, GoalSuggestion)
    assert (suggestion.intent, suggestion.slots) == ("timer.set", {"duration_s": 150.0,
                                                                   "name": "green tea"})
    assert "declared follow-up of facts.cooking_time" in suggestion.reason
    await home.hear("yes")  # no wake word: the offer is an open question
    assert home.said()[-1] == "Green tea timer set for 2 minutes 30 seconds.", [
        (m.type, m.text, m.reasons) for m in published(home.hub, TurnDecision)]
    call = published(home.hub, SkillCall)[-1]
    assert (call.intent, call.slots["duration_s"]) == ("timer.set", 150.0)
    [feedback] = published(home.hub, GoalFeedback)
    assert (feedback.outcome, feedback.key) == ("accepted", "facts.cooking_time>timer.set")
    await home.advance(150)
    assert "green tea" in home.said()[-1].lower()
    assert published(home.hub, AgentError) == []


async def test_no_declines_and_stop_mutes_the_suggestion(home: Home) -> None:
    await home.hear("hey hearth, how long do I steep green tea?")
    await home.hear("no")
    assert home.said()[-1] == "OK."
    await home.advance(600)
    await home.hear("hey hearth, how long do I cook rice?")  # just declined: not again yet
    assert published(home.hub, GoalHeld)[-1].reason == "declined a moment ago"
    await home.advance(3600)
    await home.hear("hey hearth, how long do I boil eggs?")
    assert home.said()[-1].startswith("Would you like me to set a timer")
    await home.hear("hey hearth, stop suggesting that.")
    assert home.said()[-1] == "OK, I won't suggest that again."
    assert [f.outcome for f in published(home.hub, GoalFeedback)] == ["declined", "stop"]
    await home.advance(3600)
    await home.hear("hey hearth, how long do I cook pasta?")
    assert not home.said()[-1].startswith("Would you like")
    held = published(home.hub, GoalHeld)[-1]
    assert held.reason == "asked to stop suggesting this"
    assert published(home.hub, SkillCall)[-1].intent == "facts.cooking_time"


async def test_a_side_conversation_holds_the_latent_goal(home: Home) -> None:
    await home.hear("Bob, did you see the game last night?", speaker="alice")
    await home.hear("hey hearth, how long do I steep green tea?")
    assert not any(s.startswith("Would you like") for s in home.said())
    [held] = published(home.hub, GoalHeld)
    assert held.reason == "a conversation between people is going on"


async def test_another_request_instead_of_an_answer_drops_the_offer(home: Home) -> None:
    await home.hear("hey hearth, how long do I steep green tea?")
    await home.hear("hey hearth, set a timer for ten minutes")
    assert home.said()[-1] == "Timer set for 10 minutes."
    assert [f.outcome for f in published(home.hub, GoalFeedback)] == ["ignored"]


async def test_i_am_cold_offers_the_thermostat_two_degrees_up(home: Home) -> None:
    await home.hear("hey hearth, I'm freezing")
    assert home.said()[-1] == "Shall I set the heating to 22 degrees?"
    await home.hear("yes")
    assert home.said()[-1] == "The thermostat is set to 22 degrees."


async def test_a_location_reminder_is_said_on_the_phone(home: Home, hub: MemoryHub) -> None:
    await home.hear("hey hearth, remind me to buy milk when I'm at the store")
    assert home.said()[-1] == "OK, I'll remind you to buy milk when you're at the store."
    [done] = [d for d in published(hub, DialogueCompleted) if d.intent == "reminders.add"]
    assert done.data == {"what": "buy milk", "place": "store"}
    phone = MemoryBus(hub, "phone")
    await phone.publish(DeviceLocation(**envelope(ts=T0 + 120, source="phone"), device="phone",
                                       person="alice", place="supermarket"))
    await home.settle()
    [reminder] = [s for s in published(hub, GoalSuggestion) if s.origin == "reminder"]
    assert (reminder.device, reminder.say) == ("phone", "You're at the store: remember to "
                                               "buy milk.")
    assert not reminder.offer
    assert reminder.household == HOUSEHOLD
