"""The proactive bench's scoring: outcomes from the bus, side conversations from ground truth."""

from __future__ import annotations

from conftest import T0, envelope

from bus.memory import MemoryBus, MemoryHub
from bus.messages import (
    DeviceTranscript,
    GoalFeedback,
    GoalHeld,
    GoalSuggestion,
    Message,
)
from hearth.bench_proactive import SIDE_TALK_WINDOW_S, score_one, totals
from scenarios.model import parse_scenario
from scenarios.recorder import Seen
from scenarios.replay import ScenarioRunner
from scenarios.results import Decision

SCENE = """
name: bench-scoring
devices: [{id: kitchen}]
people: [{id: zoe, at: kitchen}, {id: alan, at: kitchen}]
timeline:
  - say: "Curry tonight?"
    by: zoe
    to: alan
  - say: "Hey Hearth, how long does rice take?"
    by: zoe
    to: assistant
"""


def _suggestion(ts: float, offer: bool = True) -> GoalSuggestion:
    return GoalSuggestion(**envelope(ts=ts), device="kitchen", origin="latent_goal", key="k",
                          intent="timer.set", skill="timer", say="Timer?", offer=offer)


def _runner(messages: list[Message]) -> ScenarioRunner:
    runner = ScenarioRunner(MemoryBus(MemoryHub()), parse_scenario(SCENE, "bench.yaml"))
    runner.recorder.seen.extend(Seen(float(i), m) for i, m in enumerate(messages))
    return runner


def test_outcomes_and_side_conversations_are_counted() -> None:
    side = DeviceTranscript(**envelope(ts=T0), device="kitchen", text="Curry tonight?")
    asked = DeviceTranscript(**envelope(ts=T0 + 5), device="kitchen", text="rice?")
    messages: list[Message] = [
        side, asked,
        _suggestion(T0 + 6),  # 6 s after a remark between people: during side talk
        GoalFeedback(**envelope(ts=T0 + 7), suggestion_id="s", key="k", origin="latent_goal",
                     outcome="declined", device="kitchen"),
        _suggestion(T0 + SIDE_TALK_WINDOW_S + 10),  # long after: fine
        GoalFeedback(**envelope(ts=T0 + 50), suggestion_id="s", key="k", origin="latent_goal",
                     outcome="accepted", device="kitchen"),
        _suggestion(T0 + 60, offer=False),
        GoalHeld(**envelope(ts=T0 + 70), key="k", origin="hunch", reason="quiet hours"),
    ]
    runner = _runner(messages)
    runner.result.decisions.extend([
        Decision(1, "zoe", "Curry tonight?", "alan", side.correlation_id,
                 heard_as=[side.correlation_id]),
        Decision(2, "zoe", "rice?", "assistant", asked.correlation_id,
                 heard_as=[asked.correlation_id]),
    ])
    one = score_one(runner)
    assert (one["offered"], one["notices"], one["accepted"], one["declined"]) == (2, 1, 1, 1)
    assert one["during_side_conversation"] == 1 and one["side_remarks"] == 1
    assert one["held"] == {"quiet hours": 1}
    total = totals([one, one])
    assert (total["offered"], total["during_side_conversation"], total["held"]) == (4, 2, 2)
    assert total["acceptance_rate"] == 0.5
    assert {"offered", "accepted", "declined", "during_side_conversation"} <= set(total)
