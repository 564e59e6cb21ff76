"""scenarios/model.py: parsing scenarios, and errors that name the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.loader import ScenarioError
from scenarios.model import (
    _STEP_BY_KEY,
    Advance,
    Expect,
    Look,
    Move,
    Say,
    Wait,
    load_scenario,
    parse_scenario,
    parse_span,
)

LIBRARY = Path(__file__).resolve().parents[3] / "scenarios" / "library"

# Lines 1-8; the timeline steps of each test start on line 9.
HEAD = """\
name: test scenario
devices:
  - {id: kitchen, kind: speaker, room: kitchen}
  - {id: hall, kind: screen}
people:
  - {id: alice, at: kitchen}
  - {id: bob}
timeline:
"""

# Every action key, in the order the error names them (issues add step kinds: locate, ...).
ONE_OF = "a timeline step needs exactly one of " + ", ".join(_STEP_BY_KEY)


def _error(timeline: str, head: str = HEAD) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(head + timeline, "test.yaml")
    err = info.value
    assert err.file == "test.yaml"
    assert str(err) == f"test.yaml:{err.line}: {err.message}"
    return err


def test_a_valid_scenario_parses() -> None:
    scenario = parse_scenario(
        HEAD
        + """\
  - say: "Hey Hearth, set a timer for five minutes"
    by: alice
    to: assistant
  - expect: {slot: {duration_s: 300}, intent: timer.set, within: 2s}
  - expect: {say: "timer set", device: kitchen}
  - say: hi bob
    by: alice
    to: bob
    device: hall
    loudness: 0.3
  - look: bob
    at: hall
  - look: bob
    at: null
  - move: bob
    to: kitchen
  - advance: 4m
  - wait: 500ms
  - expect: {silent: true, within: 500ms}
  - expect: {event: turn.ignored, where: {speaker: alice}, absent: true}
