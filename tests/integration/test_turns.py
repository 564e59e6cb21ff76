"""Turn-taking on the real stack (NATS + Ray + every agent): cameras, two devices, the bench."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.bench_turns import replay_all, score
from hearth.stack import Stack
from scenarios.model import parse_scenario
from scenarios.replay import ScenarioRunner
from scenarios.transcript import render

pytestmark = pytest.mark.integration

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"

TWO_DEVICES = """\
name: it-two-devices
talk_time: true
devices:
  - {id: kitchen, kind: screen, room: kitchen}
  - {id: hall, kind: speaker, room: hall}
people:
  - {id: alice, at: kitchen}
  - {id: bob, at: hall}
timeline:
  - look: alice
    at: kitchen
  - say: "Set a timer for nine minutes."
    by: alice
    to: assistant
    heard_by: [{device: hall, loudness: 0.9}]
  - expect: {say: "timer set for 9 minutes", device: kitchen, within: 3s}
  - expect: {event: turn.addressed, count: 1, within: 2s}
  - expect: {say: "timer set", device: hall, absent: true, within: 2s}
  - look: alice
    at: bob
  - say: "Bob, nine minutes for the pasta."
    by: alice
    to: bob
    heard_by: [hall]
  - expect: {event: turn.addressed, absent: true, within: 1500ms}
"""


async def test_one_request_heard_by_two_devices_is_answered_once(stack: Stack) -> None:
    assert stack.bus is not None
    runner = ScenarioRunner(stack.bus, parse_scenario(TWO_DEVICES, "two.yaml"))
    result = await runner.run()
    transcript = "\n".join(render(runner))
    assert result.passed, transcript
    request, remark = result.decisions
    # the hall heard it louder, but Alice looked at the kitchen screen: the kitchen answers
    assert request.addressed and request.answered_on == ["kitchen"], transcript
    assert "looking at the device" in request.reasons
    assert remark.addressed is False and remark.answered_on == []
    attention = [s.msg for s in runner.recorder.seen if s.msg.type == "perception.attention"]
    assert attention and attention[0].source == "vision"  # the vision agent runs in the stack


async def test_the_bench_scores_library_scenes_on_the_running_stack(stack: Stack) -> None:
    from scenarios.model import load_scenario

    scenes = [load_scenario(LIBRARY / f"{n}.yaml")
              for n in ("turns_timer_mention", "turns_two_devices_loudest", "turns_fragments")]
    replayed = await replay_all(stack, scenes, concurrency=3)
    figures = score(replayed)
    assert figures["n_utterances"] == sum(len(r.result.decisions) for r in replayed) > 10
    assert figures["f1"] >= 0.95 and figures["false_activations_per_100"] <= 1.0, figures
    assert figures["double_answers"] == 0 and figures["missing_decisions"] == 0
    assert figures["scenes_passed"] == 3, figures["per_scene"]
