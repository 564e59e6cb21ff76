"""The multi-party additions to the scenario format and what devices hear and see."""

from __future__ import annotations

from typing import Any

import pytest

from bus.messages import TurnAddressed, TurnIgnored
from scenarios import hearing
from scenarios.loader import ScenarioError
from scenarios.model import Expect, Look, Say, parse_scenario
from scenarios.replay import _same, matcher

HEAD = """\
name: turns
talk_time: true
devices:
  - {id: kitchen, kind: screen, room: kitchen}
  - {id: counter, kind: speaker, room: kitchen}
  - {id: hall, kind: speaker, room: hall, camera: true}
people:
  - {id: alice, at: kitchen}
  - {id: bob, at: counter}
  - {id: tv, at: kitchen, voice_known: false}
  - {id: carol, at: hall}
timeline:
"""


def parse(timeline: str) -> Any:
    return parse_scenario(HEAD + timeline, "t.yaml")


def test_a_say_heard_by_several_devices_in_fragments() -> None:
    scenario = parse("""\
  - say: "Hey Hearth, set a timer for..."
    then: ["five minutes."]
    pause: 300ms
    by: alice
    to: assistant
    direction_deg: 15
    style: 0.8
    heard_by: [hall, {device: counter, loudness: 0.2, direction_deg: 120}]
""")
    assert scenario.talk_time
    [say] = scenario.timeline
    assert isinstance(say, Say)
    assert say.text == "Hey Hearth, set a timer for... five minutes."
    assert (say.pause, say.direction_deg, say.style) == (0.3, 15.0, 0.8)
    heard = hearing.hearers(say, "kitchen")
    assert [(h.device, h.loudness, h.direction_deg) for h in heard] == [
        ("kitchen", 0.6, 15.0), ("hall", 0.3, None), ("counter", 0.2, 120.0)]


def test_look_at_a_person_to_everyone_and_a_count() -> None:
    scenario = parse("""\
  - look: alice
    at: bob
  - say: "Who wants tea?"
    by: alice
    to: everyone
  - expect: {event: turn.addressed, count: 1, within: 2s}
""")
    look, say, expect = scenario.timeline
    assert isinstance(look, Look) and look.at == "bob"
    assert isinstance(say, Say) and say.to == "everyone"
    assert isinstance(expect, Expect) and expect.expect.count == 1


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ('  - {say: "hi", by: alice, to: nobody}', "'to' must be 'assistant', 'everyone'"),
        ('  - {say: "hi", by: alice, to: bob, heard_by: [attic]}', "unknown device 'attic'"),
        ("  - {look: alice, at: ghost}", "unknown device 'ghost'"),
        ('  - {say: "hi", by: alice, to: bob, pause: soon}', "not a duration"),
        ("  - expect: {event: turn.addressed, count: -1}", "greater than or equal to 0"),
    ],
)
def test_mistakes_name_the_line(step: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as info:
        parse(step + "\n")
    assert info.value.line == 13  # the first timeline step


def test_cameras_see_their_room_and_where_people_look() -> None:
    scenario = parse('  - {say: "hi", by: alice, to: bob}\n')
    location = {p.id: p.at for p in scenario.people}
    looking = {"alice": "counter", "bob": "alice", "carol": "hall"}
    kitchen = {p.person: p for p in hearing.seen_by(scenario, "kitchen", location, looking)}
    assert set(kitchen) == {"alice", "bob"}  # same room; the TV has no face, Carol is away
    assert kitchen["alice"].looking_at == "counter" and not kitchen["alice"].looking_at_device
    assert kitchen["bob"].looking_at_person == "alice"
    [carol] = hearing.seen_by(scenario, "hall", location, looking)
    assert carol.looking_at_device and carol.head_yaw_deg == 0.0
    assert hearing.has_camera(scenario, "kitchen") and hearing.has_camera(scenario, "hall")
    assert not hearing.has_camera(scenario, "counter")
    assert hearing.speaker_id(scenario, "tv") is None
    assert hearing.speaker_id(scenario, "alice") == "alice"


def _turn(cls: type[TurnAddressed | TurnIgnored], device: str) -> TurnAddressed | TurnIgnored:
    return cls(ts=1.0, household="h", source="t", device=device, text="x", utterance_id="u",
               score=0.5, reasons=["wake word", "looking at the device"])


def test_one_decision_stands_for_a_say_heard_by_several_devices() -> None:
    assert hearing.combine({}, "kitchen") is None
    ignored = {"kitchen": _turn(TurnIgnored, "kitchen"), "hall": _turn(TurnIgnored, "hall")}
    assert hearing.combine(ignored, "hall") is ignored["hall"]
    mixed = {"kitchen": _turn(TurnIgnored, "kitchen"), "hall": _turn(TurnAddressed, "hall")}
    assert hearing.combine(mixed, "kitchen") is mixed["hall"]


def test_a_list_in_where_names_items_that_must_be_there() -> None:
    assert _same(["wake word", "looking at the device"], ["wake word"])
    assert not _same(["wake word"], ["wake word", "looking at the device"])
    exp = Expect.model_validate({"line": 1, "expect": {
        "event": "turn.addressed", "where": {"reasons": ["looking at the device"]}}}).expect
    assert matcher(exp)(_turn(TurnAddressed, "kitchen"))