""",
        "kitchen.yaml",
    )
    assert scenario.name == "test scenario"
    assert scenario.file == "kitchen.yaml"
    assert [d.id for d in scenario.devices] == ["kitchen", "hall"]
    assert scenario.device("hall").kind == "screen"
    assert scenario.person("alice").at == "kitchen"
    assert scenario.start.isoformat() == "2026-11-23T07:30:00+00:00"
    steps = scenario.timeline
    assert [type(s) for s in steps] == [
        Say, Expect, Expect, Say, Look, Look, Move, Advance, Wait, Expect, Expect,
    ]
    assert [s.line for s in steps] == [9, 12, 13, 14, 19, 21, 23, 25, 26, 27, 28]
    first, slot = steps[0], steps[1]
    assert isinstance(first, Say) and isinstance(slot, Expect)
    assert (first.by, first.to, first.device, first.loudness) == ("alice", "assistant", None, 0.6)
    assert slot.expect.kind == "slot"
    assert (slot.expect.slot, slot.expect.intent, slot.expect.within) == (
        {"duration_s": 300}, "timer.set", 2.0,
    )
    away = steps[5]
    assert isinstance(away, Look) and away.at is None
    advance, wait = steps[7], steps[8]
    assert isinstance(advance, Advance) and advance.advance == 240.0
    assert isinstance(wait, Wait) and wait.wait == 0.5
    last = steps[10]
    assert isinstance(last, Expect)
    assert (last.expect.kind, last.expect.absent, last.expect.where) == (
        "event", True, {"speaker": "alice"},
    )
    assert last.expect.describe() == "no event turn.ignored speaker='alice'"


def test_start_without_a_timezone_is_utc() -> None:
    scenario = parse_scenario(
        'name: x\nstart: "2030-01-02T03:04:05"\ndevices: [{id: k}]\ntimeline:\n'
        "  - advance: 1s\n"
    )
    assert scenario.start.isoformat() == "2030-01-02T03:04:05+00:00"


def test_the_library_parses() -> None:
    files = sorted(LIBRARY.glob("*.yaml"))
    assert files
    for path in files:
        scenario = load_scenario(path)
        assert scenario.file == str(path)
        assert scenario.timeline


def test_a_missing_file() -> None:
    with pytest.raises(ScenarioError, match="cannot read") as info:
        load_scenario("/nonexistent/scenario.yaml")
    assert info.value.line is None


@pytest.mark.parametrize(
    ("timeline", "line", "message"),
    [
        (  # unknown person in by:
            "  - advance: 1s\n  - say: hi\n    by: carol\n    to: assistant\n",
            10, "unknown person 'carol'",
        ),
        (  # unknown device on a say
            "  - say: hi\n    by: alice\n    to: assistant\n    device: garage\n",
            9, "unknown device 'garage'",
        ),
        (  # a step with two action keys
            "  - say: hi\n    by: alice\n    to: assistant\n  - advance: 5m\n    wait: 1s\n",
            12, ONE_OF,
        ),
        (  # no action key at all
            "  - by: alice\n",
            9, ONE_OF,
        ),
        (  # a bad duration
            "  - advance: 1m\n  - advance: 5 minutes\n",
            10, "advance: Value error, '5 minutes' is not a duration such as 500ms, 2s, 5m, "
            "1h or 2d",
        ),
        (  # expect with no kind
            "  - advance: 1s\n  - expect:\n      within: 2s\n",
            10, "expect: Value error, an expectation needs exactly one of say, event, slot, "
            "intent, silent",
        ),
        (  # expect with two kinds
            "  - expect: {say: hi, silent: true}\n",
            9, "expect: Value error, an expectation needs exactly one of say, event, slot, "
            "intent, silent",
        ),
        (  # an unknown message type, named on its own line
            "  - expect:\n      within: 1s\n      event: bogus.type\n",
            11, "expect.event: Value error, unknown message type 'bogus.type'",
        ),
        (  # to: naming nobody
            "  - say: hi\n    by: alice\n    to: carol\n",
            9, "'to' must be 'assistant', 'everyone' or a person, not 'carol'",
        ),
        (  # somebody at no device, with two devices to choose from
            "  - say: hi\n    by: bob\n    to: alice\n",
            9, "bob is at no device: give 'device:' or 'at:'",
        ),
        (
            "  - look: alice\n    at: garage\n",
            9, "unknown device 'garage'",
        ),
        (
            "  - move: dave\n    to: hall\n",
            9, "unknown person 'dave'",
        ),
        (
            "  - move: bob\n    to: garage\n",
            9, "unknown device 'garage'",
        ),
        (
            "  - expect: {say: hi, device: garage}\n",
            9, "unknown device 'garage'",
        ),
        (  # an unknown field, on its own line
            "  - say: hi\n    by: alice\n    to: assistant\n    volume: 3\n",
            12, "volume: Extra inputs are not permitted",
        ),
        (  # a required field missing: the step's line
            "  - say: hi\n    by: alice\n",
            9, "to: Field required",
        ),
        (
            "  - hello\n",
            9, "a timeline step must be a mapping such as {say: ...}",
        ),
        (
            "  - say: hi\n    by: alice\n    to: assistant\n    loudness: 2\n",
            12, "loudness: Input should be less than or equal to 1",
        ),
    ],
)
def test_errors_name_the_line(timeline: str, line: int, message: str) -> None:
    err = _error(timeline)
    assert (err.line, err.message) == (line, message)


def test_invalid_yaml_names_its_line() -> None:
    err = _error("  - say: hi\n    by: alice\n    to: [assistant\n  - advance: 1s\n")
    assert err.message.startswith("not valid YAML: ")
    assert err.line == 12


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "the file is empty"),
        ("- a\n- b\n", 1, "a scenario is a mapping with name, devices and timeline"),
        ("name: x\ndevices: [{id: k}]\n", 1, "timeline must be a list of steps"),
        ("name: x\ndevices: [{id: k}]\ntimeline: soon\n", 3, "timeline must be a list of steps"),
        ("devices: [{id: k}]\ntimeline:\n  - advance: 1s\n", 1, "name: Field required"),
        ("name: x\ndevices: []\ntimeline:\n  - advance: 1s\n", 2,
         "devices: List should have at least 1 item after validation, not 0"),
        ("name: x\ndevices:\n  - {id: k}\n  - {id: kit.chen}\ntimeline:\n  - advance: 1s\n",
         4, "devices.1.id: Value error, device ids are letters, digits, '_' or '-'"),
        ("name: x\ndevices: [{id: k}]\npeople:\n  - {id: a, at: garage}\ntimeline:\n"
         "  - advance: 1s\n", 4, "person 'a' is at unknown device 'garage'"),
    ],
)
def test_scenario_level_errors(text: str, line: int | None, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    assert (info.value.line, info.value.message) == (line, message)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("500ms", 0.5),
        ("2s", 2.0),
        ("5m", 300.0),
        ("1h", 3600.0),
        ("2d", 172800.0),
        ("1.5h", 5400.0),
        (" 3 s ", 3.0),
        ("0s", 0.0),
        (3, 3.0),
        (1.5, 1.5),
        (0, 0.0),
    ],
)
def test_parse_span(value: object, seconds: float) -> None:
    assert parse_span(value) == seconds


@pytest.mark.parametrize(
    "value", ["5 minutes", "5", "-5s", "5x", "m", "", True, None, [1], "1h30m"]
)
def test_parse_span_refuses(value: object) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_span(value)


def test_parse_span_refuses_negative_numbers() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        parse_span(-1)
