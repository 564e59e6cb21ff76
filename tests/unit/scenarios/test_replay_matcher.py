"""scenarios/replay.py matcher() and scenarios/results.py: what passes, and the totals."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import envelope

from bus.messages import (
    DeviceSay,
    DialogueState,
    IntentRecognized,
    Message,
    SkillCall,
    TurnAddressed,
    TurnIgnored,
)
from scenarios.model import Expectation
from scenarios.replay import household_for, matcher
from scenarios.results import Decision, ExpectationResult, ScenarioResult, summary


def _say(text: str, device: str = "kitchen") -> DeviceSay:
    return DeviceSay(**envelope(), device=device, text=text, response_id="r")


def _intent(intent: str | None, slots: dict[str, Any]) -> IntentRecognized:
    return IntentRecognized(**envelope(), device="kitchen", text="t",
                            skill="timer" if intent else None, intent=intent, slots=slots,
                            confidence=0.9)


def _call(intent: str, slots: dict[str, Any]) -> SkillCall:
    return SkillCall(**envelope(), skill="timer", intent=intent, device="kitchen", slots=slots)


def _turn(cls: type[TurnAddressed] | type[TurnIgnored], speaker: str, score: float) -> Message:
    return cls(**envelope(), device="kitchen", speaker=speaker, text="x", utterance_id="u",
               score=score)


def _matches(exp: dict[str, Any], msg: Message) -> bool:
    return matcher(Expectation.model_validate(exp))(msg)


@pytest.mark.parametrize(
    ("exp", "msg", "expected"),
    [
        ({"say": "timer set"}, _say("Timer set for 5 minutes."), True),
        ({"say": "TIMER SET"}, _say("timer set for 5 minutes."), True),
        ({"say": "timer set"}, _say("For how long?"), False),
        ({"say": "timer set", "device": "kitchen"}, _say("Timer set."), True),
        ({"say": "timer set", "device": "hall"}, _say("Timer set."), False),
        ({"say": "timer set"}, _say("Timer set.", device="hall"), True),
        # a say expectation is about devices, not about what the assistant meant to say
        ({"say": "timer set"}, DialogueState(**envelope(), device="kitchen",
                                             expecting_reply=False, open_until=0.0), False),
        ({"silent": True}, _say("anything"), True),
        ({"silent": True, "device": "kitchen"}, _say("x", device="kitchen"), True),
        ({"silent": True, "device": "kitchen"}, _say("x", device="hall"), False),
        ({"silent": True}, _intent("timer.set", {}), False),
    ],
)
def test_say_and_silent(exp: dict[str, Any], msg: Message, expected: bool) -> None:
    assert _matches(exp, msg) is expected


@pytest.mark.parametrize(
    ("exp", "msg", "expected"),
    [
        ({"event": "turn.ignored"}, _turn(TurnIgnored, "bob", 0.0), True),
        ({"event": "turn.ignored"}, _turn(TurnAddressed, "bob", 1.0), False),
        ({"event": "turn.addressed", "where": {"speaker": "alice"}},
         _turn(TurnAddressed, "alice", 1.0), True),
        ({"event": "turn.addressed", "where": {"speaker": "alice"}},
         _turn(TurnAddressed, "bob", 1.0), False),
        ({"event": "turn.addressed", "where": {"speaker": "alice", "score": 0.8}},
         _turn(TurnAddressed, "alice", 0.8000000001), True),
        ({"event": "turn.addressed", "where": {"score": 1}},
         _turn(TurnAddressed, "alice", 0.8), False),
        ({"event": "turn.addressed", "where": {"no_such_field": "x"}},
         _turn(TurnAddressed, "alice", 1.0), False),
        ({"event": "intent.recognized", "where": {"slots": {"duration_s": 300.0}}},
         _intent("timer.set", {"duration_s": 300.0}), True),
    ],
)
def test_event_and_where(exp: dict[str, Any], msg: Message, expected: bool) -> None:
    assert _matches(exp, msg) is expected


@pytest.mark.parametrize(
    ("exp", "msg", "expected"),
    [
        ({"slot": {"duration_s": 300}}, _intent("timer.set", {"duration_s": 300.0}), True),
        ({"slot": {"duration_s": 300}}, _intent("timer.set", {"duration_s": 301.0}), False),
        ({"slot": {"duration_s": 300}}, _intent("timer.set", {}), False),
        ({"slot": {"duration_s": 300}}, _intent(None, {"duration_s": 300.0}), True),
        ({"slot": {"duration_s": 300}, "intent": "timer.set"},
         _intent("timer.set", {"duration_s": 300.0}), True),
        ({"slot": {"duration_s": 300}, "intent": "timer.set"},
         _intent(None, {"duration_s": 300.0}), False),
        ({"slot": {"duration_s": 300}, "intent": "timer.cancel"},
         _intent("timer.set", {"duration_s": 300.0}), False),
        # the skill call carries merged slots after a follow-up answer
        ({"slot": {"duration_s": 300}, "intent": "timer.set"},
         _call("timer.set", {"duration_s": 300.0}), True),
        ({"slot": {"duration_s": 300}}, _say("300"), False),
        ({"intent": "timer.list"}, _intent("timer.list", {}), True),
        ({"intent": "timer.list"}, _call("timer.set", {}), False),
    ],
)
def test_slot_and_intent(exp: dict[str, Any], msg: Message, expected: bool) -> None:
    assert _matches(exp, msg) is expected


def test_household_for_is_a_token_per_run() -> None:
    from scenarios.model import parse_scenario

    scenario = parse_scenario("name: Kitchen timer!\ndevices: [{id: k}]\ntimeline:\n"
                              "  - advance: 1s\n")
    a, b = household_for(scenario), household_for(scenario)
    assert a.startswith("Kitchen-timer-")
    assert a != b
    assert len(a) == len("Kitchen-timer-") + 6


# -- results -------------------------------------------------------------------------------


def _decision(truth: str, addressed: bool | None, latency: float | None = None) -> Decision:
    return Decision(line=1, by="alice", text="t", truth=truth, correlation_id="c",
                    addressed=addressed, reply_latency_ms=latency)


def _result(name: str, passed: list[bool], decisions: list[Decision],
            error: str | None = None) -> ScenarioResult:
    result = ScenarioResult(name, f"{name}.yaml", f"{name}-abc123", error=error)
    result.expectations = [ExpectationResult(i, "say", "say 'x'", p) for i, p in enumerate(passed)]
    result.decisions = decisions
    return result


@pytest.mark.parametrize(
    ("truth", "addressed", "correct"),
    [
        ("assistant", True, True),
        ("assistant", False, False),
        ("bob", False, True),
        ("bob", True, False),
        ("assistant", None, None),
    ],
)
def test_decision_correct(truth: str, addressed: bool | None, correct: bool | None) -> None:
    assert _decision(truth, addressed).correct is correct


def test_addressee_accuracy_counts_a_missing_decision_as_wrong() -> None:
    result = _result("a", [], [
        _decision("assistant", True), _decision("bob", False),
        _decision("bob", True), _decision("assistant", None),
    ])
    assert result.addressee_accuracy == 0.5
    assert _result("b", [], []).addressee_accuracy is None
    assert _result("c", [], [_decision("bob", None)]).addressee_accuracy == 0.0


def test_a_result_passes_only_without_error_and_failures() -> None:
    assert _result("ok", [True, True], []).passed is True
    assert _result("none", [], []).passed is True
    assert _result("fail", [True, False], []).passed is False
    assert _result("err", [True], [], error="TimeoutError: x").passed is False


def test_summary() -> None:
    results = [
        _result("one", [True, True], [_decision("assistant", True, 120.0),
                                      _decision("bob", False)]),
        _result("two", [True, False], [_decision("assistant", False),
                                       _decision("assistant", True, 300.0),
                                       _decision("assistant", True, 200.0)]),
        _result("three", [], [_decision("bob", None)], error="RuntimeError: boom"),
    ]
    out = summary(results)
    assert out["passed"] is False
    assert [s["name"] for s in out["scenarios"]] == ["one", "two", "three"]
    assert [s["passed"] for s in out["scenarios"]] == [True, False, False]
    assert out["totals"] == {
        "scenarios": 3,
        "scenarios_passed": 1,
        "expectations": 4,
        "expectations_passed": 3,
        "decisions": 6,
        "addressee_accuracy": 4 / 6,
        "reply_latency_ms_p50": 200.0,
        "reply_latency_ms_max": 300.0,
    }
    one = out["scenarios"][0]
    assert one["addressee_accuracy"] == 1.0
    assert one["reply_latency_ms"] == [120.0]
    assert "correlation_id" not in one["decisions"][0]
    assert one["decisions"][0]["correct"] is True
    assert "wall" not in one["expectations"][0]
    assert out["scenarios"][2]["error"] == "RuntimeError: boom"


def test_summary_of_all_passing_and_of_nothing() -> None:
    out = summary([_result("one", [True], [_decision("bob", False)])])
    assert out["passed"] is True
    assert out["totals"]["addressee_accuracy"] == 1.0
    assert out["totals"]["reply_latency_ms_p50"] is None
    empty = summary([])["totals"]
    assert (empty["scenarios"], empty["decisions"], empty["addressee_accuracy"]) == (0, 0, None)
