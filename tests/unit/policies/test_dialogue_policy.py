"""policies/dialogue_policy.py: slot filling, confirmation, correction, carry-over, cancel."""

from __future__ import annotations

from datetime import date

import pytest

from agents.skills.catalog import discover
from policies.dialogue_policy import (
    ANSWER_WINDOW_S,
    NOT_UNDERSTOOD,
    Conversation,
    Decision,
    Heard,
    decide,
    kind_of_reply,
    remember,
)
from policies.skill_spec import SkillSpec

NOW = 1_795_000_000.0
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def specs() -> dict[str, SkillSpec]:
    return {name: s.spec for name, s in discover().items()}


def turn(specs: dict[str, SkillSpec], conv: Conversation, text: str, intent: str | None = None,
         slots: dict[str, object] | None = None, now: float = NOW) -> Decision:
    skill = intent.partition(".")[0] if intent else None
    return decide(specs, conv, Heard(text, skill, intent, dict(slots or {})), now, TODAY)


@pytest.mark.parametrize(("text", "kind"), [
    ("yes", "yes"), ("Yes please.", "yes"), ("go ahead", "yes"), ("no", "no"),
    ("nope", "no"), ("never mind", "cancel"), ("forget it!", "cancel"),
    ("no, the back door", None), ("cancel the timer", None),
])
def test_kinds_of_reply(text: str, kind: str | None) -> None:
    assert kind_of_reply(text) == kind


def test_missing_slots_are_asked_for_over_three_turns(specs: dict[str, SkillSpec]) -> None:
    first = turn(specs, Conversation(), "remind me", "reminders.add")
    assert (first.action, first.say, first.expects_reply) == (
        "ask", "What should I remind you about?", True)
    assert first.conversation.pending is not None
    assert first.conversation.pending.until == NOW + ANSWER_WINDOW_S
    second = turn(specs, first.conversation, "to call the plumber", None, now=NOW + 2)
    assert (second.action, second.slots) == ("call", {"what": "call the plumber"})


def test_a_new_request_is_not_taken_for_the_answer(specs: dict[str, SkillSpec]) -> None:
    asked = turn(specs, Conversation(), "set a timer", "timer.set")
    new = turn(specs, asked.conversation, "cancel the three minute timer", "timer.cancel",
               {"duration_s": 180.0})
    assert (new.action, new.intent, new.slots) == ("call", "timer.cancel", {"duration_s": 180.0})
    answer = turn(specs, asked.conversation, "three minutes", "timer.set",
                  {"duration_s": 180.0})
    assert (answer.intent, answer.slots) == ("timer.set", {"duration_s": 180.0})


def test_an_expired_question_is_forgotten(specs: dict[str, SkillSpec]) -> None:
    asked = turn(specs, Conversation(), "set a timer", "timer.set")
    late = turn(specs, asked.conversation, "five minutes", None, now=NOW + 60)
    assert (late.action, late.say) == ("say", NOT_UNDERSTOOD)


def test_a_bare_value_without_a_question_is_no_request(specs: dict[str, SkillSpec]) -> None:
    decision = turn(specs, Conversation(), "five minutes", "timer.set", {"duration_s": 300.0})
    assert (decision.action, decision.say) == ("say", NOT_UNDERSTOOD)


def test_risky_apis_wait_for_a_yes(specs: dict[str, SkillSpec]) -> None:
    asked = turn(specs, Conversation(), "unlock the front door", "smart_home.unlock",
                 {"door": "front door"})
    assert (asked.action, asked.say) == ("ask", "Do you want me to unlock the front door?")
    yes = turn(specs, asked.conversation, "yes", None)
    assert (yes.action, yes.intent, yes.slots) == ("call", "smart_home.unlock",
                                                   {"door": "front door"})
    no = turn(specs, asked.conversation, "no", None)
    assert (no.action, no.say, no.conversation.pending) == ("say", "OK, I won't.", None)


def test_a_correction_while_confirming_asks_again(specs: dict[str, SkillSpec]) -> None:
    asked = turn(specs, Conversation(), "unlock the front door", "smart_home.unlock",
                 {"door": "front door"})
    again = turn(specs, asked.conversation, "no, the back door", None)
    assert (again.action, again.say) == ("ask", "Do you want me to unlock the back door?")


def test_a_correction_after_the_call_replaces_it(specs: dict[str, SkillSpec]) -> None:
    done = remember(Conversation(), "timer", "timer.set", {"duration_s": 300.0},
                    {"timer_id": "abc", "duration_s": 300.0}, NOW)
    fixed = turn(specs, done, "no, make it ten", None)
    assert (fixed.action, fixed.intent, fixed.slots) == (
        "call", "timer.set", {"duration_s": 600.0, "replaces": "abc"})


def test_context_carries_over_to_a_follow_up(specs: dict[str, SkillSpec]) -> None:
    done = remember(Conversation(), "smart_home", "smart_home.turn_on",
                    {"room": "kitchen", "device": "lights"}, {"room": "kitchen"}, NOW)
    follow = turn(specs, done, "and in the bedroom?", "smart_home.status", {"room": "bedroom"})
    assert (follow.action, follow.intent, follow.slots) == (
        "call", "smart_home.turn_on", {"room": "bedroom", "device": "lights"})
    later = turn(specs, done, "and in the bedroom?", None, now=NOW + 3600)
    assert later.say == NOT_UNDERSTOOD  # the context has expired


def test_never_mind_closes_the_open_dialogue(specs: dict[str, SkillSpec]) -> None:
    asked = turn(specs, Conversation(), "add to the shopping list", "shopping.add")
    closed = turn(specs, asked.conversation, "never mind", None)
    assert (closed.action, closed.say, closed.conversation.pending) == (
        "say", "OK, never mind.", None)


def test_a_non_answer_repeats_the_question(specs: dict[str, SkillSpec]) -> None:
    asked = turn(specs, Conversation(), "set the thermostat", "smart_home.set_temperature")
    again = turn(specs, asked.conversation, "hmm let me think", None)
    assert (again.action, again.say) == ("ask", "Sorry, to how many degrees?")
